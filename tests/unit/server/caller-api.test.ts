import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useApiSuite } from './support/api-app'
import { backends } from './support/backends'

/** A Talk `completed` call, as the dashboard forwards it. */
function talkCall(overrides: Record<string, unknown>) {
  return {
    id: 1, direction: 'in', to: null, from: '+358400326411', answered: true,
    callStart: '2026-11-24 09:00:00', talkStart: '2026-11-24 09:00:05', callEnd: '2026-11-24 09:03:05', duration: 180,
    comment: null, recordUrl: null, reason: null, ...overrides,
  }
}

const previousRegion = process.env.LEADDESK_TALK_DEFAULT_REGION
beforeAll(() => {
  process.env.LEADDESK_TALK_DEFAULT_REGION = 'FI'
})
afterAll(() => {
  if (previousRegion === undefined) delete process.env.LEADDESK_TALK_DEFAULT_REGION
  else process.env.LEADDESK_TALK_DEFAULT_REGION = previousRegion
})

for (const backend of backends) {
  describe(`caller lookup, interrupted calls and call notes on ${backend.name}`, () => {
    const suite = useApiSuite(backend)
    const send = (method: string, path: string, json: unknown) =>
      fetch(`${suite.url()}${path}`, { method, body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })
    const get = async (path: string) => (await fetch(`${suite.url()}${path}`)).json()
    const lookup = (number: string) => get(`/api/contacts/lookup?number=${encodeURIComponent(number)}`)

    it('finds a contact stored in national format from its number in any format, with the number as shown everywhere', async () => {
      const aino = (await (await send('POST', '/api/contacts', { name: 'Aino Virtanen', phone: '040 032 6411', company: 'Kivi Oy' })).json()) as { id: number, phoneDisplay: string }
      expect(aino.phoneDisplay).toBe('+358 40 0326411')
      for (const number of ['+358400326411', '00358 40 032 6411', '+358 (40) 032-6411', '040-0326411']) {
        expect(await lookup(number)).toMatchObject({ number: { e164: '+358400326411', display: '+358 40 0326411' }, contact: { id: aino.id, name: 'Aino Virtanen', company: 'Kivi Oy' } })
      }
      expect(await lookup('+358 40 999 8877')).toMatchObject({ contact: null, lastCall: null, number: { display: '+358 40 9998877' } })
    })

    it('pairs the national and international forms of a short landline, which the last 9 digits cannot', async () => {
      await send('POST', '/api/contacts', { name: 'Helsinki Office', phone: '09 123 4567' })
      expect((await lookup('+358 9 123 4567')).contact).toMatchObject({ name: 'Helsinki Office' })
      // Another country's number with the same last 9 digits is another line.
      expect((await lookup('+46 9 123 4567')).contact).toBeNull()
    })

    it('names the caller\'s last call', async () => {
      const bo = (await (await send('POST', '/api/contacts', { name: 'Bo Ek', phone: '+46 70 174 06 33' })).json()) as { id: number }
      await send('POST', '/api/calls', talkCall({ id: 5001, from: '0046 70 174 06 33', answered: false, talkStart: null, duration: 0, completedAt: Date.UTC(2026, 0, 2) }))
      await send('POST', '/api/calls', talkCall({ id: 5000, from: '+46701740633', completedAt: Date.UTC(2026, 0, 1) }))
      expect(await lookup('+46 70 174 06 33')).toMatchObject({ contact: { id: bo.id }, lastCall: { id: 5001, answered: false, contactName: 'Bo Ek' } })
      expect(await lookup('abc')).toMatchObject({ statusCode: 400, data: { field: 'number' } })
    })

    it('keeps one row per call: an interrupted record until Talk\'s completed one replaces it, never the other way round', async () => {
      const lost = { reason: 'page-closed', phase: 'connected', at: Date.UTC(2026, 10, 24, 9, 1) }
      const first = await send('POST', '/api/calls', { ...talkCall({ id: 6001, callEnd: null, duration: null }), interrupted: lost })
      expect(first.status).toBe(201)
      expect(await first.json()).toMatchObject({ id: 6001, interrupted: { reason: 'page-closed', phase: 'connected', at: '2026-11-24T09:01:00.000Z' } })
      await send('PUT', '/api/calls/6001/note', { note: 'Call dropped, ring back' })
      // A second page reporting the same loss changes nothing.
      expect((await send('POST', '/api/calls', { ...talkCall({ id: 6001 }), interrupted: { ...lost, reason: 'logged-out' } })).status).toBe(200)
      const completed = await send('POST', '/api/calls', talkCall({ id: 6001, comment: 'Wrapped up after all', reason: { name: 'Sale', logicalName: 'sale' } }))
      expect(completed.status).toBe(201)
      expect(await completed.json()).toMatchObject({ id: 6001, interrupted: null, comment: 'Wrapped up after all', duration: 180, note: 'Call dropped, ring back' })
      expect((await send('POST', '/api/calls/batch', { calls: [{ ...talkCall({ id: 6001 }), interrupted: lost }] }).then(r => r.json())).results).toEqual([{ id: 6001, status: 'exists' }])
      const listed = (await get('/api/calls?limit=200')).items.filter((c: { id: number }) => c.id === 6001)
      expect(listed).toEqual([expect.objectContaining({ interrupted: null, comment: 'Wrapped up after all' })])
      const bad = await send('POST', '/api/calls', { ...talkCall({ id: 6002 }), interrupted: { ...lost, reason: 'bored' } })
      expect(await bad.json()).toMatchObject({ statusCode: 400, data: { field: 'interrupted.reason' } })
    })

    it('keeps the agent\'s note on a call, clears it, and refuses one for a call it does not have', async () => {
      await send('POST', '/api/calls', talkCall({ id: 7001 }))
      // Kept as written inside (line breaks, U+2028, tabs), read like a contact's notes: trimmed, CRLF as LF.
      const written = 'Wants a callback\non Friday\u2028\tafter 14:00 😀'
      expect(await (await send('PUT', '/api/calls/7001/note', { note: `  ${written.replace('\n', '\r\n')} ` })).json()).toMatchObject({ note: written, noteUpdatedAt: expect.any(String) })
      expect((await get('/api/calls?limit=200')).items.find((c: { id: number }) => c.id === 7001)).toMatchObject({ note: written })
      expect(await (await send('PUT', '/api/calls/7001/note', { note: '' })).json()).toMatchObject({ note: null, noteUpdatedAt: null })
      expect((await send('PUT', '/api/calls/7999/note', { note: 'x' })).status).toBe(404)
      expect(await (await send('PUT', '/api/calls/7001/note', { note: 'x'.repeat(2001) })).json()).toMatchObject({ statusCode: 400, data: { field: 'note' } })
    })

    it('refuses a note or a looked-up number it could not keep or read exactly, naming the field', async () => {
      await send('POST', '/api/calls', talkCall({ id: 7101 }))
      for (const note of ['nul\u0000inside', 'lone \ud800 surrogate', 'vertical\u000Btab', 'bell\u0007']) {
        const res = await send('PUT', '/api/calls/7101/note', { note })
        expect(res.status, JSON.stringify(note)).toBe(400)
        expect((await res.json()).data.field).toBe('note')
      }
      expect((await get('/api/calls?limit=200')).items.find((c: { id: number }) => c.id === 7101).note).toBeNull()
      // (A URL cannot carry a lone surrogate: its query is UTF-8.)
      for (const number of ['+358\u0000400326411', '+358\u2028400326411', `+358${' '.repeat(100)}400326411`]) {
        expect(await lookup(number), JSON.stringify(number)).toMatchObject({ statusCode: 400, data: { field: 'number' } })
      }
      expect(await get('/api/contacts/lookup')).toMatchObject({ statusCode: 400, data: { field: 'number' } })
    })

    it('finds calls by comment or note with their contact\'s name', async () => {
      await send('POST', '/api/contacts', { name: 'Cecilia Berg', phone: '+46 70 174 06 44' })
      await send('POST', '/api/calls', talkCall({ id: 8001, from: '+46701740644', comment: 'Call back on FRIDAY 100%' }))
      const hits = (await get('/api/calls?q=friday%20100%25')).items
      expect(hits).toEqual([expect.objectContaining({ id: 8001, contactName: 'Cecilia Berg', numberDisplay: '+46 70 174 06 44' })])
      expect((await get('/api/calls?q=cecilia')).items.map((c: { id: number }) => c.id)).toEqual([8001])
    })

    it('names every invalid field of a contact at once', async () => {
      const res = await send('POST', '/api/contacts', { name: '', phone: 'not a number', email: 'nope' })
      const body = await res.json()
      expect(res.status).toBe(400)
      expect(body.data.problems.map((p: { field: string }) => p.field)).toEqual(['name', 'phone', 'email'])
      expect(body.data.field).toBe('name')
    })
  })
}
