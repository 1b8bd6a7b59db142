import { describe, expect, it } from 'vitest'
import { startApiServer, useApiSuite } from './support/api-app'
import { backends } from './support/backends'
import { selectRow } from '../../../server/utils/sql'

for (const backend of backends) {
  describe(`contacts CSV import and export on ${backend.name}`, () => {
    const suite = useApiSuite(backend)

    const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${suite.url()}/api/contacts/import`, { method: 'POST', body, headers: { 'content-type': 'text/csv', ...headers } })
    const count = async () => Number((await selectRow<{ n: unknown }>(suite.db(), 'SELECT COUNT(*) AS n FROM contacts'))?.n)
    const search = async (q: string) => (await (await fetch(`${suite.url()}/api/contacts?q=${encodeURIComponent(q)}`)).json()).items

    it('imports every good row and reports each bad row with its line, field and reason', async () => {
      const csv = [
        'name,phone,company,email,notes',
        'Helmi Laine,+358 40 000 4444,Laine Oy,helmi@laine.fi,"Likes ""short"" calls, mornings"',
        ',+358 40 000 5555,,,',
        'Gustav Olsson,not a phone,,,',
        'Multi Line,+46 70 174 06 10,,,"note, with comma',
        'and a second line"',
        'Grace Clarke,+44 7700 900555,,not-mail,',
        'Too,Many,Cells,Here,x,y',
        '',
        'Oliver Walker,07700 900556,Walker Ltd,,',
      ].join('\r\n')
      const res = await upload(csv)
      expect(res.status).toBe(200)
      const result = await res.json()
      expect(result.imported).toBe(3)
      expect(result.errors).toEqual([
        { line: 3, field: 'name', reason: 'is required' },
        { line: 4, field: 'phone', reason: expect.stringMatching(/digits/) },
        { line: 7, field: 'email', reason: 'is not an email address' },
        { line: 8, field: 'row', reason: 'has 6 cells, the header has 5' },
      ])
      expect((await search('helmi'))[0]).toMatchObject({ company: 'Laine Oy', notes: 'Likes "short" calls, mornings' })
      expect((await search('multi'))[0]).toMatchObject({ name: 'Multi Line', notes: 'note, with comma\nand a second line' })
      expect(await search('walker')).toHaveLength(1)
    })

    it('accepts a UTF-8 BOM, LF line ends and columns in any order', async () => {
      const res = await upload('\uFEFFphone,name\n+46 70 174 06 11,Åsa Sjöberg\n')
      expect(await res.json()).toEqual({ imported: 1, errors: [] })
      expect((await search('asa'))[0]).toMatchObject({ name: 'Åsa Sjöberg', company: null })
    })

    it('refuses a file that is not UTF-8 with a 400 that says so', async () => {
      const latin1 = new Uint8Array([...new TextEncoder().encode('name,phone\nJ'), 0xE4, ...new TextEncoder().encode('rvi,0401234567\n')])
      const res = await upload(latin1)
      expect(res.status).toBe(400)
      const error = await res.json()
      expect(error.message).toMatch(/not UTF-8/)
      expect(error.data.field).toBe('body')
    })

    it('refuses a header without the name and phone columns', async () => {
      const res = await upload('fullname,tel\nA,0401234567\n')
      expect(res.status).toBe(400)
      expect((await res.json()).data).toMatchObject({ field: 'header', reason: expect.stringMatching(/name,phone,company,email,notes/) })
    })

    it('refuses a CSV over 5 MB with 413', async () => {
      const big = `name,phone\n${'A,0401234567\n'.repeat(420_000)}`
      expect(big.length).toBeGreaterThan(5 * 1024 * 1024)
      const res = await upload(big)
      expect(res.status).toBe(413)
      expect((await res.json()).message).toMatch(/larger than 5242880 bytes/)
    })

    it('writes nothing when the import fails part-way', async () => {
      // A trigger makes the database refuse one row of the second insert batch (rows 500+).
      if (backend.name === 'sqlite') {
        await suite.db().exec('CREATE TRIGGER refuse_boom BEFORE INSERT ON contacts WHEN NEW.name = \'Boom\' BEGIN SELECT RAISE(ABORT, \'refused by test trigger\'); END')
      }
      else {
        await suite.db().exec('CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.name = \'Boom\' THEN RAISE EXCEPTION \'refused by test trigger\'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql')
        await suite.db().exec('CREATE TRIGGER refuse_boom BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION refuse_boom()')
      }
      const before = await count()
      const rows = Array.from({ length: 700 }, (_, i) => `${i === 650 ? 'Boom' : `Batch Person ${i}`},+44 7700 900${String(i % 1000).padStart(3, '0')}`)
      const res = await upload(`name,phone\n${rows.join('\n')}\n`)
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: .*refused by test trigger/)
      expect(await count()).toBe(before)
      expect(await search('batch')).toEqual([])
      await suite.db().exec('DROP TRIGGER refuse_boom' + (backend.name === 'postgresql' ? ' ON contacts' : ''))
    })

    it('exports CSV that spreadsheets open safely and that imports back unchanged', async () => {
      const create = (json: unknown) => fetch(`${suite.url()}/api/contacts`, { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })
      expect((await create({ name: '=HYPERLINK("http://evil.example","click")', phone: '+358 40 000 6666', company: '@SUM(A1:A2)', notes: '-2+3' })).status).toBe(201)
      expect((await create({ name: '+Plus Name', phone: '+44 7700 900777', company: 'Quote, "Comma" Ltd' })).status).toBe(201)

      const res = await fetch(`${suite.url()}/api/contacts/export`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="contacts.csv"/)
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect([...bytes.slice(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
      const text = new TextDecoder().decode(bytes)
      const lines = text.split('\r\n')
      expect(lines[0]).toBe('name,phone,company,email,notes')
      expect(lines).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")",+358 40 000 6666,\'@SUM(A1:A2),,\'-2+3')
      expect(lines).toContain('\'+Plus Name,+44 7700 900777,"Quote, ""Comma"" Ltd",,')

      // Round trip into an empty database: the escaping is undone.
      const other = await backend.create()
      const otherServer = await startApiServer(async () => other.db)
      try {
        const imported = await fetch(`${otherServer.url}/api/contacts/import`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } })
        const result = await imported.json()
        expect(result.errors).toEqual([])
        const list = await (await fetch(`${otherServer.url}/api/contacts?limit=200`)).json()
        expect(list.items.map((c: { name: string }) => c.name)).toContain('=HYPERLINK("http://evil.example","click")')
        expect(list.items.find((c: { name: string }) => c.name === '+Plus Name')).toMatchObject({ phone: '+44 7700 900777', company: 'Quote, "Comma" Ltd' })
        expect(list.total).toBe(await count())
      }
      finally {
        await otherServer.close()
        await other.drop()
      }
    })
  })
}
