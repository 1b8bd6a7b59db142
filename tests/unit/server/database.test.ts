import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import type { Database } from 'db0'
import { startApiServer } from './support/api-app'
import { backends } from './support/backends'
import { databaseSettingsFromEnv, openDatabase } from '../../../server/utils/db'
import { migrate, migrations } from '../../../server/utils/migrations'
import { selectRow, selectRows } from '../../../server/utils/sql'

describe('an unavailable database', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leaddesk-talk-down-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function expectUnavailable(open: () => Promise<Database>, reason: RegExp) {
    const server = await startApiServer(open)
    try {
      for (const path of ['/api/health', '/api/contacts', '/api/calls']) {
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

  it('answers 503 while another process holds the SQLite file locked, and writes nothing', async () => {
    const file = join(dir, 'locked.sqlite')
    const db = await openDatabase({ url: null, file, seed: false })
    const server = await startApiServer(async () => db)
    const other = createClient({ url: `file:${file}` })
    const hold = await other.transaction('write')
    try {
      await hold.execute('DELETE FROM contacts')
      const res = await fetch(`${server.url}/api/contacts`, { method: 'POST', body: JSON.stringify({ name: 'Locked Out', phone: '+358401112222' }), headers: { 'content-type': 'application/json' } })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: the database is locked/)
      await hold.rollback()
      expect((await (await fetch(`${server.url}/api/contacts?q=locked`)).json()).total).toBe(0)
    }
    finally {
      hold.close()
      other.close()
      await server.close()
    }
  }, 20_000)

  it('answers 503 when the disk is full in the middle of an import, and keeps none of its rows', async () => {
    const db = await openDatabase({ url: null, file: join(dir, 'full.sqlite'), seed: false })
    const server = await startApiServer(async () => db)
    try {
      // SQLite's page limit fails writes exactly as a full disk does (SQLITE_FULL).
      const pages = Number((await selectRow<{ page_count: unknown }>(db, 'PRAGMA page_count'))?.page_count)
      await db.exec(`PRAGMA max_page_count = ${pages + 2}`)
      const rows = Array.from({ length: 2000 }, (_, i) => `Person ${i} ${'x'.repeat(150)},+35840${String(1000000 + i)}`)
      const res = await fetch(`${server.url}/api/contacts/import`, { method: 'POST', body: ['name,phone', ...rows].join('\n'), headers: { 'content-type': 'text/csv' } })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: the disk is full/)
      expect((await selectRow<{ n: unknown }>(db, 'SELECT COUNT(*) AS n FROM contacts'))?.n).toBe(0)
    }
    finally {
      await server.close()
    }
  })
  it('answers 503 when the disk fills up in the middle of a batch of calls, and keeps none of them', async () => {
    const db = await openDatabase({ url: null, file: join(dir, 'full-batch.sqlite'), seed: false })
    const server = await startApiServer(async () => db)
    try {
      const pages = Number((await selectRow<{ page_count: unknown }>(db, 'PRAGMA page_count'))?.page_count)
      await db.exec(`PRAGMA max_page_count = ${pages + 2}`)
      const calls = Array.from({ length: 50 }, (_, i) => ({
        id: 9000 + i, direction: 'out', to: `+35840${1000000 + i}`, from: null, answered: true, callStart: null, talkStart: null,
        callEnd: null, duration: 10, comment: 'x'.repeat(2000), recordUrl: null, reason: null,
      }))
      const res = await fetch(`${server.url}/api/calls/batch`, { method: 'POST', body: JSON.stringify({ calls }), headers: { 'content-type': 'application/json' } })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: the disk is full/)
      expect((await selectRow<{ n: unknown }>(db, 'SELECT COUNT(*) AS n FROM calls'))?.n).toBe(0)
    }
    finally {
      await server.close()
    }
  })
})

describe('database settings', () => {
  it('uses SQLite in .data by default and PostgreSQL when DATABASE_URL is set at run time', () => {
    expect(databaseSettingsFromEnv({})).toMatchObject({ url: null, file: expect.stringMatching(/\.data[/\\]leaddesk-talk\.sqlite$/), seed: true })
    expect(databaseSettingsFromEnv({ DATABASE_URL: 'postgresql://u:p@h/db', LEADDESK_TALK_SEED: 'false' })).toMatchObject({ url: 'postgresql://u:p@h/db', seed: false })
    expect(databaseSettingsFromEnv({ LEADDESK_TALK_DB_FILE: '/tmp/x/talk.sqlite' }).file).toBe('/tmp/x/talk.sqlite')
  })
})

for (const backend of backends) {
  describe(`the ${backend.name} database`, () => {
    it('reports itself healthy', async () => {
      const { db, drop } = await backend.create()
      const server = await startApiServer(async () => db)
      try {
        const res = await fetch(`${server.url}/api/health`)
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ ok: true, database: backend.name })
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
        const names = (db: Database) => selectRows<{ name: string, phone: string }>(db, 'SELECT name, phone FROM contacts ORDER BY id')
        const seeded = await names(first.db)
        expect(seeded.length).toBe(300)
        expect(await names(second.db)).toEqual(seeded)
        const phones = seeded.map(c => c.phone)
        expect(phones.some(p => p.startsWith('+358 40 '))).toBe(true)
        expect(phones.some(p => p.startsWith('+46 70 174 06 '))).toBe(true)
        expect(phones.some(p => p.startsWith('+44 7700 900'))).toBe(true)
        expect(await migrate(first.db)).toEqual([])
        expect(await selectRows(first.db, 'SELECT version FROM schema_migrations')).toHaveLength(migrations.length)
      }
      finally {
        await first.drop()
        await second.drop()
      }
    })

    it('recovers on its own when the connection is cut under it', async () => {
      const { db, drop } = await backend.create()
      const server = await startApiServer(async () => db)
      try {
        if (backend.name === 'postgresql') {
          // The server ends our session, as a restart or a network cut would.
          await db.exec('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined)
        }
        else {
          // Closing the driver's client under the app is the SQLite equivalent.
          const client = await db.getInstance() as { close: () => void }
          client.close()
        }
        const first = await fetch(`${server.url}/api/health`)
        expect([200, 503]).toContain(first.status)
        await expect.poll(async () => (await fetch(`${server.url}/api/health`)).status).toBe(200)
      }
      finally {
        await server.close()
        await drop()
      }
    })

    it('serves many concurrent writes without losing one', async () => {
      const { db, drop } = await backend.create()
      const server = await startApiServer(async () => db)
      try {
        const statuses = await Promise.all([
          ...Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/api/contacts`, {
            method: 'POST', body: JSON.stringify({ name: `Parallel ${i}`, phone: `+44 7700 900${400 + i}` }), headers: { 'content-type': 'application/json' },
          }).then(res => res.status)),
          fetch(`${server.url}/api/contacts/import`, { method: 'POST', body: 'name,phone\nBulk One,0401111111\nBulk Two,0402222222\n' }).then(res => res.status),
        ])
        expect(statuses).toEqual([...Array.from({ length: 20 }, () => 201), 200])
        expect(Number((await selectRow<{ n: unknown }>(db, 'SELECT COUNT(*) AS n FROM contacts'))?.n)).toBe(22)
      }
      finally {
        await server.close()
        await drop()
      }
    })
  })
}
