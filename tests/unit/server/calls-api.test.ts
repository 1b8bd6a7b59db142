import { describe, expect, it } from 'vitest'
import { useApiSuite } from './support/api-app'
import { backends } from './support/backends'

/** A Talk `completed` call object as the dashboard forwards it. */
function talkCall(overrides: Record<string, unknown>) {
  return {
    id: 1,
    direction: 'out',
    to: '+358400007777',
    from: '+358 9 000 0000',
    answered: true,
    callStart: '2026-11-24 09:00:00',
    talkStart: '2026-11-24 09:00:05',
    callEnd: '2026-11-24 09:03:05',
    duration: 180,
    comment: 'Agreed on a demo',
    recordUrl: 'https://talk.example/recordings/1',
    reason: { name: 'Sale', logicalName: 'sale' },
    ...overrides,
  }
}

for (const backend of backends) {
  describe(`calls and SMS API on ${backend.name}`, () => {
    const suite = useApiSuite(backend)

    const post = (path: string, json: unknown) =>
      fetch(`${suite.url()}${path}`, { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })
    const get = async (path: string) => (await fetch(`${suite.url()}${path}`)).json()
    const createContact = async (name: string, phone: string) => (await (await post('/api/contacts', { name, phone })).json()).id as number

    it('stores a completed call once: 201 first, 200 with the stored row on a repeat', async () => {
      const first = await post('/api/calls', talkCall({ id: 1001, completedAt: Date.UTC(2026, 10, 24, 9, 3, 10) }))
      expect(first.status).toBe(201)
      const stored = await first.json()
      expect(stored).toMatchObject({
        id: 1001, direction: 'out', number: '+358400007777', answered: true, duration: 180, comment: 'Agreed on a demo',
        reason: { name: 'Sale', logicalName: 'sale' }, completedAt: '2026-11-24T09:03:10.000Z', contactId: null,
      })
      const again = await post('/api/calls', talkCall({ id: 1001, comment: 'a different retry' }))
      expect(again.status).toBe(200)
      expect(await again.json()).toEqual(stored)
      expect((await get('/api/calls?limit=200')).items.filter((c: { id: number }) => c.id === 1001)).toHaveLength(1)
    })

    it('matches calls to contacts across national and international forms of a number', async () => {
      const anna = await createContact('Anna Nieminen', '040 000 8888')
      const lars = await createContact('Lars Persson', '+46 70 174 06 20')
      const inbound = await post('/api/calls', talkCall({ id: 1002, direction: 'in', from: '+358 40 000 8888', to: null }))
      expect(await inbound.json()).toMatchObject({ number: '+358 40 000 8888', contactId: anna, contactName: 'Anna Nieminen' })
      const dialled = await post('/api/calls', talkCall({ id: 1003, direction: 'out', to: '0046 70 174 06 20' }))
      expect(await dialled.json()).toMatchObject({ contactId: lars, contactName: 'Lars Persson' })
      const national = await post('/api/calls', talkCall({ id: 1004, direction: 'out', to: '070-174 06 20' }))
      expect(await national.json()).toMatchObject({ contactId: lars })
      const stranger = await post('/api/calls', talkCall({ id: 1005, direction: 'in', from: '+358 40 999 0000' }))
      expect(await stranger.json()).toMatchObject({ contactId: null, contactName: null })
    })

    it('links earlier calls to a contact created afterwards', async () => {
      // Call 1001 went to +358400007777 before anyone had that number.
      const id = await createContact('Pekka Korhonen', '040-000 7777')
      const contact = await get(`/api/contacts/${id}`)
      expect(contact.timeline.map((entry: { kind: string, call?: { id: number } }) => entry.call?.id)).toEqual([1001])
      const calls = await get('/api/calls?q=pekka')
      expect(calls.items.map((c: { id: number, contactName: string }) => [c.id, c.contactName])).toEqual([[1001, 'Pekka Korhonen']])
    })

    it('lists calls newest first and filters by direction, answered and q', async () => {
      await post('/api/calls', talkCall({ id: 2001, direction: 'in', from: '+44 7700 900301', answered: false, talkStart: null, duration: 0, completedAt: Date.UTC(2030, 0, 1, 10) }))
      await post('/api/calls', talkCall({ id: 2002, direction: 'out', to: '+44 7700 900302', completedAt: Date.UTC(2030, 0, 1, 11) }))
      const all = await get('/api/calls')
      expect(all.items.slice(0, 2).map((c: { id: number }) => c.id)).toEqual([2002, 2001])
      expect(all.total).toBe(7)
      const ids = async (query: string) => (await get(`/api/calls?${query}`)).items.map((c: { id: number }) => c.id)
      expect(await ids('direction=in&answered=false')).toEqual([2001])
      expect((await ids('direction=out')).includes(2001)).toBe(false)
      expect(await ids('q=7700%20900302')).toEqual([2002])
      expect(await ids('q=nieminen')).toEqual([1002])
      expect(await ids('limit=1&offset=1')).toEqual([2001])
      const bad = await fetch(`${suite.url()}/api/calls?direction=sideways`)
      expect(bad.status).toBe(400)
      expect((await bad.json()).data).toEqual({ field: 'direction', reason: 'must be one of in, out' })
    })

    it('rejects a call that is not a Talk completed call, naming the field', async () => {
      const cases: [unknown, string, RegExp][] = [
        [talkCall({ id: 'abc' }), 'id', /expected number, got string/],
        [talkCall({ direction: 'sideways' }), 'direction', /'in' or 'out'/],
        [talkCall({ answered: 'yes' }), 'answered', /expected boolean/],
        [talkCall({ reason: { name: 5 } }), 'reason.name', /expected string/],
        [talkCall({ id: 1.5 }), 'id', /whole number/],
        [talkCall({ id: 3001, completedAt: 'yesterday' }), 'completedAt', /epoch milliseconds/],
        ['just text', 'body', /object/],
      ]
      for (const [body, field, reason] of cases) {
        const res = await post('/api/calls', body)
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400)
        const error = await res.json()
        expect(error.data.field).toBe(field)
        expect(error.data.reason).toMatch(reason)
      }
    })

    it('stores texts and shows them in the contact timeline with the calls, newest first', async () => {
      const id = await createContact('Sofia Lindqvist', '+46 70 174 06 30')
      await post('/api/calls', talkCall({ id: 4001, to: '+46701740630', completedAt: Date.UTC(2026, 0, 1) }))
      const byCall = await post('/api/sms', { sms: 'Thanks for the call!', callId: 4001 })
      expect(byCall.status).toBe(201)
      expect(await byCall.json()).toMatchObject({ text: 'Thanks for the call!', callId: 4001, contactId: id, number: '+46701740630' })
      const byNumber = await post('/api/sms', { sms: 'See you Monday', number: '070-174 06 30', sentAt: Date.UTC(2026, 0, 2) })
      expect(await byNumber.json()).toMatchObject({ contactId: id, sentAt: '2026-01-02T00:00:00.000Z' })
      const byContact = await post('/api/sms', { sms: 'Direct note', contactId: id })
      expect(byContact.status).toBe(201)

      const contact = await get(`/api/contacts/${id}`)
      expect(contact.timeline.map((entry: { kind: string, sms?: { text: string }, call?: { id: number } }) =>
        entry.kind === 'sms' ? entry.sms!.text : entry.call!.id)).toEqual(['Direct note', 'Thanks for the call!', 'See you Monday', 4001])
    })

    it('stores an SMS once per idempotency key: 201 first, 200 with the stored row for a repeat, one row for concurrent repeats', async () => {
      const id = await createContact('Key Holder', '+44 7700 900611')
      const body = { sms: 'Your order has shipped', contactId: id, idempotencyKey: 'sms:3f1c2a9e-4b7d-4c1e-9a55-0d2e8c7b6a41' }
      const first = await post('/api/sms', body)
      expect(first.status).toBe(201)
      const stored = await first.json()
      const again = await post('/api/sms', { ...body, sms: 'a retry with other text' })
      expect(again.status).toBe(200)
      expect(await again.json()).toEqual(stored)
      // A retry after the contact was deleted is still the same text: the stored row (now unlinked), not a 400.
      expect((await fetch(`${suite.url()}/api/contacts/${id}`, { method: 'DELETE' })).status).toBe(204)
      const late = await post('/api/sms', body)
      expect(late.status).toBe(200)
      expect(await late.json()).toEqual({ ...stored, contactId: null })

      const together = { sms: 'Sent from two tabs at once', number: '+44 7700 900612', idempotencyKey: 'tab-race.1' }
      const answers = await Promise.all(Array.from({ length: 6 }, () => post('/api/sms', together)))
      expect(answers.map(res => res.status).sort()).toEqual([200, 200, 200, 200, 200, 201])
      const rows = await Promise.all(answers.map(res => res.json()))
      expect(new Set(rows.map(row => row.id)).size).toBe(1)
      // Texts without a key are never taken for repeats.
      const plain = await Promise.all([post('/api/sms', { sms: 'No key' }), post('/api/sms', { sms: 'No key' })])
      expect(plain.map(res => res.status)).toEqual([201, 201])
    })

    it('refuses an idempotency key that is not 1 to 128 plain characters', async () => {
      for (const idempotencyKey of [42, '', 'has space', 'ä', 'x'.repeat(129)]) {
        const res = await post('/api/sms', { sms: 'hi', idempotencyKey })
        expect(res.status, JSON.stringify(idempotencyKey)).toBe(400)
        expect((await res.json()).data.field).toBe('idempotencyKey')
      }
      expect((await post('/api/sms', { sms: 'hi', idempotencyKey: 'A-z_0.9:'.padEnd(128, 'k') })).status).toBe(201)
    })

    it('rejects an SMS without text or with an unknown contact', async () => {
      const cases: [unknown, string, RegExp][] = [
        [{}, 'sms', /required/],
        [{ sms: 5 }, 'sms', /string/],
        [{ sms: 'x'.repeat(2001) }, 'sms', /at most 2000/],
        [{ sms: 'hi', callId: 'one' }, 'callId', /whole number/],
        [{ sms: 'hi', number: 'abc' }, 'number', /digits/],
        [{ sms: 'hi', sentAt: 'now' }, 'sentAt', /epoch milliseconds/],
        [{ sms: 'hi', contactId: 999999 }, 'contactId', /no contact/],
        [{ sms: 'hi', contactId: 99999999999 }, 'contactId', /at most 2147483647/],
      ]
      for (const [body, field, reason] of cases) {
        const res = await post('/api/sms', body)
        expect(res.status).toBe(400)
        const error = await res.json()
        expect(error.data.field).toBe(field)
        expect(error.data.reason).toMatch(reason)
      }
    })

    it('keeps calls and texts when their contact is deleted', async () => {
      const id = await createContact('Temp Contact', '+44 7700 900399')
      await post('/api/calls', talkCall({ id: 5001, to: '+44 7700 900399' }))
      expect((await fetch(`${suite.url()}/api/contacts/${id}`, { method: 'DELETE' })).status).toBe(204)
      const calls = await get('/api/calls?q=900399')
      expect(calls.items).toMatchObject([{ id: 5001, contactId: null, contactName: null }])
    })

    it('stores a batch of calls in one request: each new call once, repeats reported, a bad record refused alone', async () => {
      const contact = await createContact('Batch Person', '+44 7700 900501')
      const res = await post('/api/calls/batch', {
        calls: [
          talkCall({ id: 6001, to: '+44 7700 900501' }),
          talkCall({ id: 6002, duration: 'long' }),
          talkCall({ id: 5001 }),
          'not a call',
          talkCall({ id: 6003, direction: 'in', from: '+44 7700 900501', to: null }),
        ],
      })
      expect(res.status).toBe(200)
      expect((await res.json()).results).toEqual([
        { id: 6001, status: 'created' },
        { id: 6002, status: 'refused', field: 'duration', reason: 'expected whole number from 0 to 604800 or null, got string' },
        { id: 5001, status: 'exists' },
        { id: null, status: 'refused', field: 'body', reason: expect.stringMatching(/object/) },
        { id: 6003, status: 'created' },
      ])
      const stored = await get('/api/calls?q=7700%20900501')
      expect(stored.items.map((c: { id: number, contactId: number }) => [c.id, c.contactId]).sort()).toEqual([[6001, contact], [6003, contact]])
      expect((await get('/api/calls?q=7700%20900302')).items).toHaveLength(1)
    })

    it('refuses a batch that is not 1 to 50 calls, naming the field, and stores nothing from it', async () => {
      const before = (await get('/api/calls?limit=1')).total
      const cases: [unknown, string][] = [
        [[talkCall({ id: 7001 })], 'body'],
        [{ calls: [] }, 'calls'],
        [{ calls: talkCall({ id: 7002 }) }, 'calls'],
        [{ calls: Array.from({ length: 51 }, (_, i) => talkCall({ id: 7100 + i })) }, 'calls'],
      ]
      for (const [body, field] of cases) {
        const res = await post('/api/calls/batch', body)
        expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400)
        expect((await res.json()).data.field).toBe(field)
      }
      expect((await get('/api/calls?limit=1')).total).toBe(before)
    })
  })
}
