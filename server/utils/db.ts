/**
 * The dashboard's database: SQLite in a file by default, PostgreSQL when `DATABASE_URL` is
 * set. Both are read from the environment when the first request needs the database (not at
 * build time), so one `.output` build runs on either. PostgreSQL is the way to run several
 * dashboard instances on shared data.
 *
 * Access is Kysely, typed against database-schema.ts. PostgreSQL goes through a `pg.Pool`: a
 * transaction holds one client, other requests use the others. SQLite runs on worker threads
 * (sqlite-workers.ts): readers beside the one writer, none of it on the event loop.
 */
import { resolve } from 'node:path'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely'
import pg from 'pg'
import type { DatabaseSchema } from './database-schema'
import { databaseUnavailable, isDatabaseUnavailable } from './db-errors'
import { guardedDialect } from './guarded-dialect'
import { migrate } from './migrations'
import { seedDemoContacts } from './demo-contacts'
import { sqliteWorkerDialect } from './sqlite-dialect'
import { SqliteWorkers } from './sqlite-workers'

/** Which database the dashboard talks to and how. */
export interface DatabaseSettings {
  /** A `postgresql://` URL; when set, PostgreSQL is used and `file` is ignored. */
  url: string | null
  /** The SQLite file (created with its directory when missing). */
  file: string
  /** PostgreSQL schema to work in (created when missing); the default is the role's search_path. */
  schema?: string
  /** Fill an empty, newly created database with demo contacts. */
  seed: boolean
  /** PostgreSQL connections per instance (default 10). */
  poolSize?: number
  /** SQLite reader threads (default 2). */
  readers?: number
  /** Stop migrating after this version (a test's way to make a database as an older release left it). */
  migrateUpTo?: number
}

/** An open database: the Kysely handle every query goes through, and the engine under it. */
export type AppDatabase = {
  db: Kysely<DatabaseSchema>
  /** Ends the pool or stops the threads. */
  close: () => Promise<void>
} & ({ kind: 'sqlite', workers: SqliteWorkers } | { kind: 'postgresql', pool: pg.Pool })

/** The SQLite file used when neither `DATABASE_URL` nor `LEADDESK_TALK_DB_FILE` is set (relative to the working directory). */
export const DEFAULT_SQLITE_FILE = '.data/leaddesk-talk.sqlite'

const positive = (text: string | undefined) => {
  const value = Number(text?.trim())
  return Number.isSafeInteger(value) && value > 0 ? value : undefined
}

/** Reads the settings from `DATABASE_URL`, `LEADDESK_TALK_DB_FILE`, `LEADDESK_TALK_SEED`, `LEADDESK_TALK_DB_POOL` and `LEADDESK_TALK_SQLITE_READERS`. */
export function databaseSettingsFromEnv(env: Record<string, string | undefined> = process.env): DatabaseSettings {
  return {
    url: env.DATABASE_URL?.trim() || null,
    file: resolve(env.LEADDESK_TALK_DB_FILE?.trim() || DEFAULT_SQLITE_FILE),
    seed: env.LEADDESK_TALK_SEED?.trim().toLowerCase() !== 'false',
    poolSize: positive(env.LEADDESK_TALK_DB_POOL),
    readers: positive(env.LEADDESK_TALK_SQLITE_READERS),
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`

// PostgreSQL's 8-byte integers (BIGINT ids, COUNT(*)) arrive as strings; every one of ours is a safe integer.
const INT8_OID = 20

// SQLSTATE of a write in a read-only transaction (a standby, or default_transaction_read_only).
const READ_ONLY_SQL_TRANSACTION = '25006'

/**
 * The pool as Kysely sees it, except that a connection that refused a write as read-only is
 * closed instead of going back to the pool. A session keeps the read-only default it started
 * with (`ALTER DATABASE … SET default_transaction_read_only`), and a failover leaves sessions on
 * the old primary: a fresh connection is what writes once the database takes writes again.
 */
function discardingReadOnlySessions(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect()
      let readOnly = false
      function query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
      function query<R>(...args: [string, ReadonlyArray<unknown>] | [PostgresCursor<R>]): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        if (args.length === 1) return client.query(args[0] as never) as PostgresCursor<R>
        return (client.query(args[0], args[1] as unknown[]) as unknown as Promise<PostgresQueryResult<R>>).catch((error: unknown) => {
          if ((error as { code?: unknown }).code === READ_ONLY_SQL_TRANSACTION) readOnly = true
          throw error
        })
      }
      return { query, release: destroy => client.release(destroy || readOnly) }
    },
    end: () => pool.end(),
  }
}

function connectPostgres(settings: DatabaseSettings & { url: string }): AppDatabase {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    options: settings.schema ? `-c search_path=${quoteIdentifier(settings.schema)}` : undefined,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser },
  })
  // A connection the server drops (restart, network cut) emits 'error'; unhandled, that would
  // end the process. The pool discards the client and the next query fails or reconnects.
  pool.on('error', () => {})
  pool.on('connect', client => client.on('error', () => {}))
  const db = new Kysely<DatabaseSchema>({ dialect: guardedDialect(new PostgresDialect({ pool: discardingReadOnlySessions(pool) })) })
  return { kind: 'postgresql', db, pool, close: () => db.destroy() }
}

function connectSqlite(settings: DatabaseSettings): AppDatabase {
  const workers = new SqliteWorkers({ file: settings.file, readers: settings.readers })
  const db = new Kysely<DatabaseSchema>({ dialect: guardedDialect(sqliteWorkerDialect(workers)) })
  return { kind: 'sqlite', db, workers, close: () => db.destroy() }
}

/** Opens the database, applies pending migrations and, for a new database, seeds the demo contacts. */
export async function openDatabase(settings: DatabaseSettings): Promise<AppDatabase> {
  let app: AppDatabase | undefined
  try {
    app = settings.url ? connectPostgres({ ...settings, url: settings.url }) : connectSqlite(settings)
    // The pool's connections search this schema; it must exist before the first table is made.
    if (app.kind === 'postgresql' && settings.schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(settings.schema)}`.execute(app.db)
    const applied = await migrate(app.db, app.kind, { upTo: settings.migrateUpTo })
    if (settings.seed && applied.includes(1)) await seedDemoContacts(app.db)
    return app
  }
  catch (error) {
    await app?.close().catch(() => undefined)
    throw isDatabaseUnavailable(error) ? error : databaseUnavailable(error)
  }
}

let shared: Promise<AppDatabase> | null = null

/** The process-wide database, opened on first use from the environment; a failed open is retried on the next call. */
export function useAppDatabase(): Promise<AppDatabase> {
  shared ??= openDatabase(databaseSettingsFromEnv()).catch((error: unknown) => {
    shared = null
    throw error
  })
  return shared
}
