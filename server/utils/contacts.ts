import { sql } from 'kysely'
import type { ContactInput } from './contact-input'
import { CONTACT_COLUMNS, selectContacts, toContact } from './contact-rows'
import type { ContactRow } from './contact-rows'
import { searchContacts } from './contact-search'
import type { SearchTuning } from './contact-search'
import type { Db } from './database-schema'
import { inTransaction } from './db-handle'
import { relinkActivity, unlinkActivity } from './activity-links'
import { normalizePhone, phoneE164, phoneSuffix } from './phone'
import { contactSearchText, searchWords } from './search-text'

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
  /** Every contact, or a search's hits counted up to `SEARCH_COUNT_CAP` (contact-search.ts). */
  total: number
  /** `true` when a search has more hits than `total` says. */
  totalCapped: boolean
  limit: number
  offset: number
}

// Multi-row INSERTs stay far below SQLite's 32766 and PostgreSQL's 65535 parameters.
const CONTACTS_PER_INSERT = 500

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
      .returning(CONTACT_COLUMNS).execute()
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
  const row = await db.selectFrom('contacts').select(CONTACT_COLUMNS).where('id', '=', id).executeTakeFirst()
  return row ? toContact(row) : null
}

/** Changes the given fields of a contact; `null` when there is no such contact. */
export function updateContact(db: Db, id: number, patch: Partial<ContactInput>): Promise<Contact | null> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('contacts').select(CONTACT_COLUMNS).where('id', '=', id).executeTakeFirst()
    if (!current) return null
    const columns = contactColumns({ ...toContact(current), ...patch })
    const row = await trx.updateTable('contacts').set({ ...columns, updated_at: new Date().toISOString() })
      .where('id', '=', id).returning(CONTACT_COLUMNS).executeTakeFirstOrThrow()
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

/** Every contact, in the name order listing uses (along the name index). */
function byName(db: Db) {
  return selectContacts(db).orderBy(sql`lower(c.name)`).orderBy('c.id')
}

/**
 * One page of contacts by name, or of the contacts matching a search (contact-search.ts: every
 * word must match; whole words first, then word starts, then the rest).
 */
export async function listContacts(db: Db, { q = '', limit, offset, countCap, block }: { q?: string, limit: number, offset: number } & SearchTuning): Promise<ContactPage> {
  const words = searchWords(q)
  if (words.length > 0) return searchContacts(db, words, { limit, offset, countCap, block })
  const rows = await byName(db).limit(limit).offset(offset).execute()
  const count = await db.selectFrom('contacts').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  return { items: rows.map(toContact), total: Number(count?.n ?? 0), totalCapped: false, limit, offset }
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
  return db.selectFrom('contacts').select(CONTACT_COLUMNS)
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
