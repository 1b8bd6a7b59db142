import type { Database, Primitive } from 'db0'
import type { ContactInput } from './contact-input'
import { withTransaction } from './db-connection'
import { relinkActivity, unlinkActivity } from './activity-links'
import { normalizePhone, phoneSuffix } from './phone'
import { contactTerms, prefixUpperBound, queryPrefixes } from './search-terms'
import { chunks, execute, selectRow, selectRows, toNumber, valuesPlaceholders } from './sql'

/** A contact as the API returns it. */
export interface Contact {
  id: number
  name: string
  phone: string
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
 * ("0", "a") reads every one of their index entries, 20-40 ms on 100,000 contacts; counting
 * stops here instead, so every keystroke costs about the same however broad it is.
 */
export const SEARCH_COUNT_CAP = 10_000

interface ContactRow {
  id: unknown
  name: string
  phone: string
  phone_normalized: string
  company: string | null
  email: string | null
  notes: string | null
  created_at: string
  updated_at: string
}

const COLUMNS = 'id, name, phone, phone_normalized, company, email, notes, created_at, updated_at'
// Multi-row INSERTs stay far below SQLite's 32766 and PostgreSQL's 65535 parameters.
const CONTACTS_PER_INSERT = 500
const TERMS_PER_INSERT = 1000

function toContact(row: ContactRow): Contact {
  return {
    id: toNumber(row.id),
    name: row.name,
    phone: row.phone,
    company: row.company,
    email: row.email,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

async function writeTerms(db: Database, rows: ContactRow[]): Promise<void> {
  const pairs: Primitive[][] = rows.flatMap(row =>
    contactTerms({ name: row.name, company: row.company, phoneNormalized: row.phone_normalized }).map(term => [term, toNumber(row.id)]))
  for (const batch of chunks(pairs, TERMS_PER_INSERT)) {
    await execute(db, `INSERT INTO contact_terms (term, contact_id) VALUES ${valuesPlaceholders(batch.length, 2)}`, batch.flat())
  }
}

/**
 * Inserts contacts with their search terms, in batches, and returns them with their ids.
 * Call it inside `withTransaction` when the rows must land together.
 */
export async function insertContacts(db: Database, inputs: ContactInput[]): Promise<Contact[]> {
  const now = new Date().toISOString()
  const created: Contact[] = []
  for (const batch of chunks(inputs, CONTACTS_PER_INSERT)) {
    const params = batch.flatMap((input) => {
      const normalized = normalizePhone(input.phone)
      return [input.name, input.phone, normalized, phoneSuffix(normalized), input.company, input.email, input.notes, now, now]
    })
    const rows = await selectRows<ContactRow>(db,
      `INSERT INTO contacts (name, phone, phone_normalized, phone_suffix, company, email, notes, created_at, updated_at)
       VALUES ${valuesPlaceholders(batch.length, 9)} RETURNING ${COLUMNS}`, params)
    await writeTerms(db, rows)
    created.push(...rows.map(toContact))
  }
  return created
}

/** Creates one contact and links earlier calls and texts from its number to it. */
export function createContact(db: Database, input: ContactInput): Promise<Contact> {
  return withTransaction(db, async () => {
    const [contact] = await insertContacts(db, [input])
    await relinkActivity(db)
    return contact!
  })
}

/** Reads one contact, or `null`. */
export async function getContact(db: Database, id: number): Promise<Contact | null> {
  const row = await selectRow<ContactRow>(db, `SELECT ${COLUMNS} FROM contacts WHERE id = ?`, [id])
  return row ? toContact(row) : null
}

/** Changes the given fields of a contact; `null` when there is no such contact. */
export function updateContact(db: Database, id: number, patch: Partial<ContactInput>): Promise<Contact | null> {
  return withTransaction(db, async () => {
    const current = await selectRow<ContactRow>(db, `SELECT ${COLUMNS} FROM contacts WHERE id = ?`, [id])
    if (!current) return null
    const next = { ...toContact(current), ...patch }
    const normalized = normalizePhone(next.phone)
    const [row] = await selectRows<ContactRow>(db,
      `UPDATE contacts SET name = ?, phone = ?, phone_normalized = ?, phone_suffix = ?, company = ?, email = ?, notes = ?, updated_at = ?
       WHERE id = ? RETURNING ${COLUMNS}`,
      [next.name, next.phone, normalized, phoneSuffix(normalized), next.company, next.email, next.notes, new Date().toISOString(), id])
    await execute(db, 'DELETE FROM contact_terms WHERE contact_id = ?', [id])
    await writeTerms(db, [row!])
    if (normalized !== current.phone_normalized) {
      // Calls belong to a contact through its number: a new number takes its own calls along.
      await unlinkActivity(db, id, { calls: true, sms: false })
      await relinkActivity(db)
    }
    return toContact(row!)
  })
}

/** Deletes a contact; its calls and texts stay, unlinked (or linked to another contact with the same number). */
export function deleteContact(db: Database, id: number): Promise<boolean> {
  return withTransaction(db, async () => {
    const gone = await selectRows(db, 'DELETE FROM contacts WHERE id = ? RETURNING id', [id])
    if (gone.length === 0) return false
    await execute(db, 'DELETE FROM contact_terms WHERE contact_id = ?', [id])
    await unlinkActivity(db, id, { calls: true, sms: true })
    await relinkActivity(db)
    return true
  })
}

interface PrefixRange {
  sql: string
  params: Primitive[]
}

function prefixRanges(query: string, column: string): PrefixRange[] {
  return queryPrefixes(query).map((prefix) => {
    const upper = prefixUpperBound(prefix)
    return { sql: `${column} >= ?${upper === null ? '' : ` AND ${column} < ?`}`, params: upper === null ? [prefix] : [prefix, upper] }
  })
}

/** How many times fewer rows the walk must be estimated to read than collecting the hits (see `listContacts`). */
const WALK_MARGIN = 4

const C_COLUMNS = COLUMNS.split(', ').map(column => `c.${column}`).join(', ')

/**
 * Searches contacts by word prefixes of name and company and by phone digits (see
 * search-terms.ts), ordered by name.
 *
 * The hits are counted first (an index range per word); then one of two plans fetches the
 * page, whichever reads fewer rows. Few hits: collect them and sort them (cost ~ hits).
 * Many hits (a one-letter query): walk the name index and keep the contacts that have a
 * matching term until the page is full (cost ~ (offset + limit) x contacts / hits). Left to
 * themselves the planners guess wrong both ways: PostgreSQL took over a second for a word
 * 2 % of 100,000 contacts have, SQLite 200 ms for the other case.
 *
 * The walk's estimate assumes the hits are spread evenly over the name order, and they seldom
 * are: a surname or a company word gathers under a few first names, so the walk may read many
 * times the estimate before its page is full. It is chosen only when it wins by WALK_MARGIN
 * (on 100,000 contacts, "vi" — 3.7 % of them — took 40 ms to walk and 7 ms to collect, while
 * "harbour", estimated 4.3 times cheaper to walk, still walked faster: 7 ms against 10).
 */
export async function listContacts(db: Database, { q = '', limit, offset, countCap = SEARCH_COUNT_CAP }: { q?: string, limit: number, offset: number, countCap?: number }): Promise<ContactPage> {
  const ranges = prefixRanges(q, 'term')
  const countAll = async () => toNumber((await selectRow<{ n: unknown }>(db, 'SELECT COUNT(*) AS n FROM contacts'))?.n ?? 0)
  if (ranges.length === 0) {
    const rows = await selectRows<ContactRow>(db, `SELECT ${COLUMNS} FROM contacts ORDER BY lower(name), id LIMIT ? OFFSET ?`, [limit, offset])
    return { items: rows.map(toContact), total: await countAll(), totalCapped: false, limit, offset }
  }
  const params = ranges.flatMap(range => range.params)
  // Each matching contact once: INTERSECT drops repeats itself, a single range needs DISTINCT.
  const hits = ranges.length === 1
    ? `SELECT DISTINCT contact_id FROM contact_terms WHERE ${ranges[0]!.sql}`
    : ranges.map(range => `SELECT contact_id FROM contact_terms WHERE ${range.sql}`).join(' INTERSECT ')
  // Terms are deleted with their contact, so counting the matching ids counts contacts. One
  // more than the cap is counted, to know whether there are more.
  const counted = toNumber((await selectRow<{ n: unknown }>(db, `SELECT COUNT(*) AS n FROM (${hits} LIMIT ?) AS hits`, [...params, countCap + 1]))?.n ?? 0)
  const total = Math.min(counted, countCap)
  const totalCapped = counted > countCap
  if (total === 0 || offset >= total) return { items: [], total, totalCapped, limit, offset }

  const walk = total > 1000 && total * total > WALK_MARGIN * (offset + limit) * await countAll()
  const rows = walk
    ? await selectRows<ContactRow>(db,
        `SELECT ${COLUMNS} FROM contacts c
         WHERE ${prefixRanges(q, 't.term').map(range => `EXISTS (SELECT 1 FROM contact_terms t WHERE t.contact_id = c.id AND ${range.sql})`).join(' AND ')}
         ORDER BY lower(c.name), c.id LIMIT ? OFFSET ?`,
        [...params, limit, offset])
    : await selectRows<ContactRow>(db,
        `WITH hits AS MATERIALIZED (${hits})
         SELECT ${C_COLUMNS} FROM contacts c JOIN hits h ON h.contact_id = c.id ORDER BY lower(c.name), c.id LIMIT ? OFFSET ?`,
        [...params, limit, offset])
  return { items: rows.map(toContact), total, totalCapped, limit, offset }
}

/** Every contact ordered by name, a batch at a time (for the CSV export). */
export async function* allContacts(db: Database, batchSize = 1000): AsyncGenerator<Contact[]> {
  let after: { name: string, id: number } | null = null
  for (;;) {
    // Keyset paging: each batch starts where the previous ended, so the cost stays flat.
    const rows: ContactRow[] = after
      ? await selectRows<ContactRow>(db,
          `SELECT ${COLUMNS} FROM contacts WHERE (lower(name), id) > (lower(?), ?) ORDER BY lower(name), id LIMIT ?`,
          [after.name, after.id, batchSize])
      : await selectRows<ContactRow>(db, `SELECT ${COLUMNS} FROM contacts ORDER BY lower(name), id LIMIT ?`, [batchSize])
    if (rows.length === 0) return
    const batch = rows.map(toContact)
    yield batch
    const last = batch[batch.length - 1]!
    after = { name: last.name, id: last.id }
  }
}

/** The id of the contact a phone number belongs to (exact number first, then the national/international equivalence), or `null`. */
export async function findContactIdByPhone(db: Database, number: string | null): Promise<number | null> {
  if (!number) return null
  const normalized = normalizePhone(number)
  const row = await selectRow<{ id: unknown }>(db,
    `SELECT id FROM contacts WHERE phone_normalized = ? OR phone_suffix = ?
     ORDER BY CASE WHEN phone_normalized = ? THEN 0 ELSE 1 END, id LIMIT 1`,
    [normalized, phoneSuffix(normalized), normalized])
  return row ? toNumber(row.id) : null
}
