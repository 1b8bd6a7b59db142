import { sql } from 'kysely'
import type { RawBuilder, Selectable } from 'kysely'
import type { ContactInput } from './contact-input'
import type { ContactsTable, Db } from './database-schema'
import { dialectOf, inTransaction } from './db-handle'
import { relinkActivity, unlinkActivity } from './activity-links'
import { formatPhone, normalizePhone, phoneE164, phoneSuffix } from './phone'
import { contactSearchText, likePattern, searchWords, SHORT_WORD } from './search-text'
import type { MatchTier } from './search-text'

/** A contact as the API returns it. */
export interface Contact {
  id: number
  name: string
  phone: string
  /** The phone as the dashboard shows every number (phone.ts `formatPhone`). */
  phoneDisplay: string
  company: string | null
  email: string | null
  notes: string | null
  createdAt: string
  updatedAt: string
}

/** One page of contacts and the number of all matches. */
export interface ContactPage {
  items: Contact[]
  /** Every contact, or a search's hits counted up to `SEARCH_COUNT_CAP`. */
  total: number
  /** `true` when a search has more hits than `total` says. */
  totalCapped: boolean
  limit: number
  offset: number
}

/**
 * A search counts its hits up to this many. An exact count of a query that most contacts match
 * ("0", "a") reads every one of their index entries; counting stops here instead, so every
 * keystroke costs about the same however broad it is.
 */
export const SEARCH_COUNT_CAP = 10_000

const COLUMNS = ['id', 'name', 'phone', 'phone_normalized', 'company', 'email', 'notes', 'created_at', 'updated_at'] as const
type ContactRow = Pick<Selectable<ContactsTable>, typeof COLUMNS[number]>

// Multi-row INSERTs stay far below SQLite's 32766 and PostgreSQL's 65535 parameters.
const CONTACTS_PER_INSERT = 500

function toContact(row: ContactRow): Contact {
  return {
    id: Number(row.id),
    name: row.name,
    phone: row.phone,
    phoneDisplay: formatPhone(row.phone),
    company: row.company,
    email: row.email,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The stored columns of a contact, with its phone forms and search text worked out. */
export function contactColumns(input: ContactInput) {
  const normalized = normalizePhone(input.phone)
  return {
    name: input.name,
    phone: input.phone,
    phone_normalized: normalized,
    phone_suffix: phoneSuffix(normalized),
    phone_e164: phoneE164(input.phone),
    company: input.company,
    email: input.email,
    notes: input.notes,
    search_text: contactSearchText({ name: input.name, company: input.company, phoneNormalized: normalized }),
  }
}

/**
 * Inserts contacts in batches and returns them with their ids (the engines' search indexes
 * follow by themselves). Pass a transaction when the rows must land together.
 */
export async function insertContacts(db: Db, inputs: ContactInput[]): Promise<Contact[]> {
  const now = new Date().toISOString()
  const created: Contact[] = []
  for (let i = 0; i < inputs.length; i += CONTACTS_PER_INSERT) {
    const rows = await db.insertInto('contacts')
      .values(inputs.slice(i, i + CONTACTS_PER_INSERT).map(input => ({ ...contactColumns(input), created_at: now, updated_at: now })))
      .returning(COLUMNS).execute()
    created.push(...rows.map(toContact))
  }
  return created
}

/** Creates one contact and links earlier calls and texts from its number to it. */
export function createContact(db: Db, input: ContactInput): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const [contact] = await insertContacts(trx, [input])
    await relinkActivity(trx)
    return contact!
  })
}

/** Reads one contact, or `null`. */
export async function getContact(db: Db, id: number): Promise<Contact | null> {
  const row = await db.selectFrom('contacts').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return row ? toContact(row) : null
}

/** Changes the given fields of a contact; `null` when there is no such contact. */
export function updateContact(db: Db, id: number, patch: Partial<ContactInput>): Promise<Contact | null> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('contacts').select(COLUMNS).where('id', '=', id).executeTakeFirst()
    if (!current) return null
    const columns = contactColumns({ ...toContact(current), ...patch })
    const row = await trx.updateTable('contacts').set({ ...columns, updated_at: new Date().toISOString() })
      .where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow()
    if (columns.phone_normalized !== current.phone_normalized) {
      // Calls belong to a contact through its number: a new number takes its own calls along.
      await unlinkActivity(trx, id, { calls: true, sms: false })
      await relinkActivity(trx)
    }
    return toContact(row)
  })
}

/** Deletes a contact; its calls and texts stay, unlinked (or linked to another contact with the same number). */
export function deleteContact(db: Db, id: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const gone = await trx.deleteFrom('contacts').where('id', '=', id).returning('id').execute()
    if (gone.length === 0) return false
    await unlinkActivity(trx, id, { calls: true, sms: true })
    await relinkActivity(trx)
    return true
  })
}

const TIERS: readonly MatchTier[] = ['exact', 'prefix', 'substring']

const ftsPhrase = (word: string, prefix: boolean) => `"${word}"${prefix ? '*' : ''}`

/**
 * The ids of the contacts every word matches at `tier` (a SELECT of `id`), answered from the
 * engine's own index: SQLite's FTS5 tables (whole words and word starts from `contacts_words`,
 * substrings from the trigram table), PostgreSQL's trigram index under the LIKE patterns.
 */
export function matchingIds(db: Db, words: string[], tier: MatchTier): RawBuilder<{ id: number }> {
  if (dialectOf(db) === 'postgresql') return sql<{ id: number }>`SELECT c.id FROM contacts c WHERE ${rowMatches(words, tier)}`
  const short = tier !== 'substring' ? words : words.filter(word => word.length <= SHORT_WORD)
  const long = tier !== 'substring' ? [] : words.filter(word => word.length > SHORT_WORD)
  const byWords = sql<{ id: number }>`SELECT rowid AS id FROM contacts_words WHERE contacts_words MATCH ${short.map(word => ftsPhrase(word, tier !== 'exact')).join(' ')}`
  if (long.length === 0) return byWords
  const byTrigrams = sql<{ id: number }>`SELECT rowid AS id FROM contacts_trigrams WHERE contacts_trigrams MATCH ${long.map(word => ftsPhrase(word, false)).join(' ')}`
  return short.length === 0 ? byTrigrams : sql<{ id: number }>`${byTrigrams} AND rowid IN (${byWords})`
}

/** The same condition as `matchingIds`, tested on a contact row (alias `c` unless told) itself. */
function rowMatches(words: string[], tier: MatchTier, alias = 'c'): RawBuilder<boolean> {
  return sql.join(words.map(word => sql`${sql.ref(`${alias}.search_text`)} LIKE ${likePattern(word, tier)}`), sql` AND `) as RawBuilder<boolean>
}

/** The ids of a group: contacts every word matches at `tier` but not at the tier before it. */
function groupIds(db: Db, words: string[], tier: MatchTier, earlier: MatchTier | null): RawBuilder<{ id: number }> {
  if (!earlier) return matchingIds(db, words, tier)
  if (dialectOf(db) === 'postgresql') return sql`SELECT c.id FROM contacts c WHERE ${rowMatches(words, tier)} AND NOT (${rowMatches(words, earlier)})`
  return sql`SELECT x.id FROM (${matchingIds(db, words, tier)}) AS x JOIN contacts e ON e.id = x.id WHERE NOT (${rowMatches(words, earlier, 'e')})`
}

/**
 * A group's hits are sorted by name in blocks of this many, taken in index order: the cost of a
 * page stays bounded however many contacts match, and a group of up to this many is sorted whole.
 */
const SORT_BLOCK = 2000

const selectContacts = (db: Db) => db.selectFrom('contacts as c').select(COLUMNS.map(column => `c.${column}` as const))

/** `take` contacts of a group from position `skip` on: its hits in blocks of SORT_BLOCK (index order), each block by name. */
async function groupPage(db: Db, ids: RawBuilder<{ id: number }>, skip: number, take: number, block: number): Promise<Contact[]> {
  const out: Contact[] = []
  while (take > 0) {
    const first = Math.floor(skip / block) * block
    const within = skip - first
    const wanted = Math.min(take, block - within)
    const rows = await selectContacts(db)
      .where('c.id', 'in', sql<number>`(SELECT b.id FROM (${ids}) AS b LIMIT ${block} OFFSET ${first})`)
      // An ORDER BY term no index has: the block's rows are fetched and sorted, never found by walking the name index.
      .orderBy(sql`lower(c.name) || ''`).orderBy('c.id').limit(wanted).offset(within).execute()
    out.push(...rows.map(toContact))
    if (rows.length < wanted) break
    skip += wanted
    take -= wanted
  }
  return out
}

/** Every contact, in the name order listing uses (along the name index). */
function byName(db: Db) {
  return selectContacts(db).orderBy(sql`lower(c.name)`).orderBy('c.id')
}

/**
 * Searches contacts: every word of `q` must match, as a substring of a name or company word or
 * of the phone's digit forms (words of 1-2 characters: as a word start). Contacts where every
 * word is a whole word come first, then those where every word starts a word, then the rest.
 *
 * One statement counts the hits from the index, up to the cap (and each group only as far as
 * the page needs). Up to a block's worth of hits are ranked and sorted by name in one query.
 * A bigger group is sorted by name a block at a time, its blocks in index order: a page costs
 * about the same at 100,000 contacts as at a million, where sorting all of a broad query's hits
 * (or walking the name index past the names that do not match) would not.
 */
export async function listContacts(db: Db, { q = '', limit, offset, countCap = SEARCH_COUNT_CAP, block = SORT_BLOCK }: { q?: string, limit: number, offset: number, countCap?: number, block?: number }): Promise<ContactPage> {
  const words = searchWords(q)
  if (words.length === 0) {
    const rows = await byName(db).limit(limit).offset(offset).execute()
    const count = await db.selectFrom('contacts').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    return { items: rows.map(toContact), total: Number(count?.n ?? 0), totalCapped: false, limit, offset }
  }
  const need = offset + limit
  const countOf = (tier: MatchTier, cap: number) => sql<number>`(SELECT COUNT(*) FROM (${matchingIds(db, words, tier)} LIMIT ${cap}) AS hits)`
  const allShort = words.every(word => word.length <= SHORT_WORD)
  // One more than the cap is counted, to know whether there are more.
  const counts = await db.selectNoFrom([
    countOf('substring', countCap + 1).as('substring'),
    countOf('exact', need).as('exact'),
    (allShort ? sql<number>`NULL` : countOf('prefix', need)).as('prefix'),
  ]).executeTakeFirstOrThrow()
  const counted = Number(counts.substring)
  const total = Math.min(counted, countCap)
  const page: ContactPage = { items: [], total, totalCapped: counted > countCap, limit, offset }
  if (total === 0 || offset >= total) return page

  if (counted <= block) {
    const rank = sql`CASE WHEN ${rowMatches(words, 'exact')} THEN 0 WHEN ${rowMatches(words, 'prefix')} THEN 1 ELSE 2 END`
    const rows = await selectContacts(db).where('c.id', 'in', sql<number>`(${matchingIds(db, words, 'substring')})`)
      .orderBy(rank).orderBy(sql`lower(c.name)`).orderBy('c.id').limit(limit).offset(offset).execute()
    page.items = rows.map(toContact)
    return page
  }
  // Where each group ends in the whole result, as far as this page needs to know (the groups nest).
  const ends = [Number(counts.exact), allShort ? counted : Number(counts.prefix), counted]
  for (const [index, tier] of TIERS.entries()) {
    const start = index === 0 ? 0 : ends[index - 1]!
    const from = Math.max(offset, start)
    const to = Math.min(need, ends[index]!)
    if (to <= from) continue
    const ids = groupIds(db, words, tier, index === 0 ? null : TIERS[index - 1]!)
    page.items.push(...await groupPage(db, ids, from - start, to - from, block))
  }
  return page
}

/** Every contact ordered by name, a batch at a time (for the CSV export). */
export async function* allContacts(db: Db, batchSize = 1000): AsyncGenerator<Contact[]> {
  let after: { name: string, id: number } | null = null
  for (;;) {
    // Keyset paging: each batch starts where the previous ended, so the cost stays flat.
    const rows: ContactRow[] = await (after
      ? byName(db).where(sql<boolean>`(lower(c.name), c.id) > (lower(${after.name}), ${after.id})`)
      : byName(db)).limit(batchSize).execute()
    if (rows.length === 0) return
    const batch = rows.map(toContact)
    yield batch
    const last = batch[batch.length - 1]!
    after = { name: last.name, id: last.id }
  }
}

/**
 * The contacts a phone number belongs to, best match first (phone.ts): the same E.164 number,
 * then, where either side cannot be placed in a numbering plan, the same normalised number,
 * then the last-9-digits equivalence; the oldest contact first within each.
 */
export function contactsByPhone(db: Db, number: string) {
  const normalized = normalizePhone(number)
  const e164 = phoneE164(number)
  return db.selectFrom('contacts').select(COLUMNS)
    .where(eb => eb.or([
      ...e164 ? [eb('phone_e164', '=', e164)] : [],
      eb.and([
        ...e164 ? [eb('phone_e164', 'is', null)] : [],
        eb.or([eb('phone_normalized', '=', normalized), eb('phone_suffix', '=', phoneSuffix(normalized))]),
      ]),
    ]))
    .orderBy(sql`CASE WHEN phone_e164 = ${e164} THEN 0 WHEN phone_normalized = ${normalized} THEN 1 ELSE 2 END`).orderBy('id')
}

/** The contact a phone number belongs to (see `contactsByPhone`), or `null`. */
export async function findContactByPhone(db: Db, number: string | null): Promise<Contact | null> {
  const row = number ? await contactsByPhone(db, number).limit(1).executeTakeFirst() : undefined
  return row ? toContact(row) : null
}

/** The id of the contact a phone number belongs to (see `contactsByPhone`), or `null`. */
export async function findContactIdByPhone(db: Db, number: string | null): Promise<number | null> {
  return (await findContactByPhone(db, number))?.id ?? null
}
