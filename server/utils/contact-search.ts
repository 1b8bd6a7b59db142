/**
 * Contact search, the `q` of `GET /api/contacts`: every word must match a contact's
 * `search_text` (search-text.ts). Contacts where every word is a whole word come first, then
 * those where every word starts a word, then the rest (the three groups); each group by name.
 * Hits are counted up to a cap, and a group bigger than a block is sorted by name a block at a
 * time, its blocks in index order, so a page costs about the same however many contacts match.
 *
 * The engines' indexes differ, and so does the cheapest way to a page:
 * - SQLite's FTS5 tables answer each group exactly and lazily (rowids in order, a LIMIT stops
 *   them): one statement counts the hits and the groups, one more reads the page.
 * - PostgreSQL's GIN indexes (trigrams for substrings; a tsvector of the words for whole words
 *   and word starts) build their whole list of candidates before the first row, and every hit
 *   is a visit to the table. So one statement reads the first cap + 1 hits once (the window),
 *   counts the groups in it and takes the page from it. Only when the window cannot tell (more
 *   hits than the cap, and fewer of a group in it than the page needs) do probes and per-group
 *   queries follow.
 */
import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import { CONTACT_COLUMNS, selectContacts, toContact } from './contact-rows'
import type { ContactRow } from './contact-rows'
import type { Contact, ContactPage } from './contacts'
import type { Db } from './database-schema'
import { dialectOf } from './db-handle'
import { DIGITS_ONLY, likePattern, SHORT_WORD } from './search-text'
import type { MatchTier } from './search-text'

/**
 * A search counts its hits up to this many. An exact count of a query that most contacts match
 * ("0", "a") reads every one of their index entries; counting stops here instead, so every
 * keystroke costs about the same however broad it is.
 */
export const SEARCH_COUNT_CAP = 10_000

/**
 * A group's hits are sorted by name in blocks of this many, taken in index order: the cost of a
 * page stays bounded however many contacts match, and a group of up to this many is sorted whole.
 */
const SORT_BLOCK = 2000

/** The cap and the block, which tests make small to reach every path with few contacts. */
export interface SearchTuning {
  /** Hits are counted up to this many (default `SEARCH_COUNT_CAP`). */
  countCap?: number
  /** A group is sorted by name in blocks of this many hits (default 2,000). */
  block?: number
}

/** One page of a search: `words` from `searchWords`, at least one. */
interface SearchRequest {
  words: string[]
  limit: number
  offset: number
  countCap: number
  block: number
}

const TIERS: readonly MatchTier[] = ['exact', 'prefix', 'substring']

/** `search_text` of contact row `alias` matches every word at `tier` (LIKE; cheap on a row already read). */
function rowMatches(words: string[], tier: MatchTier, alias = 'c'): RawBuilder<boolean> {
  return sql.join(words.map(word => sql`${sql.ref(`${alias}.search_text`)} LIKE ${likePattern(word, tier)}`), sql` AND `) as RawBuilder<boolean>
}

/**
 * SQLite: whether a word is looked up in `contacts_words` (a whole word; a 1-2 character word
 * start, from its prefix indexes) rather than in the trigram table. A longer word start is a
 * trigram phrase with a leading space (the trigram tokenizer keeps spaces): FTS5 reads a phrase
 * lazily, so a LIMIT stops it early, while a prefix query on `contacts_words` without a prefix
 * index of its length merges the entries of every matching word before the first row.
 */
const inWordsTable = (word: string, tier: MatchTier) => tier === 'exact' || word.length <= SHORT_WORD

function ftsPhrase(word: string, tier: MatchTier): string {
  if (inWordsTable(word, tier)) return `"${word}"${tier === 'exact' ? '' : '*'}`
  return tier === 'prefix' ? `" ${word}"` : `"${word}"`
}

/**
 * PostgreSQL: contact row `c` matches every word at `tier`. Whole words and word starts (the
 * groups' probes and blocks) of words not all digits go through `search_words`: one posting list
 * per word, where trigrams would read, for ` harbour `, every word that starts with h. Digit
 * words (phone forms: millions of distinct numbers would make that index larger than the table)
 * and the substring tier (all hits, read up to the cap where a scan of the table may be cheaper
 * than an index, and a LIKE costs a fraction of a tsvector test) go through the trigrams.
 */
function pgMatches(words: string[], tier: MatchTier): RawBuilder<boolean> {
  const byWords = tier === 'substring' ? [] : words.filter(word => !DIGITS_ONLY.test(word))
  const byTrigrams = words.filter(word => !byWords.includes(word))
  const conditions = byTrigrams.length ? [rowMatches(byTrigrams, tier)] : []
  if (byWords.length) conditions.push(sql<boolean>`c.search_words @@ ${byWords.map(word => `'${word}'${tier === 'exact' ? '' : ':*'}`).join(' & ')}::tsquery`)
  return sql.join(conditions, sql` AND `) as RawBuilder<boolean>
}

/**
 * The ids of the contacts every word matches at `tier` (a SELECT of `id`), answered from the
 * engine's own indexes: SQLite's FTS5 tables, PostgreSQL's word and trigram indexes.
 */
export function matchingIds(db: Db, words: string[], tier: MatchTier): RawBuilder<{ id: number }> {
  if (dialectOf(db) === 'postgresql') return sql<{ id: number }>`SELECT c.id FROM contacts c WHERE ${pgMatches(words, tier)}`
  const short = words.filter(word => inWordsTable(word, tier))
  const long = words.filter(word => !inWordsTable(word, tier))
  const byWords = sql<{ id: number }>`SELECT rowid AS id FROM contacts_words WHERE contacts_words MATCH ${short.map(word => ftsPhrase(word, tier)).join(' ')}`
  if (long.length === 0) return byWords
  const byTrigrams = sql<{ id: number }>`SELECT rowid AS id FROM contacts_trigrams WHERE contacts_trigrams MATCH ${long.map(word => ftsPhrase(word, tier)).join(' ')}`
  return short.length === 0 ? byTrigrams : sql<{ id: number }>`${byTrigrams} AND rowid IN (${byWords})`
}

const contactColumns = (alias: string) => sql.join(CONTACT_COLUMNS.map(column => sql.ref(`${alias}.${column}`)))

/**
 * The contacts of block `first / block` of a group (every word matches at `tier`, not at
 * `earlier`), sorted by name, `take` of them from `skip` on. SQLite takes the block's ids from
 * FTS5 first, so only they are read. PostgreSQL reads the rows with its indexes, in a CTE the
 * planner costs as a whole: a LIMIT beside the scan would tempt it to read the table from the
 * start for a word it wrongly thinks common.
 */
async function blockPage(db: Db, words: string[], tier: MatchTier, earlier: MatchTier | null, first: number, block: number, skip: number, take: number): Promise<ContactRow[]> {
  if (dialectOf(db) === 'postgresql') {
    const hits = earlier ? sql`${pgMatches(words, tier)} AND NOT (${rowMatches(words, earlier)})` : pgMatches(words, tier)
    return (await sql<ContactRow>`WITH g AS MATERIALIZED (SELECT ${contactColumns('c')} FROM contacts c WHERE ${hits})
      SELECT * FROM (SELECT * FROM g LIMIT ${block} OFFSET ${first}) AS b ORDER BY lower(b.name), b.id LIMIT ${take} OFFSET ${skip}`.execute(db)).rows
  }
  // CROSS JOIN keeps FTS5 outside, so the block is the group's hits in rowid order.
  const earlierOut = earlier ? sql`WHERE NOT (${rowMatches(words, earlier)})` : sql``
  return (await sql<ContactRow>`SELECT * FROM (
      SELECT ${contactColumns('c')} FROM (${matchingIds(db, words, tier)}) AS x CROSS JOIN contacts c ON c.id = x.id ${earlierOut} LIMIT ${block} OFFSET ${first}
    ) AS b ORDER BY lower(b.name), b.id LIMIT ${take} OFFSET ${skip}`.execute(db)).rows
}

/** `take` contacts of a group from position `skip` on: its hits in blocks (index order), each block by name. */
async function groupPage(db: Db, words: string[], tier: MatchTier, earlier: MatchTier | null, skip: number, take: number, block: number): Promise<Contact[]> {
  const out: Contact[] = []
  while (take > 0) {
    const first = Math.floor(skip / block) * block
    const wanted = Math.min(take, block - (skip - first))
    const rows = await blockPage(db, words, tier, earlier, first, block, skip - first, wanted)
    out.push(...rows.map(toContact))
    if (rows.length < wanted) break
    skip += wanted
    take -= wanted
  }
  return out
}

/**
 * The page's contacts group by group, given where each group ends in the whole result (exact,
 * prefix, all hits), as far as the page needs to know (the groups nest).
 */
async function pageOfGroups(db: Db, { words, offset, limit, block }: SearchRequest, ends: readonly number[]): Promise<Contact[]> {
  const items: Contact[] = []
  for (const [index, tier] of TIERS.entries()) {
    const start = index === 0 ? 0 : ends[index - 1]!
    const from = Math.max(offset, start)
    const to = Math.min(offset + limit, ends[index]!)
    if (to > from) items.push(...await groupPage(db, words, tier, index === 0 ? null : TIERS[index - 1]!, from - start, to - from, block))
  }
  return items
}

const numberOrNull = (value: unknown) => value === null || value === undefined ? null : Number(value)

/**
 * SQLite: one statement counts the hits (up to the cap) from FTS5 and, for more than a block
 * (or the cap), the groups as far as the page needs; for fewer it hands back their ids, which
 * one query ranks and sorts. A bigger result is read group by group.
 */
async function searchSqlite(db: Db, request: SearchRequest): Promise<ContactPage> {
  const { words, limit, offset, countCap, block } = request
  const need = offset + limit
  const countOf = (tier: MatchTier, cap: number) => sql<number>`(SELECT COUNT(*) FROM (${matchingIds(db, words, tier)} LIMIT ${cap}) AS hits)`
  const allShort = words.every(word => word.length <= SHORT_WORD)
  // One more than the cap is counted, to know whether there are more. Whole words are counted
  // first, from the words table: when they pass the cap, so do the hits, and the trigram phrase
  // (the slow part, for common trigrams such as the digits every number has) is never read.
  // Otherwise the hits are read once, for the count and, when few, their ids.
  const counts = (await sql<{ substring: number, exact: number, prefix: number | null, ids: string | null }>`
    WITH whole AS (SELECT ${countOf('exact', countCap + 1)} AS n),
      hits AS MATERIALIZED (${matchingIds(db, words, 'substring')} LIMIT ${countCap + 1}),
      counted AS (SELECT CASE WHEN n > ${countCap} THEN n ELSE (SELECT COUNT(*) FROM hits) END AS substring, n AS exact FROM whole)
    SELECT substring, exact,
      CASE WHEN (substring > ${block} OR substring > ${countCap}) AND exact < ${need} THEN ${allShort ? sql`NULL` : countOf('prefix', need)} END AS prefix,
      CASE WHEN substring <= ${Math.min(block, countCap)} THEN (SELECT json_group_array(id) FROM hits) END AS ids
    FROM counted`.execute(db)).rows[0]!
  const counted = Number(counts.substring)
  const page: ContactPage = { items: [], total: Math.min(counted, countCap), totalCapped: counted > countCap, limit, offset }
  if (page.total === 0 || offset >= page.total) return page
  if (counts.ids !== null) {
    const rank = sql`CASE WHEN ${rowMatches(words, 'exact')} THEN 0 WHEN ${rowMatches(words, 'prefix')} THEN 1 ELSE 2 END`
    const rows = await selectContacts(db).where(sql<boolean>`c.id IN (SELECT value FROM json_each(${counts.ids}))`)
      .orderBy(rank).orderBy(sql`lower(c.name)`).orderBy('c.id').limit(limit).offset(offset).execute()
    page.items = rows.map(toContact)
    return page
  }
  const exact = Math.min(Number(counts.exact), need)
  page.items = await pageOfGroups(db, request, [exact, exact >= need ? need : numberOrNull(counts.prefix) ?? counted, page.total])
  return page
}

/** What the PostgreSQL window statement returns: the counts on every row, and the page's contacts (or one row of NULLs). */
type WindowRow = { total: number, exact: number, prefix: number } & { [K in keyof ContactRow]: ContactRow[K] | null }

/**
 * Whether the window's order is the whole result's order over the page: when the window holds
 * every hit, or when the page's groups start where the window says (`ends`: the true group ends,
 * as far as the page needs) and every block the page touches is whole in the window.
 */
function windowServesPage(inWindow: readonly number[], ends: readonly number[], { offset, limit, block }: SearchRequest): boolean {
  const need = offset + limit
  if (Math.min(inWindow[0]!, need) !== ends[0] || Math.min(inWindow[0]! + inWindow[1]!, need) !== ends[1]) return false
  for (let tier = 0; tier < 3; tier++) {
    const start = tier === 0 ? 0 : ends[tier - 1]!
    const end = tier < 2 ? ends[tier]! : need
    if (Math.min(need, end) <= Math.max(offset, start)) continue
    // A group smaller than the page's reach is known whole (the window holds it all).
    const knownWhole = tier < 2 && ends[tier]! < need
    const lastBlockEnd = (Math.floor((Math.min(need, end) - start - 1) / block) + 1) * block
    if (!knownWhole && lastBlockEnd > inWindow[tier]!) return false
  }
  return true
}

/**
 * PostgreSQL: the first cap + 1 hits are read once, each with its group and its place in the
 * table (index order); one statement counts the groups among them and returns the page in the
 * result's order (group, block of hits in index order, name). When there are more hits than the
 * cap, the counts beyond the window that the page needs are probed and, if the window does not
 * hold the page, the page is read group by group.
 */
async function searchPostgres(db: Db, request: SearchRequest): Promise<ContactPage> {
  const { words, limit, offset, countCap, block } = request
  const need = offset + limit
  // Hits stay in the order the scan read them (index order); `place` numbers each hit within its
  // group in that order (running counts, no sort), which gives its block.
  const { rows } = await sql<WindowRow>`WITH hits AS MATERIALIZED (
      SELECT c.id, c.name, CASE WHEN ${rowMatches(words, 'exact')} THEN 0 WHEN ${rowMatches(words, 'prefix')} THEN 1 ELSE 2 END AS tier
      FROM contacts c WHERE ${pgMatches(words, 'substring')} LIMIT ${countCap + 1}
    ), placed AS (
      SELECT id, name, tier, CASE tier
        WHEN 0 THEN COUNT(*) FILTER (WHERE tier = 0) OVER running
        WHEN 1 THEN COUNT(*) FILTER (WHERE tier = 1) OVER running
        ELSE COUNT(*) FILTER (WHERE tier = 2) OVER running END - 1 AS place
      FROM hits WINDOW running AS (ROWS UNBOUNDED PRECEDING)
    ), counts AS (
      SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE tier = 0) AS exact, COUNT(*) FILTER (WHERE tier = 1) AS prefix FROM hits
    ), page AS (
      SELECT id, tier, place / ${block} AS part, lower(name) AS sort_name FROM placed
      WHERE place < ${(Math.floor((need - 1) / block) + 1) * block}
      ORDER BY tier, part, sort_name, id LIMIT ${limit} OFFSET ${offset}
    )
    SELECT counts.total, counts.exact, counts.prefix, ${contactColumns('c')}
    FROM counts LEFT JOIN (page JOIN contacts c ON c.id = page.id) ON true
    ORDER BY page.tier, page.part, page.sort_name, page.id`.execute(db)
  const counted = Number(rows[0]!.total)
  const page: ContactPage = { items: [], total: Math.min(counted, countCap), totalCapped: counted > countCap, limit, offset }
  if (page.total === 0 || offset >= page.total) return page
  const windowItems = rows.filter(row => row.id !== null).map(row => toContact(row as ContactRow))
  if (counted <= countCap) {
    page.items = windowItems
    return page
  }
  const inWindow = [Number(rows[0]!.exact), Number(rows[0]!.prefix), counted - Number(rows[0]!.exact) - Number(rows[0]!.prefix)]
  const probeExact = inWindow[0]! < need
  const probePrefix = inWindow[0]! + inWindow[1]! < need
  let ends = [need, need, page.total]
  if (probeExact || probePrefix) {
    // Counted in CTEs the planner costs whole: these words are rare among the hits so far, and
    // a LIMIT beside the scan would tempt it to read the table from the start.
    const probe = (tier: MatchTier) => sql<number>`(WITH m AS MATERIALIZED (SELECT 1 FROM contacts c WHERE ${pgMatches(words, tier)})
      SELECT COUNT(*) FROM (SELECT 1 FROM m LIMIT ${need}) AS x)`
    const probed = await db.selectNoFrom([
      (probeExact ? probe('exact') : sql<number>`NULL`).as('exact'),
      (probePrefix ? probe('prefix') : sql<number>`NULL`).as('prefix'),
    ]).executeTakeFirstOrThrow()
    ends = [numberOrNull(probed.exact) ?? need, numberOrNull(probed.prefix) ?? need, page.total]
  }
  page.items = windowServesPage(inWindow, ends, request) ? windowItems : await pageOfGroups(db, request, ends)
  return page
}

/**
 * Searches contacts: every word must match, as a substring of a name or company word or of the
 * phone's digit forms (words of 1-2 characters: as a word start). Contacts where every word is a
 * whole word come first, then those where every word starts a word, then the rest; a group of
 * up to a block's worth of hits is sorted by name whole, a bigger one a block at a time.
 */
export async function searchContacts(db: Db, words: string[], { limit, offset, countCap = SEARCH_COUNT_CAP, block = SORT_BLOCK }: { limit: number, offset: number } & SearchTuning): Promise<ContactPage> {
  const request = { words, limit, offset, countCap, block }
  const page = await (dialectOf(db) === 'postgresql' ? searchPostgres(db, request) : searchSqlite(db, request))
  // Paging ends where the count does: a capped search shows its first `countCap` hits.
  page.items = page.items.slice(0, Math.max(0, page.total - offset))
  return page
}
