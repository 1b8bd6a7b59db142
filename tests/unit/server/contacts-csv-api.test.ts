import { describe, expect, it } from 'vitest'
import { startApiServer, useApiSuite } from './support/api-app'
import { backends } from './support/backends'
import { sql } from 'kysely'
import { DEFAULT_MAX_IMPORTS, IMPORT_RETRY_AFTER_SECONDS } from '../../../server/utils/import-slots'

/**
 * A CSV upload whose body arrives in two parts: `first` now, the rest when `finish` is called.
 * `started` resolves once the server has pulled the first part (so it is inside the handler).
 */
function slowUpload(url: string, first: string) {
  let finish!: (rest: string) => void
  let started!: () => void
  const rest = new Promise<string>((resolve) => {
    finish = resolve
  })
  const pulled = new Promise<void>((resolve) => {
    started = resolve
  })
  let part = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      part++
      if (part === 1) {
        controller.enqueue(new TextEncoder().encode(first))
        return
      }
      started()
      const text = await rest
      if (text) controller.enqueue(new TextEncoder().encode(text))
      controller.close()
    },
  })
  const upload = fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/csv' }, duplex: 'half' } as RequestInit)
  return { upload, finish, started: pulled }
}

for (const backend of backends) {
  describe(`contacts CSV import and export on ${backend.name}`, () => {
    const suite = useApiSuite(backend)

    const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${suite.url()}/api/contacts/import`, { method: 'POST', body, headers: { 'content-type': 'text/csv', ...headers } })
    const count = async () => Number((await suite.db().selectFrom('contacts').select(eb => eb.fn.countAll().as('n')).executeTakeFirst())?.n)
    const exec = (statement: string) => sql.raw(statement).execute(suite.db())
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
      expect(await res.json()).toEqual({ imported: 1, errors: [], encoding: 'utf-8-bom' })
      expect((await search('asa'))[0]).toMatchObject({ name: 'Åsa Sjöberg', company: null })
    })

    it('reads a file Excel saved as Windows-1252, curly quotes, dashes and euro signs included, and says so', async () => {
      const cp1252 = new Uint8Array([
        ...new TextEncoder().encode('name,phone,notes\nMatti J'), 0xE4, ...new TextEncoder().encode('rvinen,0401234599,O'), 0x92,
        ...new TextEncoder().encode('Brien '), 0x96, ...new TextEncoder().encode(' 5 '), 0x80, 0x0A,
      ])
      const res = await upload(cp1252)
      expect(await res.json()).toEqual({ imported: 1, errors: [], encoding: 'windows-1252' })
      expect((await search('rvinen'))[0]).toMatchObject({ name: 'Matti Järvinen', notes: 'O’Brien – 5 €' })
    })

    it('reads UTF-16 with a byte order mark, little- and big-endian', async () => {
      const text = 'name,phone\nAnnika Åström,0401234598\n'
      const le = new Uint8Array([0xFF, 0xFE, ...Array.from(text).flatMap(c => [c.charCodeAt(0) & 0xFF, c.charCodeAt(0) >> 8])])
      expect(await (await upload(le)).json()).toEqual({ imported: 1, errors: [], encoding: 'utf-16le' })
      const be = new Uint8Array([0xFE, 0xFF, ...Array.from(text.replace('Annika', 'Bertil')).flatMap(c => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xFF])])
      expect(await (await upload(be)).json()).toEqual({ imported: 1, errors: [], encoding: 'utf-16be' })
      expect((await search('astrom')).map((c: { name: string }) => c.name).sort()).toEqual(['Annika Åström', 'Bertil Åström'])
    })

    it('refuses a file that starts as UTF-8 and then is not, naming the encoding, and stores nothing', async () => {
      const before = await count()
      const mixed = new Uint8Array([...new TextEncoder().encode('name,phone\nÅsa,0401234597\nJ'), 0xE4, ...new TextEncoder().encode('rvi,0401234567\n')])
      const res = await upload(mixed)
      expect(res.status).toBe(400)
      const error = await res.json()
      expect(error.message).toMatch(/not valid UTF-8/)
      expect(error.data.field).toBe('body')
      expect(await count()).toBe(before)
    })

    it('refuses a header without the name and phone columns', async () => {
      const res = await upload('fullname,tel\nA,0401234567\n')
      expect(res.status).toBe(400)
      expect((await res.json()).data).toMatchObject({ field: 'header', reason: expect.stringMatching(/name,phone,company,email,notes/) })
    })

    it('refuses a CSV over 64 MB with 413', async () => {
      const before = await count()
      const big = `name,phone\n${'A,0401234567\n'.repeat(5_200_000)}`
      expect(big.length).toBeGreaterThan(64 * 1024 * 1024)
      const res = await upload(big)
      expect(res.status).toBe(413)
      expect((await res.json()).message).toMatch(/larger than 67108864 bytes/)
      expect(await count()).toBe(before)
    })

    it('serves searches and stores calls while an upload is still coming in, and shows its rows only at the end', async () => {
      const { upload: slow, finish } = slowUpload(`${suite.url()}/api/contacts/import`, 'name,phone\nSlow Upload One,+44 7700 900901\n')
      const call = await fetch(`${suite.url()}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
        id: 7_700_001, direction: 'out', to: '+44 7700 900901', from: null, answered: true, callStart: null, talkStart: null, callEnd: null, duration: 5, comment: null, recordUrl: null, reason: null,
      }) })
      expect(call.status).toBe(201)
      expect(await search('slow upload')).toEqual([])
      finish('Slow Upload Two,+44 7700 900902\n')
      expect(await (await slow).json()).toEqual({ imported: 2, errors: [], encoding: 'utf-8' })
      expect((await search('slow upload')).map((c: { name: string }) => c.name)).toEqual(['Slow Upload One', 'Slow Upload Two'])
      // The call that arrived first is linked to its contact once the contact exists.
      expect((await (await fetch(`${suite.url()}/api/calls?q=slow`)).json()).items.map((c: { id: number }) => c.id)).toEqual([7_700_001])
    })

    it(`runs ${DEFAULT_MAX_IMPORTS} imports at once and answers 429 with Retry-After beyond`, async () => {
      const running = Array.from({ length: DEFAULT_MAX_IMPORTS }, (_, i) => slowUpload(`${suite.url()}/api/contacts/import`, `name,phone\nBusy Importer ${i},+44 7700 90095${i}\n`))
      // The server has taken both slots once it has read the first bytes of each.
      await Promise.all(running.map(r => r.started))
      const refused = await upload('name,phone\nOne Too Many,+44 7700 900959\n')
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe(String(IMPORT_RETRY_AFTER_SECONDS))
      expect((await refused.json()).message).toMatch(/imports are running/)
      for (const r of running) r.finish('')
      for (const r of running) expect((await (await r.upload).json()).imported).toBe(1)
      expect((await upload('name,phone\nOne More,+44 7700 900958\n')).status).toBe(200)
    })

    it('writes nothing when the import fails part-way', async () => {
      // A trigger makes the database refuse one row of the second insert batch (rows 500+).
      if (backend.name === 'sqlite') {
        await exec('CREATE TRIGGER refuse_boom BEFORE INSERT ON contacts WHEN NEW.name = \'Boom\' BEGIN SELECT RAISE(ABORT, \'refused by test trigger\'); END')
      }
      else {
        await exec('CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.name = \'Boom\' THEN RAISE EXCEPTION \'refused by test trigger\'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql')
        await exec('CREATE TRIGGER refuse_boom BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION refuse_boom()')
      }
      const before = await count()
      const rows = Array.from({ length: 700 }, (_, i) => `${i === 650 ? 'Boom' : `Batch Person ${i}`},+44 7700 900${String(i % 1000).padStart(3, '0')}`)
      const res = await upload(`name,phone\n${rows.join('\n')}\n`)
      expect(res.status).toBe(503)
      expect((await res.json()).message).toMatch(/^The database is unavailable: .*refused by test trigger/)
      expect(await count()).toBe(before)
      expect(await search('batch')).toEqual([])
      await exec('DROP TRIGGER refuse_boom' + (backend.name === 'postgresql' ? ' ON contacts' : ''))
    })

    it('exports CSV that spreadsheets open safely and that imports back unchanged', async () => {
      const create = (json: unknown) => fetch(`${suite.url()}/api/contacts`, { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })
      expect((await create({ name: '=HYPERLINK("http://evil.example","click")', phone: '+358 40 000 6666', company: '@SUM(A1:A2)', notes: '-2+3' })).status).toBe(201)
      expect((await create({ name: '+Plus Name', phone: '+44 7700 900777', company: 'Quote, "Comma" Ltd' })).status).toBe(201)
      // Valid phones that a spreadsheet would compute (-40-300-0005 is -4345, +1-1 is 0).
      expect((await create({ name: 'Minus Phone', phone: '-40-300-0005' })).status).toBe(201)
      expect((await create({ name: 'Sum Phone', phone: '+1-1' })).status).toBe(201)

      const res = await fetch(`${suite.url()}/api/contacts/export`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="contacts.csv"/)
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect([...bytes.slice(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
      const text = new TextDecoder().decode(bytes)
      const lines = text.split('\r\n')
      expect(lines[0]).toBe('name,phone,company,email,notes')
      expect(lines).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")",\'+358 40 000 6666,\'@SUM(A1:A2),,\'-2+3')
      expect(lines).toContain('\'+Plus Name,\'+44 7700 900777,"Quote, ""Comma"" Ltd",,')
      expect(lines).toContain('Minus Phone,\'-40-300-0005,,,')
      expect(lines).toContain('Sum Phone,\'+1-1,,,')

      // Round trip into an empty database: the escaping is undone.
      const other = await backend.create()
      const otherServer = await startApiServer(async () => other.app)
      try {
        const imported = await fetch(`${otherServer.url}/api/contacts/import`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } })
        const result = await imported.json()
        expect(result.errors).toEqual([])
        const list = await (await fetch(`${otherServer.url}/api/contacts?limit=200`)).json()
        expect(list.items.map((c: { name: string }) => c.name)).toContain('=HYPERLINK("http://evil.example","click")')
        expect(list.items.find((c: { name: string }) => c.name === '+Plus Name')).toMatchObject({ phone: '+44 7700 900777', company: 'Quote, "Comma" Ltd' })
        expect(list.items.find((c: { name: string }) => c.name === 'Minus Phone')).toMatchObject({ phone: '-40-300-0005' })
        expect(list.items.find((c: { name: string }) => c.name === 'Sum Phone')).toMatchObject({ phone: '+1-1' })
        expect(list.total).toBe(await count())
      }
      finally {
        await otherServer.close()
        await other.drop()
      }
    })
  })
}
