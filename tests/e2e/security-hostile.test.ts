import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulatorServer } from '../../simulator/server'
import type { SimulatorServer } from '../../simulator/server'
import { launchChromium } from '../support/browser'
import { buildDashboard, startDashboard } from './support/dashboard-app'
import type { DashboardBuild, DashboardServer } from './support/dashboard-app'
import { eventually, expectStatus, expectText, simulate } from './support/dashboard-page'
import { startHostileOrigin } from './security/hostile-origin'
import { wildcardPostMessages } from './security/post-message-scan'
import type { HostileOrigin } from './security/hostile-origin'
import { fuzzMessages, perfectTalkEvents, talkTime, completedCall, XSS } from './security/talk-messages'
import { fireStoreActions, openDashboard, postFrom, postFromTalk, readTalkStore, runStoreAction, storedCallIds, talkFrame, watchPage } from './security/talk-page'
import type { WatchedPage } from './security/talk-page'

const STATUS_LABELS = ['Offline', 'Available', 'Unavailable', 'Ringing', 'In call', 'Wrap-up']
const XSS_CONTACT = { name: '<img src=x onerror="window.__pwned=\'contact\'">Mallory', phone: '+358 40 555 0101', company: '<script>window.__pwned=\'company\'</script>' }

let build: DashboardBuild
let app: DashboardServer
let sim: SimulatorServer
let hostile: HostileOrigin
let browser: Browser
/** The dashboard as shipped: its Content-Security-Policy is in force. */
let context: BrowserContext
/** The same dashboard with its CSP ignored: proves the Talk bridge holds on its own, should the policy ever be loosened. */
let noCspContext: BrowserContext
let dataDir: string

const foreignSource = (line: string) => line.includes('foreign-source')

/** Sends a legitimate SMS through the real Talk frame and waits until the page shows it: every message posted earlier has been handled by then. */
async function marker(page: Page, text: string): Promise<void> {
  await postFromTalk(page, [{ action: 'sms', sms: text }])
  await expectText(page.getByTestId('sent-messages'), text)
}

/** Asserts the dashboard still shows an idle, logged-in agent, no forged call in the table, and no forged call in the database. */
async function expectUntouched(watched: WatchedPage, rowsBefore: number, forgedIds: number[]): Promise<void> {
  const { page } = watched
  await expectStatus(page, 'Available')
  expect(await page.getByTestId('call-row').count()).toBe(rowsBefore)
  expect(await page.getByTestId('call-row').filter({ hasText: 'forged' }).count()).toBe(0)
  expect(await page.getByTestId('sent-messages').textContent()).not.toContain('forged')
  const store = await readTalkStore(page)
  for (const id of forgedIds) expect(store.historyIds).not.toContain(id)
  const stored = await storedCallIds(app.url)
  for (const id of forgedIds) expect(stored).not.toContain(id)
  expect(watched.errors).toEqual([])
}

async function waitForFrame(page: Page, url: string): Promise<Frame> {
  let found: Frame | undefined
  await eventually(() => (found = page.frames().find(f => f.url() === url)) !== undefined).toBe(true)
  await found!.waitForLoadState()
  return found!
}

beforeAll(async () => {
  const [built, simulatorServer, hostileOrigin] = await Promise.all([buildDashboard(), startSimulatorServer({ host: '127.0.0.1' }), startHostileOrigin()])
  build = built
  sim = simulatorServer
  hostile = hostileOrigin
  dataDir = mkdtempSync(join(tmpdir(), 'dashboard-security-'))
  app = await startDashboard(build.outputDir, {
    NUXT_PUBLIC_LEADDESK_TALK_SRC: `${sim.url}?agent=Alice&lang=en`,
    NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS: sim.origin,
    // Prints the Talk debug log (diagnostics included) to the console, where the tests read it.
    NUXT_PUBLIC_LEADDESK_TALK_DEBUG: 'true',
    LEADDESK_TALK_DB_FILE: join(dataDir, 'dashboard.sqlite'),
  })
  const res = await fetch(`${app.url}/api/contacts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(XSS_CONTACT) })
  if (!res.ok) throw new Error(`POST /api/contacts: ${res.status} ${await res.text()}`)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  noCspContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true })
})

afterAll(async () => {
  await context?.close()
  await noCspContext?.close()
  await browser?.close()
  await app?.close()
  await sim?.close()
  await hostile?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  build?.dispose()
})

describe('messages from windows that are not the Talk frame', () => {
  it('ignores perfect Talk events from a foreign popup the dashboard opened, and reports each one', async () => {
    const watched = await openDashboard(context, `${app.url}/calls`)
    const { page } = watched
    const rowsBefore = await page.getByTestId('call-row').count()
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate((url) => {
        window.open(url, 'hostile')
      }, hostile.blankUrl),
    ])
    await popup.waitForLoadState()
    // One forged session claiming to be Talk's origin, one claiming its own.
    const forged = [...perfectTalkEvents(sim.origin, 501), ...perfectTalkEvents(hostile.origin, 502)]
    await postFrom(popup, 'opener', forged)

    await eventually(() => watched.diagnostics.filter(foreignSource).length).toBe(forged.length)
    await marker(page, 'marker after popup')
    await expectUntouched(watched, rowsBefore, [501, 502])
    expect(watched.diagnostics.filter(foreignSource)).toHaveLength(forged.length)
    expect((await readTalkStore(page)).diagnostics.filter(foreignSource).length).toBe(forged.length)
    // The agent can see what was dropped, on the Settings page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await page.getByLabel(/Only dropped messages and problems/).check()
    await eventually(() => page.getByTestId('talk-activity').getByRole('row').filter({ hasText: 'Not from the Talk frame' }).count()).toBe(forged.length)
    await popup.close()
    await page.close()
  })

  it('ignores perfect Talk events from a foreign page that opened the dashboard', async () => {
    const opener = await context.newPage()
    await opener.goto(hostile.blankUrl)
    const [page] = await Promise.all([
      context.waitForEvent('page'),
      opener.evaluate((url) => {
        (window as unknown as { __child: Window | null }).__child = window.open(url)
      }, `${app.url}/calls`),
    ])
    const watched = watchPage(page)
    await expectStatus(page, 'Available')
    const rowsBefore = await page.getByTestId('call-row').count()
    const forged = perfectTalkEvents(sim.origin, 503)
    await postFrom(opener, 'child', forged)

    await eventually(() => watched.diagnostics.filter(foreignSource).length).toBe(forged.length)
    await marker(page, 'marker after opener')
    await expectUntouched(watched, rowsBefore, [503])
    await page.close()
    await opener.close()
  })

  it('ignores perfect Talk events from a foreign iframe, even with the page\'s CSP switched off', async () => {
    const watched = await openDashboard(noCspContext, `${app.url}/calls`)
    const { page } = watched
    const rowsBefore = await page.getByTestId('call-row').count()
    await page.evaluate((url) => {
      const frame = document.createElement('iframe')
      frame.src = url
      document.body.append(frame)
    }, hostile.blankUrl)
    const frame = await waitForFrame(page, hostile.blankUrl)
    const forged = [...perfectTalkEvents(sim.origin, 504), ...perfectTalkEvents(hostile.origin, 505)]
    await postFrom(frame, 'parent', forged)

    await eventually(() => watched.diagnostics.filter(foreignSource).length).toBe(forged.length)
    await marker(page, 'marker after foreign frame')
    await expectUntouched(watched, rowsBefore, [504, 505])
    await page.close()
  })

  it('drops messages from a second frame on the Talk origin that is not the Talk frame', async () => {
    const watched = await openDashboard(context, `${app.url}/calls`)
    const { page } = watched
    const rowsBefore = await page.getByTestId('call-row').count()
    // The policy allows the Talk origin in frames, so a second simulator can be embedded.
    const secondUrl = `${sim.url}?second=1`
    await page.evaluate((url) => {
      const frame = document.createElement('iframe')
      frame.src = url
      document.body.append(frame)
    }, secondUrl)
    const second = await waitForFrame(page, secondUrl)
    await second.waitForFunction(() => 'talkSimulator' in window)
    const forged = perfectTalkEvents(sim.origin, 506)
    await second.evaluate((list) => {
      const api = (window as unknown as { talkSimulator: { post: (m: unknown) => { ok: boolean } } }).talkSimulator
      for (const message of list) if (!api.post(message).ok) throw new Error('not posted')
    }, forged)

    await eventually(() => watched.diagnostics.filter(foreignSource).length).toBe(forged.length)
    await marker(page, 'marker after second simulator')
    await expectUntouched(watched, rowsBefore, [506])
    await page.close()
  })
})

describe('a login that lies about its origin', () => {
  it('drops the login, stays offline and posts no command to the claimed origin', async () => {
    const watched = await openDashboard(context, `${app.url}/`)
    const { page } = watched
    await page.getByLabel('Search contacts').fill('Mallory')
    await eventually(() => page.getByTestId('contact-row').count()).toBe(1)
    const frame = await talkFrame(page)
    await simulate(page, 'logout')
    await expectStatus(page, 'Offline')
    const commandsSeen = () => frame.locator('.log-in').count()
    const commandsBefore = await commandsSeen()

    await postFromTalk(page, [{ action: 'login', language: 'en', origin: 'https://evil.example' }])
    await eventually(() => watched.diagnostics.filter(l => l.includes('Login names another origin')).length).toBe(1)
    await expectStatus(page, 'Offline')
    expect((await readTalkStore(page)).session).toEqual({ loggedIn: false, origin: null, language: null })
    // The agent cannot start a call, and app code that tries anyway posts nothing.
    await expect(page.getByRole('button', { name: `Call ${XSS_CONTACT.name}` }).isDisabled()).resolves.toBe(true)
    expect(await runStoreAction(page, 'call', '+358401234567')).toMatch(/not logged in/i)
    expect(await runStoreAction(page, 'setAvailable', false)).toMatch(/not logged in/i)
    expect(await commandsSeen()).toBe(commandsBefore)

    // The real login still works afterwards.
    await simulate(page, 'login', 'Alice', 'en')
    await expectStatus(page, 'Available')
    expect(watched.errors).toEqual([])
    await page.close()
  })
})

describe('a Talk frame that navigates away', () => {
  it('delivers no command to a foreign page loaded into the Talk frame', async () => {
    const watched = await openDashboard(noCspContext, `${app.url}/calls`)
    const { page } = watched
    await (await talkFrame(page)).evaluate((url) => {
      location.href = url
    }, hostile.recorderUrl)
    await eventually(async () => (await talkFrame(page)).title()).toBe('recorder ready')

    // App code that ignores the status and commands Talk anyway.
    await fireStoreActions(page, [['call', '+358401234567'], ['setAvailable', false], ['hangup'], ['answer'], ['requestJwt'], ['setMetadata', { name: 'Ada' }], ['useSettings', { preventManualCalling: true }]])
    // Posted from the same window after those commands, so it arrives after anything they posted.
    await page.evaluate(() => document.querySelector<HTMLIFrameElement>('#LD_talk')!.contentWindow!.postMessage({ marker: true }, '*'))
    await eventually(() => hostile.received().length).toBeGreaterThan(0)
    expect(hostile.received()).toEqual([{ origin: app.url, data: { marker: true } }])
    // The bridge did post them, to Talk's exact origin, so the browser would not hand them to the foreign page.
    for (const action of ['call', 'setStatus', 'hangup', 'answer', 'getJwt', 'setMetadata', 'useSettings']) {
      expect(watched.console).toContain(`[leaddesk-talk] out ${action} `)
    }
    // Replaced seconds after Talk's login, that page could not be told from one that logged in
    // while loading, so the session went on. Its next page does not log in: the agent goes offline.
    await (await talkFrame(page)).evaluate(() => location.reload())
    await expectStatus(page, 'Offline')
    expect(watched.errors).toEqual([])
    await page.close()
  })

  it('has no postMessage to \'*\' anywhere outside the simulator', () => {
    expect(wildcardPostMessages(join(import.meta.dirname, '../..'))).toEqual([])
  })

  it('is not allowed to load a foreign page into the Talk frame at all under the page\'s CSP', async () => {
    const page = await context.newPage()
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] }
      w.__violations = []
      document.addEventListener('securitypolicyviolation', e => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`))
    })
    await page.goto(`${app.url}/calls`)
    await expectStatus(page, 'Available')
    await (await talkFrame(page)).evaluate((url) => {
      location.href = url
    }, hostile.recorderUrl)
    await eventually(() => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.join('\n'))).toContain(`frame-src ${hostile.origin}`)
    await page.close()
  })
})

describe('Talk payloads are untrusted text', () => {
  it('renders HTML and script in Talk payloads and contact data as inert text, and links only https recordings', async () => {
    const page = await context.newPage()
    const watched = watchPage(page)
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] }
      w.__violations = []
      document.addEventListener('securitypolicyviolation', e => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`))
    })
    await page.goto(`${app.url}/calls`)
    await expectStatus(page, 'Available')

    await postFromTalk(page, [{ action: 'call', id: 7001, number: XSS.number, direction: 'in', ringStart: talkTime(0) }])
    await expectStatus(page, 'Ringing')
    const panel = page.getByRole('region', { name: 'Active call' })
    await expectText(panel, XSS.number)
    await postFromTalk(page, [
      { action: 'connected', callStart: talkTime(5) },
      { action: 'disconnected', callEnd: talkTime(65), recordUrl: XSS.javascriptUrl },
    ])
    await expectStatus(page, 'Wrap-up')
    await postFromTalk(page, [
      { action: 'completed', call: completedCall(7001, { from: XSS.number, comment: `${XSS.comment} c7001`, recordUrl: XSS.javascriptUrl, reason: { name: XSS.reason, logicalName: XSS.reason } }) },
      { action: 'completed', call: completedCall(7002, { comment: 'c7002 data url', recordUrl: XSS.dataUrl }) },
      { action: 'completed', call: completedCall(7003, { comment: 'c7003 plain http', recordUrl: 'http://rec.example.com/7003.mp3' }) },
      { action: 'completed', call: completedCall(7004, { comment: 'c7004 https', recordUrl: 'https://rec.example.com/7004.mp3' }) },
      { action: 'sms', sms: XSS.sms, callId: 7001 },
    ])
    await expectStatus(page, 'Available')

    const row = (text: string) => page.getByTestId('call-row').filter({ hasText: text })
    await expectText(row('c7001'), XSS.comment)
    await expectText(row('c7001'), XSS.reason)
    await expectText(row('c7001'), XSS.number)
    await expectText(page.getByTestId('sent-messages'), XSS.sms)
    // Only the https recording gets a link.
    await expectText(row('c7004'), 'Listen')
    expect(await row('c7004').locator('a[href="https://rec.example.com/7004.mp3"]').count()).toBe(1)
    for (const id of ['c7001', 'c7002', 'c7003']) expect(await row(id).locator('a').count()).toBe(0)

    await page.goto(`${app.url}/`)
    await expectStatus(page, 'Available')
    await page.getByLabel('Search contacts').fill('Mallory')
    await eventually(() => page.getByTestId('contact-row').count()).toBe(1)
    await expectText(page.getByTestId('contact-row'), XSS_CONTACT.name)
    await expectText(page.getByTestId('contact-row'), XSS_CONTACT.company)

    // Nothing was parsed as markup: no element from a payload, no script, no attempt the CSP had to stop.
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], iframe[srcdoc]').length)).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined()
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
    expect(watched.dialogs).toEqual([])
    expect(watched.errors).toEqual([])
    await page.close()
  })
})

/** 10,000 messages through a real page take about 35 s on an idle machine, and up to twice that while the whole suite shares two cores. */
const FUZZ_TIMEOUT_MS = 150_000

describe('fuzzed messages', () => {
  it('survives 10,000 random, mutated and garbage messages through the real bridge and still works', async () => {
    const watched = await openDashboard(context, `${app.url}/calls`)
    const { page } = watched
    const messages = fuzzMessages(sim.origin, 10_000, 20261124)
    const started = Date.now()
    for (let i = 0; i < messages.length; i += 500) await postFromTalk(page, messages.slice(i, i + 500))
    await marker(page, 'fuzz done')
    const fuzzMs = Date.now() - started

    expect(watched.errors).toEqual([])
    // The page still answers at once: a frame renders and navigation works.
    const frameMs = await page.evaluate(() => new Promise<number>((resolve) => {
      const t = performance.now()
      requestAnimationFrame(() => resolve(performance.now() - t))
    }))
    expect(frameMs).toBeLessThan(500)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click()
    await eventually(() => page.getByRole('link', { name: 'Contacts', exact: true }).first().getAttribute('aria-current')).toBe('page')
    const label = ((await page.getByTestId('agent-status').textContent()) ?? '').replace('Agent status:', '').trim()
    expect(STATUS_LABELS).toContain(label)

    // A real session from scratch still works end to end.
    await simulate(page, 'logout')
    await expectStatus(page, 'Offline')
    await simulate(page, 'login', 'Alice', 'en')
    await expectStatus(page, 'Available')
    await simulate(page, 'incomingCall', '+358 40 777 8888')
    await expectStatus(page, 'Ringing')
    await simulate(page, 'answer')
    await expectStatus(page, 'In call')
    await simulate(page, 'hangup')
    await expectStatus(page, 'Wrap-up')
    const frame = await talkFrame(page)
    const id = await frame.evaluate(() => (window as unknown as { talkSimulator: { state: () => { lastCallId: number } } }).talkSimulator.state().lastCallId)
    await simulate(page, 'complete', { comment: 'after the fuzz' })
    await expectStatus(page, 'Available')
    // Filed once in the history (the outbox is still busy with the fuzzed SMS; delivery is proven in security-faults).
    await eventually(async () => (await readTalkStore(page)).historyIds.filter(h => h === id).length).toBe(1)
    expect(watched.errors).toEqual([])
    console.info(`fuzz: ${messages.length} messages handled in ${fuzzMs} ms; next frame after ${Math.round(frameMs)} ms`)
    await page.close()
  }, FUZZ_TIMEOUT_MS)
})
