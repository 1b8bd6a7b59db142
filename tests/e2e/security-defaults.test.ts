import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { launchChromium } from '../support/browser'
import { buildDashboard, startDashboard } from './support/dashboard-app'
import type { DashboardBuild, DashboardServer } from './support/dashboard-app'
import { startHostileOrigin } from './security/hostile-origin'
import type { HostileOrigin } from './security/hostile-origin'

let build: DashboardBuild
let dataDir: string

beforeAll(async () => {
  build = await buildDashboard()
  dataDir = mkdtempSync(join(tmpdir(), 'security-defaults-'))
})
afterAll(() => {
  build?.dispose()
  rmSync(dataDir, { recursive: true, force: true })
})

const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })

/** The addresses the server listens on at `port`, read from the kernel's socket tables (Linux). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const addresses: string[] = []
  for (const [file, decode] of [
    ['/proc/net/tcp', (hex: string) => hex.match(/../g)!.reverse().map(byte => Number.parseInt(byte, 16)).join('.')],
    ['/proc/net/tcp6', (hex: string) => hex === '0'.repeat(32) ? '::' : hex === `${'0'.repeat(24)}01000000` ? '::1' : `other ipv6 ${hex}`],
  ] as const) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      const [address, portHex] = local?.split(':') ?? []
      // 0A: LISTEN
      if (state === '0A' && portHex === hexPort) addresses.push(decode(address!))
    }
  }
  return addresses.sort()
}

describe('the production server\'s listen address', () => {
  const start = (name: string, env: Record<string, string>) => startDashboard(build.outputDir, { LEADDESK_TALK_DB_FILE: join(dataDir, `${name}.sqlite`), LEADDESK_TALK_SEED: 'false', ...env }, { host: null })

  it('listens on loopback only, IPv4 and IPv6, while agent sign-in is off, and says so once at start-up', async () => {
    const server = await start('loopback', {})
    try {
      expect(listeningAddresses(server.port)).toEqual(['127.0.0.1', '::1'])
      expect((await fetch(`http://127.0.0.1:${server.port}/api/health`)).status).toBe(200)
      expect((await fetch(`http://[::1]:${server.port}/api/health`)).status).toBe(200)
      expect((await fetch(`http://localhost:${server.port}/api/health`)).status).toBe(200)
      const notices = server.output().split('\n').filter(line => line.includes('[leaddesk-talk]'))
      expect(notices).toEqual([expect.stringMatching(/^\[leaddesk-talk\] Agent sign-in is off, so the server listens on loopback only \(127\.0\.0\.1 and ::1\)\./)])
    }
    finally {
      await server.close()
    }
  })

  it('listens where HOST says, with a warning, and everywhere when sign-in is on', async () => {
    const open = await startDashboard(build.outputDir, { LEADDESK_TALK_DB_FILE: join(dataDir, 'open.sqlite'), LEADDESK_TALK_SEED: 'false' }, { host: '0.0.0.0' })
    try {
      expect(listeningAddresses(open.port)).toEqual(['0.0.0.0'])
      expect(open.output()).toMatch(/\[leaddesk-talk\] Agent sign-in is off and HOST=0\.0\.0\.0: anyone who reaches this server can read and change every contact/)
    }
    finally {
      await open.close()
    }
    const signedIn = await start('signed-in', { LEADDESK_TALK_JWKS_URL: 'https://keys.example.com/jwks.json' })
    try {
      // Nitro's own default: every interface, IPv4 and IPv6.
      expect(listeningAddresses(signedIn.port)).toEqual(['::'])
      expect((await fetch(`http://127.0.0.1:${signedIn.port}/api/contacts`)).status).toBe(401)
      expect(signedIn.output()).not.toMatch(/\[leaddesk-talk\] Agent sign-in is off/)
    }
    finally {
      await signedIn.close()
    }
  })
})

describe('the production server\'s requests and headers', () => {
  let app: DashboardServer
  let hostile: HostileOrigin
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    ;[app, hostile, browser] = await Promise.all([
      startDashboard(build.outputDir, { LEADDESK_TALK_DB_FILE: join(dataDir, 'requests.sqlite'), LEADDESK_TALK_SEED: 'false', LEADDESK_TALK_HSTS_MAX_AGE: '600' }),
      startHostileOrigin(),
      launchChromium(),
    ])
    page = await browser.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await hostile?.close()
    await app?.close()
  })

  it('stores nothing a page on another site sends with no-cors fetch, a text/plain form or sendBeacon', async () => {
    const contact = await (await fetch(`${app.url}/api/contacts`, json({ name: 'Target Person', phone: '+358 40 700 0001' }))).json()
    const finished: { url: string, method: string, status: number }[] = []
    const watch = async (request: Request) => {
      if (new URL(request.url()).origin !== app.url) return
      // The page may close before a response is read (the next test navigates it): such a request is not one of these writes.
      const response = await request.response().catch(() => null)
      finished.push({ url: new URL(request.url()).pathname, method: request.method(), status: response?.status() ?? 0 })
    }
    const onRequest = (request: Request) => void watch(request)
    page.on('requestfinished', onRequest)
    page.on('requestfailed', onRequest)
    onTestFinished(() => {
      page.off('requestfinished', onRequest)
      page.off('requestfailed', onRequest)
    })

    await page.goto(hostile.blankUrl)
    await page.evaluate(async ({ api, contactId }) => {
      const text = (body: unknown) => ({ method: 'POST', mode: 'no-cors' as const, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) })
      const call = { id: 9001, direction: 'out', to: '+358407000001', from: null, answered: true, callStart: null, talkStart: null, callEnd: null, duration: 5, comment: 'forged', recordUrl: null, reason: null }
      await fetch(`${api}/api/contacts`, text({ name: 'No Cors', phone: '+358 40 700 0002', notes: '=HYPERLINK("http://evil.example","x")' }))
      await fetch(`${api}/api/sms`, text({ sms: 'forged text', contactId }))
      await fetch(`${api}/api/calls`, text(call))
      await fetch(`${api}/api/contacts/import`, { method: 'POST', mode: 'no-cors', body: 'name,phone\nImported By Attacker,+358407000003\n' })
      navigator.sendBeacon(`${api}/api/calls`, JSON.stringify({ ...call, id: 9002 }))
      navigator.sendBeacon(`${api}/api/sms`, JSON.stringify({ sms: 'beacon text', contactId }))
      // A form posting "{"name":"Form Contact",…,"pad":"="}" as text/plain: valid JSON by construction.
      const frame = document.createElement('iframe')
      frame.name = 'sink'
      document.body.append(frame)
      const form = document.createElement('form')
      Object.assign(form, { method: 'POST', enctype: 'text/plain', action: `${api}/api/contacts`, target: 'sink' })
      const input = document.createElement('input')
      input.name = '{"name":"Form Contact","phone":"+358 40 700 0004","pad":"'
      input.value = '"}'
      form.append(input)
      document.body.append(form)
      form.submit()
    }, { api: app.url, contactId: contact.id })

    // Seven writes reached the server (PUT and DELETE cannot be sent cross-site without a CORS preflight at all): every one refused.
    await expect.poll(() => finished.length, { timeout: 15_000 }).toBe(7)
    expect(finished.map(request => request.status)).toEqual(Array.from({ length: 7 }, () => 403))

    const contacts = await (await fetch(`${app.url}/api/contacts`)).json()
    expect(contacts.items.map((c: { name: string }) => c.name)).toEqual(['Target Person'])
    expect((await (await fetch(`${app.url}/api/calls`)).json()).total).toBe(0)
    expect((await (await fetch(`${app.url}/api/contacts/${contact.id}`)).json()).timeline).toEqual([])
  })

  it('takes writes from the dashboard\'s own pages', async () => {
    await page.goto(`${app.url}/`)
    const statuses = await page.evaluate(async () => {
      const post = (type: string) => fetch('/api/contacts', { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ name: 'Same Origin', phone: '+358 40 700 0005' }) }).then(res => res.status)
      return [await post('application/json'), await post('text/plain')]
    })
    expect(statuses).toEqual([201, 415])
  })

  it('answers HEAD and OPTIONS on the API as HTTP says, and 405 for a method a route does not take', async () => {
    const head = await fetch(`${app.url}/api/contacts`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await head.text()).toBe('')
    const options = await fetch(`${app.url}/api/contacts`, { method: 'OPTIONS', headers: { 'origin': hostile.origin, 'access-control-request-method': 'POST' } })
    expect(options.status).toBe(204)
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS')
    expect(options.headers.get('access-control-allow-origin')).toBeNull()
    const patch = await fetch(`${app.url}/api/contacts`, { ...json({}), method: 'PATCH' })
    expect(patch.status).toBe(405)
    expect(patch.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS')
  })

  it('sends nosniff on every static file, no-store on API data, HSTS when configured, and frames the simulator only from the app', async () => {
    const html = await (await fetch(`${app.url}/`)).text()
    const assets = [...html.matchAll(/(?:src|href)="(\/_nuxt\/[^"]+)"/g)].map(match => match[1]!)
    expect(assets.length).toBeGreaterThan(0)
    for (const path of [...new Set(assets)]) {
      const res = await fetch(`${app.url}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
    for (const path of ['/api/contacts', '/api/calls', '/api/contacts/export']) expect((await fetch(`${app.url}${path}`)).headers.get('cache-control'), path).toBe('no-store')
    expect((await fetch(`${app.url}/api/health`)).headers.get('strict-transport-security')).toBe('max-age=600')

    const simulator = await fetch(`${app.url}/_leaddesk-talk/simulator/`)
    expect(simulator.headers.get('content-security-policy')).toMatch(/; frame-ancestors 'self'$/)
    // Another site cannot frame it; the dashboard itself does.
    await page.goto(hostile.blankUrl)
    await page.evaluate(src => new Promise((resolve) => {
      const frame = document.createElement('iframe')
      frame.src = src
      frame.addEventListener('load', resolve, { once: true })
      document.body.append(frame)
    }), `${app.url}/_leaddesk-talk/simulator/`)
    expect(await page.frames()[1]!.title().catch(() => '')).not.toBe('LeadDesk Talk simulator')
    await page.goto(`${app.url}/`)
    await expect.poll(() => page.frames().find(frame => frame.url().includes('/_leaddesk-talk/simulator/'))?.title(), { timeout: 15_000 }).toBe('LeadDesk Talk simulator')
  })
})
