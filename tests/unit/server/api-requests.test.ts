import { afterEach, describe, expect, it } from 'vitest'
import { API_ROUTES } from '../../../server/utils/api-routes'
import { API_DIR, apiFiles, routeOf, useApiSuite } from './support/api-app'
import { backends } from './support/backends'

// Request rules do not depend on the engine: one backend is enough.
const backend = backends[0]!

describe('API request rules', () => {
  const suite = useApiSuite(backend)
  const send = (path: string, init: RequestInit = {}) => fetch(`${suite.url()}${path}`, init)
  const json = (body: unknown, headers: Record<string, string> = {}) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } })
  const contactCount = async () => (await (await send('/api/contacts?limit=1')).json()).total as number
  const call = (id: number) => ({ id, direction: 'out', to: '+358401234567', from: null, answered: true, callStart: null, talkStart: null, callEnd: null, duration: 5, comment: null, recordUrl: null, reason: null })

  afterEach(() => {
    delete process.env.LEADDESK_TALK_TRUSTED_ORIGINS
  })

  it('refuses a write whose body is not its declared content type with 415, and stores nothing', async () => {
    const contact = JSON.stringify({ name: 'Plain Text', phone: '+358 40 100 0001' })
    const existing = await (await send('/api/contacts', { method: 'POST', ...json({ name: 'Kept As Is', phone: '+358 40 100 0002' }) })).json()
    const before = await contactCount()
    const writes: [string, string][] = [
      ['POST', '/api/contacts'], ['PUT', `/api/contacts/${existing.id}`], ['POST', '/api/calls'], ['POST', '/api/calls/batch'], ['POST', '/api/sms'], ['PUT', '/api/calls/1/note'],
    ]
    for (const [method, path] of writes) {
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/csv', 'application/json; charset=iso-8859-1', '']) {
        const res = await send(path, { method, body: contact, headers: type ? { 'content-type': type } : {} })
        expect(res.status, `${method} ${path} as ${type || 'no type'}`).toBe(415)
        expect(await res.json()).toMatchObject({ statusCode: 415, data: { field: 'content-type', reason: 'must be application/json' } })
      }
    }
    for (const type of ['text/plain', 'application/json', 'multipart/form-data; boundary=x']) {
      const res = await send('/api/contacts/import', { method: 'POST', body: 'name,phone\nPlain Import,+358401000003\n', headers: { 'content-type': type } })
      expect(res.status, `import as ${type}`).toBe(415)
      expect((await res.json()).data).toEqual({ field: 'content-type', reason: 'must be text/csv' })
    }
    expect(await contactCount()).toBe(before)
    expect((await (await send(`/api/contacts/${existing.id}`)).json()).name).toBe('Kept As Is')
    expect((await (await send('/api/calls')).json()).total).toBe(0)

    expect((await send('/api/contacts', { method: 'POST', body: contact, headers: { 'content-type': 'application/json; charset=UTF-8' } })).status).toBe(201)
    expect((await send('/api/contacts/import', { method: 'POST', body: 'name,phone\nCsv Import,+358401000004\n', headers: { 'content-type': 'text/csv; charset=utf-8' } })).status).toBe(200)
    // An import's bytes say what encoding they are in, whatever charset the client declared.
    const latin = Buffer.from('name,phone\nMatti J\u00e4rvinen,+358401000006\n', 'latin1')
    const declared = await send('/api/contacts/import', { method: 'POST', body: latin, headers: { 'content-type': 'text/csv; charset=utf-8' } })
    expect(await declared.json()).toMatchObject({ imported: 1, encoding: 'windows-1252' })
    expect(await contactCount()).toBe(before + 3)
  })

  it('refuses writes from another site with 403, and lets same-origin, trusted and header-less clients write', async () => {
    const own = suite.url()
    const attempt = (headers: Record<string, string>, phone: string) => send('/api/calls', { method: 'POST', ...json(call(Number(phone)), headers) })
    const refused: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { 'origin': 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      // Same host name, another port: another origin.
      { origin: own.replace(/:\d+$/, ':1') },
    ]
    for (const [index, headers] of refused.entries()) {
      const res = await attempt(headers, String(100 + index))
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect((await res.json()).message).toMatch(/^Cross-site request refused: /)
    }
    const created = await (await send('/api/contacts', { method: 'POST', ...json({ name: 'Not Deleted', phone: '+358 40 100 0005' }) })).json()
    expect((await send(`/api/contacts/${created.id}`, { method: 'DELETE', headers: { origin: 'http://evil.example' } })).status).toBe(403)
    expect((await send(`/api/contacts/${created.id}`)).status).toBe(200)
    expect((await (await send('/api/calls')).json()).total).toBe(0)
    // A note and an interrupted call are writes like any other.
    expect((await send('/api/calls', { method: 'POST', ...json({ ...call(99), interrupted: { reason: 'page-closed', phase: 'connected', at: Date.now() } }, { origin: 'http://evil.example' }) })).status).toBe(403)
    expect((await send('/api/calls', { method: 'POST', ...json(call(98)) })).status).toBe(201)
    expect((await send('/api/calls/98/note', { method: 'PUT', ...json({ note: 'Planted' }, { 'sec-fetch-site': 'cross-site' }) })).status).toBe(403)
    expect((await (await send('/api/calls')).json()).items).toEqual([expect.objectContaining({ id: 98, note: null })])

    const passed: Record<string, string>[] = [
      {},
      { 'sec-fetch-site': 'none' },
      { origin: own },
      { 'origin': own, 'sec-fetch-site': 'same-origin' },
      // A proxy that rewrote Host: the browser still vouches for the origin.
      { 'origin': 'https://dashboard.example', 'sec-fetch-site': 'same-origin' },
    ]
    for (const [index, headers] of passed.entries()) expect((await attempt(headers, String(200 + index))).status, JSON.stringify(headers)).toBe(201)

    process.env.LEADDESK_TALK_TRUSTED_ORIGINS = 'https://crm.example, not an origin ,https://other.example'
    expect((await attempt({ 'origin': 'https://crm.example', 'sec-fetch-site': 'same-site' }, '300')).status).toBe(201)
    expect((await attempt({ origin: 'https://crm.example.evil' }, '301')).status).toBe(403)
    expect((await (await send('/api/calls')).json()).items.map((c: { id: number }) => c.id).sort()).toEqual([200, 201, 202, 203, 204, 300, 98])
  })

  it('answers OPTIONS with 204 and the route\'s methods, and opens nothing to other origins', async () => {
    const res = await send('/api/contacts', { method: 'OPTIONS', headers: { 'origin': 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS')
    expect([...res.headers.keys()].filter(name => name.startsWith('access-control-'))).toEqual([])
    expect((await send('/api/contacts/7', { method: 'OPTIONS' })).headers.get('allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS')
    expect((await send('/api/calls/batch', { method: 'OPTIONS' })).headers.get('allow')).toBe('POST, OPTIONS')
    expect((await send('/api/calls/7/note', { method: 'OPTIONS' })).headers.get('allow')).toBe('PUT, OPTIONS')
    expect((await send('/api/contacts/lookup', { method: 'OPTIONS' })).headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('answers HEAD like GET without a body, and another method with 405 and Allow', async () => {
    const get = await send('/api/contacts?limit=1')
    const head = await send('/api/contacts?limit=1', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(await head.text()).toBe('')
    expect((await send('/api/contacts/999999', { method: 'HEAD' })).status).toBe(404)
    expect((await send('/api/health', { method: 'HEAD' })).status).toBe(200)

    const patch = await send('/api/contacts', { method: 'PATCH', ...json({}) })
    expect(patch.status).toBe(405)
    expect(patch.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS')
    expect((await send('/api/contacts/import', { method: 'GET' })).status).toBe(405)
    expect((await send('/api/calls/batch', { method: 'HEAD' })).status).toBe(405)
    expect((await send('/api/contacts/lookup?number=%2B358401000001', { method: 'HEAD' })).status).toBe(200)
    expect((await send('/api/calls/7/note', { method: 'GET' })).status).toBe(405)
  })

  it('marks every API answer with contacts or calls as not to be stored by caches', async () => {
    for (const path of ['/api/contacts', '/api/calls', '/api/contacts/1', '/api/contacts/not-a-number', '/api/health', '/api/contacts/lookup?number=%2B358401000001', '/api/contacts/lookup']) {
      expect((await send(path)).headers.get('cache-control'), path).toBe('no-store')
    }
    expect((await send('/api/contacts', { method: 'POST', ...json({ name: 'Cached Nowhere', phone: '+358 40 100 0009' }) })).headers.get('cache-control')).toBe('no-store')
    await send('/api/calls', { method: 'POST', ...json(call(97)) })
    const noted = await send('/api/calls/97/note', { method: 'PUT', ...json({ note: 'Not for caches' }) })
    expect([noted.status, noted.headers.get('cache-control')]).toEqual([200, 'no-store'])
  })

  it('lists the methods of every handler file in server/api, and nothing else', () => {
    const fromFiles: Record<string, string[]> = {}
    for (const file of apiFiles(API_DIR)) {
      const { path, method } = routeOf(file)
      ;(fromFiles[path] ??= []).push(method.toUpperCase())
    }
    const sorted = (table: Record<string, readonly string[]>) => Object.fromEntries(Object.entries(table).map(([path, methods]) => [path, [...methods].sort()]))
    expect(sorted(API_ROUTES)).toEqual(sorted(fromFiles))
  })
})
