/**
 * The tables as the server's queries see them: the one schema definition every query is
 * typed against (migrations.ts creates them). The search indexes (SQLite FTS5 tables,
 * PostgreSQL's trigram index) are not listed: queries reach them through `sql` fragments.
 */
import type { Generated, Kysely, Transaction } from 'kysely'

/** A contact; `search_text` is its folded words and phone digit forms (search-text.ts). */
export interface ContactsTable {
  id: Generated<number>
  name: string
  phone: string
  phone_normalized: string
  phone_suffix: string | null
  /** The phone in E.164 as libphonenumber-js reads it (phone.ts); `null` when it cannot be placed. */
  phone_e164: string | null
  company: string | null
  email: string | null
  notes: string | null
  search_text: string
  created_at: string
  updated_at: string
}

/** A completed Talk call, keyed by Talk's call id. */
export interface CallsTable {
  id: number
  direction: 'in' | 'out'
  number: string | null
  number_normalized: string | null
  number_suffix: string | null
  number_e164: string | null
  contact_id: number | null
  /** 1 or 0 (SQLite has no boolean). */
  answered: number
  call_start: string | null
  talk_start: string | null
  call_end: string | null
  duration: number | null
  comment: string | null
  record_url: string | null
  reason_name: string | null
  reason_logical_name: string | null
  completed_at: string
  received_at: string
  /** Why the call was lost before Talk completed it (`page-closed`, `frame-reloaded`, `logged-out`, `talk-restarted`); `null` for a completed call. */
  interrupted_reason: string | null
  /** Where the call was when it was lost: `ringing`, `connected` or `wrap-up`. */
  interrupted_phase: string | null
  interrupted_at: string | null
  /** The agent's own note on the call (the dashboard's, not Talk's comment). */
  note: string | null
  note_updated_at: string | null
}

/** A text the agent sent. */
export interface SmsTable {
  id: Generated<number>
  call_id: number | null
  contact_id: number | null
  number: string | null
  number_normalized: string | null
  number_suffix: string | null
  text: string
  sent_at: string
  /** The client's name for the text (`POST /api/sms` `idempotencyKey`); unique, so a repeat is stored once. */
  idempotency_key: string | null
}

/** Rows of a CSV import being read, before its one transaction moves them into `contacts`. */
export type ContactImportRowsTable = Omit<ContactsTable, 'id' | 'created_at' | 'updated_at'> & {
  import_id: string
  /** The line of the file the row starts on. */
  line: number
  staged_at: string
}

/** Which migrations a database has seen. */
export interface SchemaMigrationsTable {
  version: number
  name: string
  applied_at: string
}

/** One row (`id` 1) that readiness rewrites to prove the database takes writes. */
export interface HealthHeartbeatTable {
  id: number
  beats: number
  at: string
}

/** Every table of the dashboard's database. */
export interface DatabaseSchema {
  contacts: ContactsTable
  calls: CallsTable
  sms: SmsTable
  contact_import_rows: ContactImportRowsTable
  schema_migrations: SchemaMigrationsTable
  health_heartbeat: HealthHeartbeatTable
}

/** A database handle: the whole database, or one transaction (`db.transaction().execute(trx => ...)`). */
export type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>
