import { describe, expect, it } from 'vitest'
import { useApiSuite } from './support/api-app'
import { backends } from './support/backends'

// Text sent as raw JSON, so escapes such as a lone "\ud800" reach the server as written.
const post = (url: string, rawJson: string) => fetch(url, { method: 'POST', body: rawJson, headers: { 'content-type': 'application/json' } })
const raw = (value: unknown) => JSON.stringify(value)

// Every kind of character that has been cut or changed somewhere: controls, line breaks of
// all kinds, a surrogate pair (emoji), combining marks, right-to-left text, a BOM.
const AWKWARD = 'tab\there\nnew line\r\nCRLF\u2028LS\u2029PS bell\u0007 esc\u001B emoji 👩🏽‍💻 e\u0301 שלום \uFEFF end'

const talkCall = (id: number, fields: Record<string, unknown> = {}) => ({
  id, direction: 'out', to: '+358401234567', from: null, answered: true, callStart: '2026-11-24 09:00:00', talkStart: null,
  callEnd: '2026-11-24 09:03:00', duration: 180, comment: null, recordUrl: null, reason: { name: 'Sale', logicalName: 'sale' }, ...fields,
})

for (const backend of backends) {
  describe(`text fidelity on ${backend.name}`, () => {
    const suite = useApiSuite(backend)
    const refusal = async (res: Response) => ({ status: res.status, field: (await res.json()).data?.field })
    const counts = async () => ({
      contacts: (await (await fetch(`${suite.url()}/api/contacts?limit=1`)).json()).total,
      calls: (await (await fetch(`${suite.url()}/api/calls?limit=1`)).json()).total,
    })

    it('gives back SMS text, call comments and contact notes exactly as sent', async () => {
      const sms = await post(`${suite.url()}/api/sms`, raw({ sms: AWKWARD, number: '+358401234567' }))
      expect(sms.status).toBe(201)
      expect((await sms.json()).text).toBe(AWKWARD)

      const call = await post(`${suite.url()}/api/calls`, raw(talkCall(501, { comment: AWKWARD, reason: { name: 'Myyty 👍 – ok', logicalName: null } })))
      expect(call.status).toBe(201)
      const listed = (await (await fetch(`${suite.url()}/api/calls?limit=200`)).json()).items.find((c: { id: number }) => c.id === 501)
      expect(listed.comment).toBe(AWKWARD)
      expect(listed.reason.name).toBe('Myyty 👍 – ok')

      const notes = 'line one\n\tindented\u2028separated 👩🏽‍💻'
      const contact = await post(`${suite.url()}/api/contacts`, raw({ name: 'Åsa Öberg 👩🏽‍💻', phone: '+358 40 123 4567', notes }))
      expect(contact.status).toBe(201)
      const { id } = await contact.json()
      const read = await (await fetch(`${suite.url()}/api/contacts/${id}`)).json()
      expect(read).toMatchObject({ name: 'Åsa Öberg 👩🏽‍💻', notes })
      expect(read.timeline.map((entry: { kind: string }) => entry.kind).sort()).toEqual(['call', 'sms'])
    })

    it('refuses a NUL anywhere with a 400 naming the field, instead of storing text it would give back cut', async () => {
      const before = await counts()
      const cases: [string, string, string][] = [
        ['/api/sms', raw({ sms: 'nul\u0000bell' }), 'sms'],
        ['/api/contacts', raw({ name: 'Nul\u0000Name', phone: '+358401234567' }), 'name'],
        ['/api/contacts', raw({ name: 'Nul Notes', phone: '+358401234567', notes: 'a\u0000b' }), 'notes'],
        ['/api/contacts', raw({ name: 'Nul Company', phone: '+358401234567', company: 'Oy\u0000' }), 'company'],
      ]
      for (const field of ['to', 'from', 'callStart', 'talkStart', 'callEnd', 'comment', 'recordUrl'] as const) {
        cases.push(['/api/calls', raw(talkCall(600, { [field]: 'x\u0000y' })), field])
      }
      cases.push(['/api/calls', raw(talkCall(600, { reason: { name: 'nul\u0000', logicalName: null } })), 'reason.name'])
      cases.push(['/api/calls', raw(talkCall(600, { reason: { name: 'Sale', logicalName: 'nul\u0000' } })), 'reason.logicalName'])
      for (const [path, body, field] of cases) expect(await refusal(await post(`${suite.url()}${path}`, body)), `${path} ${field}`).toEqual({ status: 400, field })
      expect(await counts()).toEqual(before)
    })

    it('refuses a lone UTF-16 surrogate in any text field, which JSON.parse lets through', async () => {
      const lone = '"bad \\ud800 half"'
      const cases: [string, string, string][] = [
        ['/api/contacts', `{"name":${lone},"phone":"+358401234567"}`, 'name'],
        ['/api/contacts', `{"name":"Lone Notes","phone":"+358401234567","notes":${lone}}`, 'notes'],
        ['/api/sms', `{"sms":${lone}}`, 'sms'],
        ['/api/sms', '{"sms":"trailing half \\udc00"}', 'sms'],
        ['/api/calls', raw(talkCall(700)).replace('"comment":null', `"comment":${lone}`), 'comment'],
        ['/api/calls', raw(talkCall(700)).replace('"Sale"', lone), 'reason.name'],
      ]
      for (const [path, body, field] of cases) expect(await refusal(await post(`${suite.url()}${path}`, body)), `${path} ${field}`).toEqual({ status: 400, field })
      const batch = await post(`${suite.url()}/api/calls/batch`, `{"calls":[${raw(talkCall(701))},${raw(talkCall(702)).replace('"comment":null', `"comment":${lone}`)}]}`)
      expect((await batch.json()).results).toEqual([
        { id: 701, status: 'created' },
        { id: 702, status: 'refused', field: 'comment', reason: expect.stringMatching(/lone UTF-16 surrogate/) },
      ])
    })

    it('counts U+2028 and U+2029 as line breaks where line breaks are refused', async () => {
      for (const [body, field] of [
        [{ name: 'Line\u2028Break', phone: '+358401234567' }, 'name'],
        [{ name: 'Para Break', phone: '+358401234567', company: 'Oy\u2029Ab' }, 'company'],
        [{ name: 'Phone Break', phone: '+358401234567\u2028' + '1' }, 'phone'],
      ] as const) {
        expect(await refusal(await post(`${suite.url()}/api/contacts`, raw(body))), field).toEqual({ status: 400, field })
      }
      expect(await refusal(await post(`${suite.url()}/api/calls`, raw(talkCall(800, { reason: { name: 'Sale\u2028', logicalName: null } }))))).toEqual({ status: 400, field: 'reason.name' })
    })

    it('bounds every call field: text length, duration, times and numbers', async () => {
      const before = await counts()
      const cases: [string, string][] = [
        [raw(talkCall(900, { reason: { name: 'r'.repeat(60_000), logicalName: null } })), 'reason.name'],
        [raw(talkCall(900, { reason: { name: 'Sale', logicalName: 'l'.repeat(201) } })), 'reason.logicalName'],
        [raw(talkCall(900, { comment: 'c'.repeat(2001) })), 'comment'],
        [raw(talkCall(900, { callStart: '2026-11-24 09:00:00'.repeat(3) })), 'callStart'],
        [raw(talkCall(900, { duration: -50 })), 'duration'],
        [raw(talkCall(900, { duration: 12.345 })), 'duration'],
        [raw(talkCall(900)).replace('"duration":180', '"duration":1e308'), 'duration'],
        [raw(talkCall(900, { completedAt: Date.UTC(-1, 0, 1) })), 'completedAt'],
        [raw(talkCall(900, { completedAt: 1e15 })), 'completedAt'],
        [raw(talkCall(900, { completedAt: 1_700_000_000_000.5 })), 'completedAt'],
        [raw(talkCall(900)).replace('"to":"+358401234567"', '"to":1e21'), 'to'],
        [raw(talkCall(900, { direction: 'in', from: 12.5 })), 'from'],
      ]
      for (const [body, field] of cases) expect(await refusal(await post(`${suite.url()}/api/calls`, body)), body.slice(0, 120)).toEqual({ status: 400, field })
      expect(await counts()).toEqual(before)

      expect(await refusal(await post(`${suite.url()}/api/sms`, raw({ sms: 'old', sentAt: Date.UTC(-1, 0, 1) })))).toEqual({ status: 400, field: 'sentAt' })

      // A whole number is a number Talk sent without quotes: stored as its digits.
      const numeric = await post(`${suite.url()}/api/calls`, raw(talkCall(901, { to: 358401234567, duration: 604_800, completedAt: Date.UTC(2099, 11, 31) })))
      expect(numeric.status).toBe(201)
      expect(await numeric.json()).toMatchObject({ number: '358401234567', duration: 604_800, completedAt: '2099-12-31T00:00:00.000Z' })
    })
  })
}
