import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../server/utils/db'
import { startApiServer } from './support/api-app'
import { testPostgresUrl } from './support/backends'

const contact = (name: string) => ({ method: 'POST', body: JSON.stringify({ name, phone: '+358 40 765 4321' }), headers: { 'content-type': 'application/json' } })

// Root ignores file modes, so as root the file is made immutable instead: either way SQLite can
// only open it read-only, as it would a file restored with the wrong owner or on a read-only volume.
const asRoot = process.getuid?.() === 0
function setWritable(file: string, writable: boolean): void {
  if (asRoot) execFileSync('chattr', [writable ? '-i' : '+i', file])
  else chmodSync(file, writable ? 0o644 : 0o444)
}

describe('readiness on SQLite', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leaddesk-talk-ready-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is not ready and refuses writes while the file is read-only, and writes on the next request once it is writable', async () => {
    const file = join(dir, 'read-only.sqlite')
    await (await openDatabase({ url: null, file, seed: false })).close()
    setWritable(file, false)
    let app
    try {
      // The server starts on a file it cannot write: it opens (reads work), but nothing can be stored.
      app = await openDatabase({ url: null, file, seed: false })
      const opened = app
      const server = await startApiServer(async () => opened)
      try {
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
        const ready = await fetch(`${server.url}/api/health/ready`)
        expect(ready.status).toBe(503)
        expect((await ready.json()).message).toBe('Not ready: database: the database is read-only')
        const refused = await fetch(`${server.url}/api/contacts`, contact('Read Only'))
        expect(refused.status).toBe(503)
        expect((await refused.json()).message).toBe('The database is unavailable: the database is read-only')
        expect((await fetch(`${server.url}/api/contacts`)).status).toBe(200)

        setWritable(file, true)
        // The very next request, not one after a delay.
        expect((await fetch(`${server.url}/api/contacts`, contact('Writable Again'))).status).toBe(201)
        expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200)
        expect((await (await fetch(`${server.url}/api/contacts?q=writable`)).json()).total).toBe(1)
      }
      finally {
        await server.close()
      }
    }
    finally {
      setWritable(file, true)
      await app?.close()
    }
  })

  it('proves a write by committing one: the heartbeat row changes on every ready answer', async () => {
    const app = await openDatabase({ url: null, file: join(dir, 'heartbeat.sqlite'), seed: false })
    const server = await startApiServer(async () => app)
    const beats = async () => Number((await app.db.selectFrom('health_heartbeat').select('beats').executeTakeFirstOrThrow()).beats)
    try {
      const before = await beats()
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200)
      expect(await beats()).toBe(before + 3)
    }
    finally {
      await server.close()
      await app.close()
    }
  })
})

if (testPostgresUrl) {
  describe('readiness on PostgreSQL', () => {
    it('is not ready on a read-only session, and the next request writes on a fresh connection', async () => {
      const schema = `test_ready_${Date.now()}`
      // One connection, so the read-only session is the one every request would get back from the pool.
      const app = await openDatabase({ url: testPostgresUrl!, file: '', schema, seed: false, poolSize: 1 })
      const server = await startApiServer(async () => app)
      // What a session keeps after `ALTER DATABASE … SET default_transaction_read_only = on`, or on a demoted primary.
      const readOnlySession = () => sql`SET SESSION default_transaction_read_only = on`.execute(app.db)
      try {
        await readOnlySession()
        const ready = await fetch(`${server.url}/api/health/ready`)
        expect(ready.status).toBe(503)
        expect((await ready.json()).message).toBe('Not ready: database: the database is read-only')
        expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200)

        await readOnlySession()
        const refused = await fetch(`${server.url}/api/contacts`, contact('Read Only'))
        expect(refused.status).toBe(503)
        expect((await refused.json()).message).toBe('The database is unavailable: the database is read-only')
        expect((await fetch(`${server.url}/api/contacts`, contact('Writable Again'))).status).toBe(201)
      }
      finally {
        await server.close()
        await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(app.db)
        await app.close()
      }
    })
  })
}
