import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { openDatabase } from '../../../../server/utils/db'
import type { AppDatabase, DatabaseSettings } from '../../../../server/utils/db'

/** A database the API suites run against: a temp SQLite file or a fresh PostgreSQL schema. */
export interface TestBackend {
  name: 'sqlite' | 'postgresql'
  /** Opens a new, empty (unseeded) database; `drop` removes it. */
  create: (settings?: Partial<DatabaseSettings>) => Promise<TestDatabase>
}

/** A test database, the first instance opened on it, and a way to open more (another server process would). */
export interface TestDatabase {
  app: AppDatabase
  /** Opens another instance on the same database (closed by `drop`). */
  open: (settings?: Partial<DatabaseSettings>) => Promise<AppDatabase>
  drop: () => Promise<void>
}

const sqlite: TestBackend = {
  name: 'sqlite',
  async create(settings) {
    const dir = mkdtempSync(join(tmpdir(), 'leaddesk-talk-'))
    const opened: AppDatabase[] = []
    const open = async (more?: Partial<DatabaseSettings>) => {
      const app = await openDatabase({ url: null, file: join(dir, 'test.sqlite'), seed: false, ...settings, ...more })
      opened.push(app)
      return app
    }
    return {
      app: await open(),
      open,
      drop: async () => {
        for (const app of opened) await app.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}

function postgresql(url: string): TestBackend {
  return {
    name: 'postgresql',
    async create(settings) {
      // A schema of its own per suite: suites run in parallel on one database.
      const schema = `test_${randomBytes(6).toString('hex')}`
      const opened: AppDatabase[] = []
      const open = async (more?: Partial<DatabaseSettings>) => {
        const app = await openDatabase({ url, file: '', schema, seed: false, ...settings, ...more })
        opened.push(app)
        return app
      }
      const app = await open()
      return {
        app,
        open,
        drop: async () => {
          await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(app.db)
          for (const one of opened) await one.close()
        },
      }
    },
  }
}

const postgresUrl = process.env.TEST_DATABASE_URL?.trim()
if (!postgresUrl) {
  console.warn('\n!!! TEST_DATABASE_URL is not set: the server API tests run against SQLite ONLY, PostgreSQL is NOT tested.\n!!! Run `sudo bash scripts/start-postgres.sh` and set TEST_DATABASE_URL=postgresql://talk:talk@127.0.0.1:5432/talk_test\n')
}

/** The backends to test: SQLite always, PostgreSQL when TEST_DATABASE_URL is set (a warning says so when it is not). */
export const backends: TestBackend[] = postgresUrl ? [sqlite, postgresql(postgresUrl)] : [sqlite]

/** The PostgreSQL URL the tests use, or `undefined` when PostgreSQL is not tested. */
export const testPostgresUrl = postgresUrl
