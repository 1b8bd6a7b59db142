/**
 * What contact search matches against: each contact's `search_text`, its folded name and
 * company words and its phone number's digit forms, separated by single spaces, with a space
 * at both ends (so ` word` marks a word start and ` word ` a whole word in a LIKE pattern).
 * The database indexes it (SQLite FTS5, PostgreSQL pg_trgm); folding happens here, once, so
 * both engines search alike and `jarv` finds "Järvinen".
 */
import { normalizePhone, phoneSearchForms } from './phone'

const MAX_WORD_LENGTH = 64
const MAX_QUERY_WORDS = 6

/** Lower-cases and strips accents, so "Järvinen", "JARVINEN" and "jarvinen" search alike. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
}

function words(text: string): string[] {
  return foldText(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(word => word.slice(0, MAX_WORD_LENGTH))
}

/** The `search_text` of a contact. */
export function contactSearchText(contact: { name: string, company: string | null, phoneNormalized: string }): string {
  const all = [...new Set([...words(contact.name), ...words(contact.company ?? ''), ...phoneSearchForms(contact.phoneNormalized)])]
  return ` ${all.join(' ')} `
}

/**
 * The words a query must all match. A query that is a phone number once spaces, dashes and
 * the like are dropped ("900 12", "+44 7700-90") is one digit word; otherwise each word
 * counts on its own (at most 6).
 */
export function searchWords(query: string): string[] {
  const phone = normalizePhone(query)
  if (/^\+?\d+$/.test(phone)) return [phone.replace('+', '').slice(0, MAX_WORD_LENGTH)]
  return [...new Set(words(query))].slice(0, MAX_QUERY_WORDS)
}

/** Words this short have no trigram: they match word starts only, through the engines' prefix indexes. */
export const SHORT_WORD = 2

/** A word of digits only: a phone form or a number, never in PostgreSQL's word index. */
export const DIGITS_ONLY = /^[0-9]+$/

/**
 * What PostgreSQL's word index holds (the stored column `contacts.search_words`): the words of
 * `search_text` that are not all digits, as a tsvector built from the words themselves (no
 * text-search parser, so its words are exactly ours).
 */
export const PG_WORD_VECTOR = `array_to_tsvector(string_to_array(btrim(regexp_replace(search_text, ' [0-9]+(?= )', '', 'g')), ' '))`

/** How well a contact matches: every word whole, every word a word start, or some word inside a word. */
export type MatchTier = 'exact' | 'prefix' | 'substring'

/** The LIKE pattern (on `search_text`) of one query word at one tier; words hold only letters and digits, so nothing needs escaping. */
export function likePattern(word: string, tier: MatchTier): string {
  if (tier === 'exact') return `% ${word} %`
  if (tier === 'prefix' || word.length <= SHORT_WORD) return `% ${word}%`
  return `%${word}%`
}
