/**
 * Contact search by word prefix, answered from an index.
 *
 * Every contact owns a few rows in `contact_terms`: the folded words of its name and company
 * and its phone number's digit forms (see `phoneSearchForms`). A search word matches a
 * contact when it is the prefix of one of its terms, and every word of the query must
 * match. A prefix is looked up as the range `term >= prefix AND term < next(prefix)`, which
 * both SQLite (binary collation) and PostgreSQL (`COLLATE "C"`) answer from the primary key
 * index, so the cost grows with the number of hits, not with the size of the table.
 */
import { normalizePhone, phoneSearchForms } from './phone'

const MAX_TERM_LENGTH = 64
const MAX_QUERY_WORDS = 6

/** Lower-cases and strips accents, so "Järvinen", "JARVINEN" and "jarvinen" search alike. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
}

function words(text: string): string[] {
  return foldText(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(word => word.slice(0, MAX_TERM_LENGTH))
}

/** The index terms of a contact: folded words of name and company, and the digit forms of its phone. */
export function contactTerms(contact: { name: string, company: string | null, phoneNormalized: string }): string[] {
  return [...new Set([
    ...words(contact.name),
    ...words(contact.company ?? ''),
    ...phoneSearchForms(contact.phoneNormalized),
  ])]
}

/**
 * The prefixes a query must all match. A query that is a phone number once spaces, dashes and
 * the like are dropped ("040 123", "+358 40-12") becomes one digit prefix; otherwise each word
 * is a prefix of its own.
 */
export function queryPrefixes(query: string): string[] {
  const phone = normalizePhone(query)
  if (/^\+?\d+$/.test(phone)) return [phone.replace('+', '').slice(0, MAX_TERM_LENGTH)]
  return [...new Set(words(query))].slice(0, MAX_QUERY_WORDS)
}

/** The smallest string greater than every string that starts with `prefix` (code point order), or `null` if none exists. */
export function prefixUpperBound(prefix: string): string | null {
  const chars = [...prefix]
  while (chars.length > 0) {
    let next = chars.pop()!.codePointAt(0)! + 1
    if (next >= 0xD800 && next <= 0xDFFF) next = 0xE000
    if (next <= 0x10FFFF) return chars.join('') + String.fromCodePoint(next)
  }
  return null
}
