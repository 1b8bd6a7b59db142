import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulatorServer } from '../../simulator/server'
import { launchChromium } from '../support/browser'
import { buildDashboard, startDashboard } from './support/dashboard-app'
import type { DashboardBuild, DashboardServer } from './support/dashboard-app'
import { signSimulatorJwt } from '../../simulator/jwt'
import { eventually, expectStatus, expectText } from './support/dashboard-page'

let build: DashboardBuild
let app: DashboardServer
let sim: Awaited<ReturnType<typeof startSimulatorServer>>
let browser: Browser
let page: Page
let dataDir: string
const apiRequests: { path: string, authorization: string | undefined, status: number }[] = []

beforeAll(async () => {
  const [built, simulatorServer] = await Promise.all([buildDashboard(), startSimulatorServer({ host: '127.0.0.1' })])
  build = built
  sim = simulatorServer
  dataDir = mkdtempSync(join(tmpdir(), 'dashboard-auth-'))
  app = await startDashboard(build.outputDir, {
    NUXT_PUBLIC_LEADDESK_TALK_SRC: `${sim.url}?agent=Alice&lang=en`,
    NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS: sim.origin,
    LEADDESK_TALK_DB_FILE: join(dataDir, 'dashboard.sqlite'),
    LEADDESK_TALK_JWT_KEY: 'simulator',
    LEADDESK_TALK_ALLOW_SIMULATOR_KEY: 'true',
  })
  browser = await launchChromium()
  page = await browser.newPage()
  page.on('response', (response) => {
    const url = new URL(response.url())
    if (url.pathname.startsWith('/api/')) apiRequests.push({ path: url.pathname, authorization: response.request().headers().authorization, status: response.status() })
  })
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await sim?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  build?.dispose()
})

describe('dashboard with agent authentication on', () => {
  it('serves its pages with a CSP that frames only the configured Talk origin and delegates the microphone to it', async () => {
    const res = await fetch(`${app.url}/`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(new RegExp(`frame-src [^;]*${sim.origin.replace(/[.:/]/g, '\\$&')}`))
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    expect(res.headers.get('permissions-policy')).toContain(`microphone=(self "${sim.origin}")`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  })

  it('refuses API requests that carry no Talk JWT', async () => {
    const res = await fetch(`${app.url}/api/contacts`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
  })

  it('loads contacts with the JWT the agent\'s Talk session signs, and keeps the token out of storage', async () => {
    await page.goto(app.url)
    await expectStatus(page, 'Available')
    await eventually(() => page.getByTestId('contact-row').count()).toBeGreaterThan(0)
    const authorized = apiRequests.filter(r => r.path === '/api/contacts' && r.status === 200)
    expect(authorized.length).toBeGreaterThan(0)
    expect(authorized.every(r => r.authorization?.startsWith('Bearer ey'))).toBe(true)
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
    expect(stored).not.toMatch(/ey[\w-]+\.ey[\w-]+\./)
  })

  it('exports contacts and opens a contact page with the token, too', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const path = await download.path()
    expect(readFileSync(path, 'utf8')).toMatch(/^\uFEFF?name,phone,company,email,notes/)
    const link = page.getByTestId('contact-row').first().getByRole('link').first()
    const name = (await link.textContent())?.trim()
    await link.click()
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(name)
  })

  it('renders /calls on the server without calls the API would refuse, and the browser loads them with the token', async () => {
    const stored = await fetch(`${app.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${await signSimulatorJwt('Alice')}` },
      body: JSON.stringify({
        id: 710_001, direction: 'in', to: null, from: '+358 40 999 0000', answered: false,
        callStart: '2026-03-05 14:07:00', talkStart: null, callEnd: '2026-03-05 14:07:30', duration: 0,
        comment: 'Only for signed-in agents', recordUrl: null, reason: null,
      }),
    })
    expect(stored.status).toBe(201)
    // The page request carries no token: the server renders the loading state, not the stored call.
    const html = await (await fetch(`${app.url}/calls`)).text()
    expect(html).not.toContain('Only for signed-in agents')
    expect(html).toContain('Loading…')
    await page.goto(`${app.url}/calls`)
    await expectStatus(page, 'Available')
    await expectText(page.getByTestId('call-row').first(), 'Only for signed-in agents')
    const listed = apiRequests.filter(r => r.path === '/api/calls' && r.status === 200)
    expect(listed.length).toBeGreaterThan(0)
    expect(listed.every(r => r.authorization?.startsWith('Bearer ey'))).toBe(true)
  })
})
