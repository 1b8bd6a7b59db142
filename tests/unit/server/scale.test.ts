import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { startApiServer } from './support/api-app'
import { backends } from './support/backends'
import { createContact, listContacts } from '../../../server/utils/contacts'
import { migrations } from '../../../server/utils/migrations'

const call = (id: number) => ({
  id, direction: 'out', to: '+44 7700 900321', from: null, answered: true, callStart: '2026-11-24 09:00:00', talkStart: null,
  callEnd: '2026-11-24 09:01:00', duration: 60, comment: null, recordUrl: null, reason: null,
})
const postJson = (url: string, json: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })

for (const backend of backends) {
  describe(`several instances and long work on ${backend.name}`, () => {
    it('serves searches, call lists and health while a long transaction is open, without showing its rows', async () => {
      const { app, drop } = await backend.create()
      const server = await startApiServer(async () => app)
      let release!: () => void
      const gate = new Promise<void>((resolve) => {
        release = resolve
      })
      let inside = false
      const holding = app.db.transaction().execute(async (trx) => {
        await createContact(trx, { name: 'Uncommitted Person', phone: '+44 7700 900777', company: null, email: null, notes: null })
        inside = true
        await gate
      })
      try {
        await expect.poll(() => inside).toBe(true)
        const search = await fetch(`${server.url}/api/contacts?q=uncommitted`)
        expect(await search.json()).toMatchObject({ total: 0, items: [] })
        expect((await fetch(`${server.url}/api/calls`)).status).toBe(200)
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
        // PostgreSQL stores a call beside the open transaction; SQLite's one writer takes it right after.
        const stored = postJson(`${server.url}/api/calls`, call(5_000_001))
        if (app.kind === 'postgresql') expect((await stored).status).toBe(201)
        release()
        await holding
        expect((await stored).status).toBe(201)
        expect((await listContacts(app.db, { q: 'uncommitted', limit: 5, offset: 0 })).total).toBe(1)
      }
      finally {
        release()
        await holding.catch(() => undefined)
        await server.close()
        await drop()
      }
    })

    it('stores a call POSTed to two instances at once exactly once', async () => {
      const { app, open, drop } = await backend.create()
      const other = await open()
      const servers = [await startApiServer(async () => app), await startApiServer(async () => other)]
      try {
        const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => postJson(`${servers[i % 2]!.url}/api/calls`, call(5_000_002)).then(res => res.status)))
        expect(statuses.filter(status => status === 201)).toHaveLength(1)
        expect(statuses.filter(status => status === 200)).toHaveLength(11)
        const stored = await app.db.selectFrom('calls').select('id').where('id', '=', 5_000_002).execute()
        expect(stored).toHaveLength(1)
      }
      finally {
        for (const server of servers) await server.close()
        await drop()
      }
    })

    // Three instances opening one database queue on its lock: seconds when the machine is busy.
    it('migrates once when several instances start together', { timeout: 30_000 }, async () => {
      const { open, drop } = await backend.create({ migrateUpTo: 0 })
      try {
        const instances = await Promise.all([open({ migrateUpTo: undefined }), open({ migrateUpTo: undefined }), open({ migrateUpTo: undefined })])
        expect(await instances[0]!.db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).toEqual(migrations.map(({ version }) => ({ version })))
        for (const instance of instances) expect(await listContacts(instance.db, { q: 'x', limit: 1, offset: 0 })).toMatchObject({ total: 0 })
      }
      finally {
        await drop()
      }
    })

    it('moves a database the previous release made (contact_terms) onto the engine\'s search index', async () => {
      const { app: old, open, drop } = await backend.create({ migrateUpTo: 1 })
      try {
        // Rows as release 1 wrote them: contacts without search_text, and their words in contact_terms.
        await sql`INSERT INTO contacts (name, phone, phone_normalized, phone_suffix, company, email, notes, created_at, updated_at)
          VALUES ('Matti Järvinen', '+44 7700 900121', '+447700900121', '700900121', 'Saimaan Sähkö Oy', NULL, NULL, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`.execute(old.db)
        await sql`INSERT INTO contact_terms (term, contact_id) VALUES ('matti', 1), ('jarvinen', 1), ('447700900121', 1)`.execute(old.db)
        const migrated = await open({ migrateUpTo: undefined })
        const names = async (q: string) => (await listContacts(migrated.db, { q, limit: 5, offset: 0 })).items.map(c => c.name)
        expect(await names('jarv')).toEqual(['Matti Järvinen'])
        expect(await names('järv sähk')).toEqual(['Matti Järvinen'])
        expect(await names('0121')).toEqual(['Matti Järvinen'])
        await expect(sql`SELECT * FROM contact_terms`.execute(migrated.db)).rejects.toThrow(/contact_terms/)
        // A contact added after the move is found too (the index follows the table).
        await createContact(migrated.db, { name: 'Aino Virtanen', phone: '040 000 1111', company: null, email: null, notes: null })
        expect(await names('irtan')).toEqual(['Aino Virtanen'])
      }
      finally {
        await drop()
      }
    })
  })
}
