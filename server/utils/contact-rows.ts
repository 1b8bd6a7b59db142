/**
 * A contacts row as the queries select it, and its API shape: shared by the contact functions
 * (contacts.ts) and search (contact-search.ts).
 */
import type { Selectable } from 'kysely'
import type { Contact } from './contacts'
import type { ContactsTable, Db } from './database-schema'
import { formatPhone } from './phone'

/** The columns every contact query selects. */
export const CONTACT_COLUMNS = ['id', 'name', 'phone', 'phone_normalized', 'company', 'email', 'notes', 'created_at', 'updated_at'] as const

/** A selected contacts row. */
export type ContactRow = Pick<Selectable<ContactsTable>, typeof CONTACT_COLUMNS[number]>

/** A row as the API returns it. */
export function toContact(row: ContactRow): Contact {
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

/** `SELECT` of every contact column from `contacts` aliased `c`. */
export function selectContacts(db: Db) {
  return db.selectFrom('contacts as c').select(CONTACT_COLUMNS.map(column => `c.${column}` as const))
}
