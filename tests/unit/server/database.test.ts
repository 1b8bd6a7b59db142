import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer } from './support/api-app'
import { backends } from './support/backends'
import { databaseSettingsFromEnv, openDatabase } from '../../../server/utils/db'
import type { AppDatabase } from '../../../server/utils/db'
import type { DatabaseSchema } from '../../../server/utils/database-schema'
import type { Kysely } from 'kysely'
import { migrate, migrations } from '../../../server/utils/migrations'

const countContacts = async (db: Kysely<DatabaseSchema>) => Number((await db.selectFrom('contacts').select(eb => eb.fn.countAll().as('n')).executeTakeFirst())?.n)
const pageCount = async (db: Kysely<DatabaseSchema>) => Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0]?.page_count)

describe('an unavailable database', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leaddesk-talk-down-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function expectUnavailable(open: () => Promise<AppDatabase>, reason: RegExp) {
    const server = await startApiServer(open)
    try {
      for (const path of ['/api/health', '/api/health/ready', '/api/contacts', '/api/calls']) {
        const res = await fetch(`${server.url}${path}`)
        expect(res.status, path).toBe(503)
        const body = await res.json()
        expect(body.statusCode).toBe(503)
        expect(body.message).toMatch(/^The database is unavailable: /)
        expect(body.message).toMatch(reason)
        expect(body.stack).toBeUndefined()
        expect(JSON.stringify(body)).not.toMatch(/\.(ts|mjs|js):\d+/)
      }
    }
    finally {
      await server.close()
    }
  }

  it('answers 503 with a readable message when PostgreSQL refuses connections', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await expectUnavailable(() => openDatabase({ url: 'postgresql://talk:talk@127.0.0.1:1/talk_test', file: '', seed: false }), /connection refused/)
  })

  it('answers 503 when the SQLite file cannot be created', async () => {
    const notADirectory = join(dir, 'plain-file')
    writeFileSync(notADirectory, 'not a directory')
    await expectUnavailable(() => openDatabase({ url: null, file: join(notADirectory, 'db.sqlite'), seed: false }), /database directory cannot be created/)
  })

  it('answers 503 while another process holds the SQLite file locked, writes nothing, and is not ready meanwhile', async () => {
    const file = join(dir, 'locked.sqlite')
    const app = await openDatabase({ url: null, file, seed: false })
    const server = await startApiServer(async () => app)
    const other = new BetterSqlite3(file)
    try {
      other.exec('BEGIN IMMEDIATE')
      other.exec('DELETE FROM contacts')
      const ready = await fetch(`${server.url}/api/health/ready`)
      expect(ready.status).toBe(503)
      expect((await ready.json()).message).toMatch(/^Not ready: database: /)
      const res = await fetch(`${server.url}/api/contacts`, { method: 'POST', body: JSON.stringify({ name: 'Locked Out', phone: '+358401112222' }), headers: { 'content-type': 'application/json' } })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: the database is locked/)
      other.exec('ROLLBACK')
      expect((await (await fetch(`${server.url}/api/contacts?q=locked`)).json()).total).toBe(0)
      await expect.poll(async () => (await fetch(`${server.url}/api/health/ready`)).status, { timeout: 10_000 }).toBe(200)
    }
    finally {
      other.close()
      await server.close()
      await app.close()
    }
  }, 30_000)

  it('answers 503 when the disk is full in the middle of an import, and keeps none of its rows', async () => {
    const app = await openDatabase({ url: null, file: join(dir, 'full.sqlite'), seed: false })
    const server = await startApiServer(async () => app)
    try {
      // SQLite's page limit fails writes exactly as a full disk does (SQLITE_FULL).
      await sql.raw(`PRAGMA max_page_count = ${await pageCount(app.db) + 2}`).execute(app.db)
      const rows = Array.from({ length: 2000 }, (_, i) => `Person ${i} ${'x'.repeat(150)},+35840${String(1000000 + i)}`)
      const res = await fetch(`${server.url}/api/contacts/import`, { method: 'POST', body: ['name,phone', ...rows].join('\n'), headers: { 'content-type': 'text/csv' } })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: the disk is full/)
      expect(await countContacts(app.db)).toBe(0)
    }
    finally {
      await server.close()
      await app.close()
    }
  })

  it('answers 503 when the disk fills up in the middle of a batch of calls, and keeps none of them', async () => {
    const app = await openDatabase({ url: null, file: join(dir, 'full-batch.sqlite'), seed: false })
    const server = await startApiServer(async () => app)
    try {
      await sql.raw(`PRAGMA max_page_count = ${await pageCount(app.db) + 2}`).execute(app.db)
      const calls = Array.from({ length: 50 }, (_, i) => ({
        id: 9000 + i, direction: 'out', to: `+35840${1000000 + i}`, from: null, answered: true, callStart: null, talkStart: null,
        callEnd: null, duration: 10, comment: 'x'.repeat(2000), recordUrl: null, reason: null,
      }))
      const res = await fetch(`${server.url}/api/calls/batch`, { method: 'POST', body: JSON.stringify({ calls }), headers: { 'content-type': 'application/json' } })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: the disk is full/)
      expect(Number((await app.db.selectFrom('calls').select(eb => eb.fn.countAll().as('n')).executeTakeFirst())?.n)).toBe(0)
    }
    finally {
      await server.close()
      await app.close()
    }
  })
})

describe('database settings', () => {
  it('uses SQLite in .data by default and PostgreSQL when DATABASE_URL is set at run time', () => {
    expect(databaseSettingsFromEnv({})).toMatchObject({ url: null, file: expect.stringMatching(/\.data[/\\]leaddesk-talk\.sqlite$/), seed: true })
    expect(databaseSettingsFromEnv({ DATABASE_URL: 'postgresql://u:p@h/db', LEADDESK_TALK_SEED: 'false' })).toMatchObject({ url: 'postgresql://u:p@h/db', seed: false })
    expect(databaseSettingsFromEnv({ LEADDESK_TALK_DB_FILE: '/tmp/x/talk.sqlite' }).file).toBe('/tmp/x/talk.sqlite')
    expect(databaseSettingsFromEnv({ LEADDESK_TALK_DB_POOL: '20', LEADDESK_TALK_SQLITE_READERS: 'x' })).toMatchObject({ poolSize: 20, readers: undefined })
  })
})

for (const backend of backends) {
  describe(`the ${backend.name} database`, () => {
    it('reports itself alive and ready', async () => {
      const { app, drop } = await backend.create()
      const server = await startApiServer(async () => app)
      try {
        const res = await fetch(`${server.url}/api/health`)
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ ok: true, database: backend.name })
        const ready = await fetch(`${server.url}/api/health/ready`)
        expect(ready.status).toBe(200)
        expect(await ready.json()).toEqual({ ok: true, database: backend.name, checks: { database: 'ok' } })
      }
      finally {
        await server.close()
        await drop()
      }
    })

    it('applies each migration once and seeds the same demo contacts on every new database', async () => {
      const first = await backend.create({ seed: true })
      const second = await backend.create({ seed: true })
      try {
        const names = (db: Kysely<DatabaseSchema>) => db.selectFrom('contacts').select(['name', 'phone']).orderBy('id').execute()
        const seeded = await names(first.app.db)
        expect(seeded.length).toBe(300)
        expect(await names(second.app.db)).toEqual(seeded)
        const phones = seeded.map(c => c.phone)
        expect(phones.some(p => p.startsWith('+358 40 '))).toBe(true)
        expect(phones.some(p => p.startsWith('+46 70 174 06 '))).toBe(true)
        expect(phones.some(p => p.startsWith('+44 7700 900'))).toBe(true)
        expect(await migrate(first.app.db, first.app.kind)).toEqual([])
        expect(await first.app.db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).toEqual(migrations.map(({ version }) => ({ version })))
      }
      finally {
        await first.drop()
        await second.drop()
      }
    })

    it('recovers on its own when the connection is cut under it', async () => {
      const { app, drop } = await backend.create()
      const server = await startApiServer(async () => app)
      try {
        if (app.kind === 'postgresql') {
          // The server ends one pooled session, as a restart or a network cut would.
          await sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(app.db).catch(() => undefined)
        }
        else {
          // A SQLite thread that dies (a crash) is the SQLite equivalent.
          await Promise.all([app.workers.writer, ...app.workers.readers].map(thread => thread.terminate()))
        }
        const first = await fetch(`${server.url}/api/contacts`)
        expect([200, 503]).toContain(first.status)
        await expect.poll(async () => (await fetch(`${server.url}/api/contacts`)).status).toBe(200)
        await expect.poll(async () => (await fetch(`${server.url}/api/health/ready`)).status).toBe(200)
      }
      finally {
        await server.close()
        await drop()
      }
    })

    it('serves many concurrent writes without losing one', async () => {
      const { app, drop } = await backend.create()
      const server = await startApiServer(async () => app)
      try {
        const statuses = await Promise.all([
          ...Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/api/contacts`, {
            method: 'POST', body: JSON.stringify({ name: `Parallel ${i}`, phone: `+44 7700 900${400 + i}` }), headers: { 'content-type': 'application/json' },
          }).then(res => res.status)),
          fetch(`${server.url}/api/contacts/import`, { method: 'POST', body: 'name,phone\nBulk One,0401111111\nBulk Two,0402222222\n', headers: { 'content-type': 'text/csv' } }).then(res => res.status),
        ])
        expect(statuses).toEqual([...Array.from({ length: 20 }, () => 201), 200])
        expect(await countContacts(app.db)).toBe(22)
      }
      finally {
        await server.close()
        await drop()
      }
    })
  })
}
