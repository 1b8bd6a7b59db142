import { describe, expect, it } from 'vitest'
import { useApiSuite } from './support/api-app'
import { backends } from './support/backends'
import { listContacts } from '../../../server/utils/contacts'

interface ContactJson { id: number, name: string, phone: string, company: string | null, email: string | null, notes: string | null }

for (const backend of backends) {
  describe(`contacts API on ${backend.name}`, () => {
    const suite = useApiSuite(backend)

    const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fetch(`${suite.url()}${path}`, {
      ...init,
      headers: init.json !== undefined ? { 'content-type': 'application/json', ...init.headers } : init.headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    })
    const create = async (contact: Record<string, unknown>) => {
      const res = await api('/api/contacts', { method: 'POST', json: contact })
      expect(res.status).toBe(201)
      return await res.json() as ContactJson
    }

    it('creates, reads, updates and deletes a contact', async () => {
      const created = await create({ name: '  Aino Virtanen ', phone: '+358 40 000 1111', company: 'Kivi Oy', email: 'aino@kivi.fi' })
      expect(created).toMatchObject({ name: 'Aino Virtanen', phone: '+358 40 000 1111', company: 'Kivi Oy', email: 'aino@kivi.fi', notes: null })
      expect(created.id).toBeGreaterThan(0)

      const read = await (await api(`/api/contacts/${created.id}`)).json()
      expect(read).toMatchObject({ id: created.id, name: 'Aino Virtanen', timeline: [] })

      const updated = await api(`/api/contacts/${created.id}`, { method: 'PUT', json: { notes: 'Prefers mornings', company: null } })
      expect(updated.status).toBe(200)
      expect(await updated.json()).toMatchObject({ name: 'Aino Virtanen', notes: 'Prefers mornings', company: null })

      const full = await api(`/api/contacts/${created.id}`, { method: 'PUT', json: { name: 'Aino V', phone: '040 000 2222', company: 'Puu Oy', email: null, notes: null } })
      expect(await full.json()).toMatchObject({ name: 'Aino V', phone: '040 000 2222', company: 'Puu Oy', email: null, notes: null })

      const deleted = await api(`/api/contacts/${created.id}`, { method: 'DELETE' })
      expect(deleted.status).toBe(204)
      expect(await deleted.text()).toBe('')
      expect((await api(`/api/contacts/${created.id}`)).status).toBe(404)
      expect((await api(`/api/contacts/${created.id}`, { method: 'DELETE' })).status).toBe(404)
      expect((await api(`/api/contacts/${created.id}`, { method: 'PUT', json: { name: 'x' } })).status).toBe(404)
    })

    it('answers 404 for an id no contact can have', async () => {
      for (const id of ['abc', '0', '99999999999', '1e3']) {
        const res = await api(`/api/contacts/${id}`)
        expect(res.status, id).toBe(404)
        expect((await res.json()).message).toMatch(/No contact/)
      }
    })

    it('searches name, company and phone digits case-insensitively, ordered by name', async () => {
      await create({ name: 'Matti Järvinen', phone: '+358 40 000 3333', company: 'Saimaan Sähkö Oy' })
      await create({ name: 'björn lindqvist', phone: '+46 70 174 06 05', company: 'Göta Logistik AB' })
      await create({ name: 'Amelia Hughes', phone: '+44 7700 900123', company: 'Harbour & Co' })
      await create({ name: 'Erik Järvinen', phone: '0046 70 174 06 06' })

      const search = async (q: string) => {
        const res = await api(`/api/contacts?q=${encodeURIComponent(q)}`)
        expect(res.status).toBe(200)
        return (await res.json() as { items: ContactJson[] }).items.map(c => c.name)
      }
      expect(await search('järvinen')).toEqual(['Erik Järvinen', 'Matti Järvinen'])
      expect(await search('JARVI')).toEqual(['Erik Järvinen', 'Matti Järvinen'])
      expect(await search('matti jär')).toEqual(['Matti Järvinen'])
      expect(await search('sähkö')).toEqual(['Matti Järvinen'])
      expect(await search('BJÖRN')).toEqual(['björn lindqvist'])
      expect(await search('göta')).toEqual(['björn lindqvist'])
      // Phone digits in international, national and subscriber forms, typed with spaces.
      expect(await search('+44 7700 900')).toEqual(['Amelia Hughes'])
      expect(await search('07700 900123')).toEqual(['Amelia Hughes'])
      expect(await search('070-174 06')).toEqual(['björn lindqvist', 'Erik Järvinen'])
      expect(await search('040 000 3')).toEqual(['Matti Järvinen'])
      expect(await search('nobody here')).toEqual([])
    })

    it('finds parts of names, companies and numbers, accents or not, whole words and word starts first', async () => {
      await create({ name: 'Liisa Järvenpää', phone: '+44 7700 900121', company: 'Sähkö Järvi Oy' })
      await create({ name: 'Tarja Ojärvi', phone: '+358 40 555 0101' })
      await create({ name: 'Järvi Nurmi', phone: '+46 70 174 06 20' })
      const search = async (q: string) => (await (await api(`/api/contacts?q=${encodeURIComponent(q)}`)).json() as { items: ContactJson[] }).items.map(c => c.name)
      // The last digits, with or without spaces, find the number ("900 12" also finds +44 7700 900123).
      expect(await search('900 12')).toEqual(['Amelia Hughes', 'Liisa Järvenpää'])
      for (const digits of ['0121', '900121', '900 121', '7700 900121']) expect(await search(digits), digits).toEqual(['Liisa Järvenpää'])
      // Accented or not, inside a word too: whole word "Järvi" first, then words starting with it, then the rest.
      const jarvi = await search('jarvi')
      expect(await search('järvi')).toEqual(jarvi)
      expect(jarvi.indexOf('Järvi Nurmi')).toBeLessThan(jarvi.indexOf('Matti Järvinen'))
      expect(jarvi.indexOf('Matti Järvinen')).toBeLessThan(jarvi.indexOf('Tarja Ojärvi'))
      expect(jarvi).toContain('Liisa Järvenpää')
      // Every word must match, each anywhere.
      expect(await search('rvenp sähk')).toEqual(['Liisa Järvenpää'])
      expect(await search('rvenp nobody')).toEqual([])
      // One and two characters match word starts.
      expect(await search('ta oj')).toEqual(['Tarja Ojärvi'])
      expect(await search('l j')).toEqual(['Liisa Järvenpää'])
    })

    it('pages through contacts with limit and offset and reports the total', async () => {
      for (let i = 0; i < 5; i++) await create({ name: `Paging Person ${i}`, phone: `+44 7700 900${200 + i}` })
      const page = async (query: string) => (await api(`/api/contacts?q=paging&${query}`)).json()
      const first = await page('limit=2')
      expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 })
      expect(first.items.map((c: ContactJson) => c.name)).toEqual(['Paging Person 0', 'Paging Person 1'])
      const last = await page('limit=2&offset=4')
      expect(last.items.map((c: ContactJson) => c.name)).toEqual(['Paging Person 4'])
      expect((await page('')).limit).toBe(50)
      expect((await page('limit=1000')).limit).toBe(200)
    })

    it('pages a search with many hits in name order, like one with few', async () => {
      // 1,200 hits out of ~1,200 contacts: the search walks the name index instead of sorting the hits.
      const rows = Array.from({ length: 1200 }, (_, i) => `Dense ${String(i).padStart(4, '0')},+44 7700 9${String(i).padStart(5, '0')},Crowded Oy,,`)
      const imported = await api('/api/contacts/import', { method: 'POST', body: `name,phone,company,email,notes\n${rows.join('\n')}\n`, headers: { 'content-type': 'text/csv' } })
      expect((await imported.json()).imported).toBe(1200)
      const names = async (query: string) => {
        const page = await (await api(`/api/contacts?${query}`)).json()
        return { total: page.total, names: page.items.map((c: ContactJson) => c.name) }
      }
      const first = await names('q=crowded&limit=3')
      expect(first).toEqual({ total: 1200, names: ['Dense 0000', 'Dense 0001', 'Dense 0002'] })
      expect(await names('q=crowd%20dense&limit=2&offset=1198')).toEqual({ total: 1200, names: ['Dense 1198', 'Dense 1199'] })
      expect(await names('q=crowded&offset=1200')).toEqual({ total: 1200, names: [] })
      // A rare word among them takes the other plan and agrees: the whole-word hit first, then
      // the contacts where "0042" is only inside a word (their phones end in ...0042x).
      const rare = await names('q=dense%200042')
      expect(rare.names[0]).toBe('Dense 0042')
      expect(rare.names.slice(1)).toEqual([...rare.names.slice(1)].sort())
      expect(rare.total).toBe(rare.names.length)
      // A group bigger than a sorting block is sorted a block at a time (blocks in index order,
      // here the order of the import): pages go on across blocks and groups, each contact once.
      const blocked = async (q: string) => {
        const seen: string[] = []
        for (let offset = 0; ; offset += 7) {
          const page = await listContacts(suite.db(), { q, limit: 7, offset, block: 100 })
          seen.push(...page.items.map(c => c.name))
          if (offset + 7 >= page.total) return seen
        }
      }
      const crowded = await blocked('crowded')
      expect(crowded).toHaveLength(1200)
      expect(new Set(crowded).size).toBe(1200)
      expect(crowded.slice(0, 100)).toEqual([...crowded.slice(0, 100)].sort())
      expect(crowded.slice(95, 105)).toEqual(Array.from({ length: 10 }, (_, i) => `Dense ${String(95 + i).padStart(4, '0')}`))
      const oneQuery = (await listContacts(suite.db(), { q: 'dense 0042', limit: 50, offset: 0 })).items
      expect((await listContacts(suite.db(), { q: 'dense 0042', limit: 50, offset: 0, block: 3 })).items.map(c => c.name)[0]).toBe(oneQuery[0]!.name)
    })

    it('counts a search\'s hits only up to the cap and says there are more, for one word and for several', async () => {
      // The "Crowded Oy" contacts from the test above: 1,200 hits.
      const search = (q: string, offset = 0) => listContacts(suite.db(), { q, limit: 2, offset, countCap: 1000 })
      expect(await search('crowded')).toMatchObject({ total: 1000, totalCapped: true })
      expect((await search('crowded')).items.map(c => c.name)).toEqual(['Dense 0000', 'Dense 0001'])
      expect(await search('crowd dense')).toMatchObject({ total: 1000, totalCapped: true })
      expect(await search('dense 0042')).toMatchObject({ total: 11, totalCapped: false })
      expect(await listContacts(suite.db(), { q: 'crowded', limit: 2, offset: 0, countCap: 1200 })).toMatchObject({ total: 1200, totalCapped: false })
      // The API answers with the same fields (its cap is 10,000).
      expect(await (await api('/api/contacts?q=crowded&limit=1')).json()).toMatchObject({ total: 1200, totalCapped: false })
    })

    it('rejects bad paging parameters naming the parameter', async () => {
      for (const [query, field] of [['limit=0', 'limit'], ['limit=ten', 'limit'], ['offset=-1', 'offset']]) {
        const res = await api(`/api/contacts?${query}`)
        expect(res.status).toBe(400)
        expect((await res.json()).data.field).toBe(field)
      }
    })

    it('rejects invalid contacts with the field and the reason', async () => {
      const cases: [unknown, string, RegExp][] = [
        [{ phone: '+358 40 000 1111' }, 'name', /required/],
        [{ name: '', phone: '+358 40 000 1111' }, 'name', /required/],
        [{ name: 42, phone: '+358 40 000 1111' }, 'name', /string/],
        [{ name: 'x'.repeat(201), phone: '+358 40 000 1111' }, 'name', /at most 200/],
        [{ name: 'Ann' }, 'phone', /required/],
        [{ name: 'Ann', phone: 'call me' }, 'phone', /digits/],
        [{ name: 'Ann', phone: '1' }, 'phone', /2 to 20 digits/],
        [{ name: 'Ann', phone: '+1 234 567 890 123 456 789 012' }, 'phone', /2 to 20 digits/],
        [{ name: 'Ann', phone: '0401234567', email: 'not-an-email' }, 'email', /email/],
        [{ name: 'Ann', phone: '0401234567', notes: 'n'.repeat(2001) }, 'notes', /at most 2000/],
        [{ name: 'Ann\u0007', phone: '0401234567' }, 'name', /control/],
        [[1, 2], 'body', /object/],
      ]
      for (const [body, field, reason] of cases) {
        const res = await api('/api/contacts', { method: 'POST', json: body })
        expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400)
        const error = await res.json()
        expect(error.statusCode).toBe(400)
        expect(error.data.field).toBe(field)
        expect(error.data.reason).toMatch(reason)
        expect(error.message).toContain(field)
        expect(JSON.stringify(error)).not.toMatch(/at .*\.ts:\d+/)
      }
      const broken = await api('/api/contacts', { method: 'POST', body: '{"name": ', headers: { 'content-type': 'application/json' } })
      expect(broken.status).toBe(400)
      expect((await broken.json()).data).toEqual({ field: 'body', reason: 'is not valid JSON' })
      const emptyPatch = await api('/api/contacts/1', { method: 'PUT', json: {} })
      expect(emptyPatch.status).toBe(400)
    })

    it('refuses a JSON body over 64 kB with 413, by header and by counting', async () => {
      const big = JSON.stringify({ name: 'Big', phone: '0401234567', notes: 'x'.repeat(70 * 1024) })
      const declared = await api('/api/contacts', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } })
      expect(declared.status).toBe(413)
      expect((await declared.json()).message).toMatch(/larger than 65536 bytes/)

      // A chunked upload has no Content-Length: the server counts while reading.
      const chunks = [big.slice(0, 40_000), big.slice(40_000)]
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift()
          if (next === undefined) controller.close()
          else controller.enqueue(new TextEncoder().encode(next))
        },
      })
      const counted = await fetch(`${suite.url()}/api/contacts`, { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit)
      expect(counted.status).toBe(413)
    })
  })
}
