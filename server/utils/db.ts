/**
 * The dashboard's database: SQLite in a file by default, PostgreSQL when `DATABASE_URL` is
 * set. Both are read from the environment when the first request needs the database (not at
 * build time), so one `.output` build runs on either. PostgreSQL is the way to run several
 * dashboard instances on shared data.
 */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Database } from 'db0'
import type { Client, InValue } from '@libsql/client'
import type * as PgModule from 'pg'
import { createGuardedDatabase, withTransaction } from './db-connection'
import { migrate } from './migrations'
import { seedDemoContacts } from './demo-contacts'

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
}

/** The SQLite file used when neither `DATABASE_URL` nor `LEADDESK_TALK_DB_FILE` is set (relative to the working directory). */
export const DEFAULT_SQLITE_FILE = '.data/leaddesk-talk.sqlite'

/** Reads the settings from `DATABASE_URL`, `LEADDESK_TALK_DB_FILE` and `LEADDESK_TALK_SEED`. */
export function databaseSettingsFromEnv(env: Record<string, string | undefined> = process.env): DatabaseSettings {
  return {
    url: env.DATABASE_URL?.trim() || null,
    file: resolve(env.LEADDESK_TALK_DB_FILE?.trim() || DEFAULT_SQLITE_FILE),
    seed: env.LEADDESK_TALK_SEED?.trim().toLowerCase() !== 'false',
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`

async function connectPostgres(url: string, schema: string | undefined): Promise<Database> {
  const [{ default: postgresqlConnector }, { default: pg }] = await Promise.all([import('db0/connectors/postgresql'), import('pg')])
  // db0 attaches no 'error' listener to its pg.Client, and an unhandled 'error' (the server
  // restarting under an idle connection) would crash the process. The failure surfaces on the
  // next query instead, which reopens the connection.
  class Client extends pg.Client {
    constructor(config?: string | PgModule.ClientConfig) {
      super(config)
      this.on('error', () => {})
    }
  }
  return createGuardedDatabase({
    connector: postgresqlConnector({
      connectionString: url,
      connectionTimeoutMillis: 5000,
      // The driver module with our Client in place of its own; the rest of it is unchanged.
      lib: { ...pg, Client } as unknown as typeof PgModule,
    }),
    setup: async (exec) => {
      if (!schema) return
      await exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`)
      await exec(`SET search_path TO ${quoteIdentifier(schema)}`)
    },
  })
}

async function connectSqlite(file: string): Promise<Database> {
  const { default: libsqlConnector } = await import('db0/connectors/libsql/node')
  return createGuardedDatabase({
    // One connection: statements are serialised anyway, and per-connection PRAGMAs then hold for all.
    connector: libsqlConnector({ url: `file:${file}`, concurrency: 1 }),
    setup: async (exec) => {
      mkdirSync(dirname(file), { recursive: true })
      // Another process (a second `nuxt dev`, a backup) may hold the write lock briefly: wait rather than fail.
      await exec('PRAGMA busy_timeout = 5000')
      await exec('PRAGMA journal_mode = WAL')
    },
    // libsql rolls back a BEGIN sent through execute(); its own transaction object keeps the connection.
    begin: async (connector) => {
      const client = await connector.getInstance() as Client
      const tx = await client.transaction('write')
      return {
        query: async (sql, args, method) => {
          const result = await tx.execute({ sql, args: args as InValue[] })
          return method === 'all' ? result.rows : method === 'get' ? result.rows[0] : { success: true, ...result }
        },
        commit: () => tx.commit(),
        rollback: () => tx.rollback(),
      }
    },
  })
}

/** Opens the database, applies pending migrations and, for a new database, seeds the demo contacts. */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  const db = settings.url ? await connectPostgres(settings.url, settings.schema) : await connectSqlite(settings.file)
  try {
    await withTransaction(db, async () => {
      const applied = await migrate(db)
      if (settings.seed && applied.includes(1)) await seedDemoContacts(db)
    })
  }
  catch (error) {
    await db.dispose().catch(() => {})
    throw error
  }
  return db
}

let shared: Promise<Database> | null = null

/** The process-wide database, opened on first use from the environment; a failed open is retried on the next call. */
export function useAppDatabase(): Promise<Database> {
  shared ??= openDatabase(databaseSettingsFromEnv()).catch((error: unknown) => {
    shared = null
    throw error
  })
  return shared
}

/** Which kind of database this is, as `/api/health` reports it. */
export function databaseKind(db: Database): 'sqlite' | 'postgresql' {
  return db.dialect === 'postgresql' ? 'postgresql' : 'sqlite'
}
