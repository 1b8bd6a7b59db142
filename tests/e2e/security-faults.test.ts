import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulatorServer } from '../../simulator/server'
import type { SimulatorServer } from '../../simulator/server'
import { launchChromium } from '../support/browser'
import { buildDashboard } from './support/dashboard-app'
import type { DashboardBuild } from './support/dashboard-app'
import { eventually, expectStatus, expectText, simulate } from './support/dashboard-page'
import { startRestartableDashboard } from './security/dashboard-process'
import type { RestartableDashboard } from './security/dashboard-process'
import { completedCall, talkTime } from './security/talk-messages'
import { openDashboard, postFromTalk, readTalkStore, storedCallIds, talkFrame } from './security/talk-page'

/** Where app/composables/use-outbox.ts keeps calls the server has not acknowledged. */
const OUTBOX_KEY = 'leaddesk-talk:outbox'

let build: DashboardBuild
let app: RestartableDashboard
let sim: SimulatorServer
let browser: Browser
let context: BrowserContext
let dataDir: string

async function lastCallId(page: Page): Promise<number> {
  return (await talkFrame(page)).evaluate(() => (window as unknown as { talkSimulator: { state: () => { lastCallId: number } } }).talkSimulator.state().lastCallId)
}

async function outboxKeys(page: Page): Promise<string[]> {
  return page.evaluate(key => (JSON.parse(localStorage.getItem(key) ?? '[]') as { key: string }[]).map(i => i.key), OUTBOX_KEY)
}

/** How often call `id` is in this browser's history, in the call table, and in the database. */
async function copies(page: Page, id: number, comment: string) {
  return {
    history: (await readTalkStore(page)).historyIds.filter(h => h === id).length,
    rows: await page.getByTestId('call-row').filter({ hasText: comment }).count(),
    database: (await storedCallIds(app.url)).filter(c => c === id).length,
  }
}

/** Takes an inbound call through the simulator up to the given phase. */
async function inboundCall(page: Page, until: 'In call' | 'Wrap-up'): Promise<number> {
  await simulate(page, 'incomingCall', '+358 40 123 4567')
  await expectStatus(page, 'Ringing')
  await simulate(page, 'answer')
  await expectStatus(page, 'In call')
  if (until === 'Wrap-up') {
    await simulate(page, 'hangup')
    await expectStatus(page, 'Wrap-up')
  }
  return lastCallId(page)
}

beforeAll(async () => {
  const [built, simulatorServer] = await Promise.all([buildDashboard(), startSimulatorServer({ host: '127.0.0.1' })])
  build = built
  sim = simulatorServer
  dataDir = mkdtempSync(join(tmpdir(), 'dashboard-faults-'))
  app = await startRestartableDashboard(build.outputDir, {
    NUXT_PUBLIC_LEADDESK_TALK_SRC: `${sim.url}?agent=Alice&lang=en`,
    NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS: sim.origin,
    LEADDESK_TALK_DB_FILE: join(dataDir, 'dashboard.sqlite'),
  })
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await app?.stop()
  await sim?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  build?.dispose()
})

describe('the dashboard server goes away', () => {
  it('keeps a call completed while the server is down and delivers it exactly once when the server is back', async () => {
    const { page, errors } = await openDashboard(context, `${app.url}/calls`)
    await app.stop()

    const id = await inboundCall(page, 'Wrap-up')
    await simulate(page, 'complete', { comment: 'filed while the server was down' })
    await expectStatus(page, 'Available')
    // The agent sees the call at once, and that it has not reached the server yet.
    await expectText(page.getByTestId('call-row').filter({ hasText: 'filed while the server was down' }), 'Inbound')
    await expectText(page.getByTestId('sync-indicator'), '1 call waiting to sync')
    await eventually(() => page.getByTestId('sync-indicator').getAttribute('title')).toMatch(/Last attempt failed/)
    expect(await outboxKeys(page)).toEqual([`call:${id}`])

    await app.start()
    // The outbox retries on its own (backoff from 1 s): no click needed.
    await expect.poll(async () => (await storedCallIds(app.url)).filter(c => c === id).length, { timeout: 40_000, interval: 250 }).toBe(1)
    await eventually(() => page.getByTestId('sync-indicator').count()).toBe(0)
    expect(await outboxKeys(page)).toEqual([])
    expect(await copies(page, id, 'filed while the server was down')).toEqual({ history: 1, rows: 1, database: 1 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('files nothing for a blank SMS from Talk, so nothing waits to sync forever', async () => {
    const { page, errors } = await openDashboard(context, `${app.url}/calls`)
    await postFromTalk(page, [{ action: 'sms', sms: '   ' }, { action: 'sms', sms: 'marker after the blank SMS' }])
    await expectText(page.getByTestId('sent-messages'), 'marker after the blank SMS')
    await eventually(() => page.getByTestId('sync-indicator').count()).toBe(0)
    expect(await outboxKeys(page)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it('tells the agent when the server refuses an item for good, instead of retrying it forever', async () => {
    const { page, errors } = await openDashboard(context, `${app.url}/calls`)
    await page.route('**/api/sms', route => route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ statusCode: 422, message: 'sms: refused by test' }) }))
    await postFromTalk(page, [{ action: 'sms', sms: 'the server will refuse this one' }])
    await expectText(page.getByTestId('sync-refused'), 'refused by test')
    await eventually(() => outboxKeys(page)).toEqual([])
    await page.getByTestId('sync-refused').getByRole('button', { name: 'Dismiss' }).click()
    await eventually(() => page.getByTestId('sync-refused').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('the outbox sends calls in batches', () => {
  it('delivers a burst of calls in a few requests, every call exactly once', async () => {
    const { page, errors } = await openDashboard(context, `${app.url}/calls`)
    const requests: number[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/calls/batch')) requests.push((request.postDataJSON() as { calls: unknown[] }).calls.length)
    })
    const ids = Array.from({ length: 60 }, (_, i) => 880_000 + i)
    await postFromTalk(page, ids.map(id => ({ action: 'completed', call: completedCall(id, { comment: `burst ${id}` }) })))
    await expect.poll(async () => (await storedCallIds(app.url)).filter(id => ids.includes(id)).length, { timeout: 30_000, interval: 250 }).toBe(60)
    await eventually(() => page.getByTestId('sync-indicator').count()).toBe(0)
    expect(requests.reduce((a, b) => a + b, 0)).toBe(60)
    // How the calls split depends on timing; that they are batched at all, and never over 50, does not.
    expect(requests.length).toBeLessThan(60)
    expect(Math.max(...requests)).toBeGreaterThan(1)
    expect(Math.max(...requests)).toBeLessThanOrEqual(50)
    expect(errors).toEqual([])
    await page.close()
  })

  it('falls back to one request per call when the server has no batch endpoint', async () => {
    const { page, errors } = await openDashboard(context, `${app.url}/calls`)
    await page.route('**/api/calls/batch', route => route.fulfill({ status: 404, contentType: 'application/json', body: '{"statusCode":404,"message":"Page not found"}' }))
    await postFromTalk(page, [{ action: 'completed', call: completedCall(881_001, { comment: 'sent without the batch endpoint' }) }])
    await expect.poll(async () => (await storedCallIds(app.url)).filter(id => id === 881_001).length, { timeout: 30_000, interval: 250 }).toBe(1)
    await eventually(() => outboxKeys(page)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it('tells the agent about a call the server refuses in a batch, and delivers the others', async () => {
    const { page, errors } = await openDashboard(context, `${app.url}/calls`)
    // The real server never sees call 882002 go wrong; the test makes it answer as it would for a broken record.
    await page.route('**/api/calls/batch', async (route) => {
      const calls = (route.request().postDataJSON() as { calls: { id: number }[] }).calls
      const kept = calls.filter(c => c.id !== 882_002)
      const answer = kept.length ? await (await route.fetch({ postData: JSON.stringify({ calls: kept }) })).json() as { results: unknown[] } : { results: [] }
      let next = 0
      const results = calls.map(c => c.id === 882_002 ? { id: c.id, status: 'refused', field: 'duration', reason: 'refused by test' } : answer.results[next++])
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ results }) })
    })
    await postFromTalk(page, [882_000, 882_002].map(id => ({ action: 'completed', call: completedCall(id, { comment: `refusal ${id}` }) })))
    await expectText(page.getByTestId('sync-refused'), 'duration: refused by test')
    await expect.poll(async () => (await storedCallIds(app.url)).includes(882_000), { timeout: 30_000, interval: 250 }).toBe(true)
    await eventually(() => outboxKeys(page)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('the agent reloads the dashboard', () => {
  it('picks up a call in progress from Talk\'s next events after a reload and logs it once', async () => {
    const watched = await openDashboard(context, `${app.url}/calls`)
    const { page, errors } = watched
    const id = await inboundCall(page, 'In call')
    await page.reload()
    // Leaving mid-call asked first; the agent went on.
    expect(watched.leavePrompts).toBe(1)
    await expectStatus(page, 'Available')

    // What Talk sends next for the call that went on while the page reloaded.
    await postFromTalk(page, [{ action: 'connected', callStart: talkTime(5) }])
    await expectStatus(page, 'In call')
    await postFromTalk(page, [{ action: 'disconnected', callEnd: talkTime(65) }])
    await expectStatus(page, 'Wrap-up')
    await postFromTalk(page, [{ action: 'completed', call: completedCall(id, { comment: 'reloaded during the call' }) }])
    await expectStatus(page, 'Available')

    await eventually(() => copies(page, id, 'reloaded during the call')).toEqual({ history: 1, rows: 1, database: 1 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('picks up wrap-up after a reload, logs the call once, and ignores Talk repeating it after another reload', async () => {
    const watched = await openDashboard(context, `${app.url}/calls`)
    const { page, errors } = watched
    const id = await inboundCall(page, 'Wrap-up')
    await page.reload()
    expect(watched.leavePrompts).toBe(1)
    await expectStatus(page, 'Available')

    await postFromTalk(page, [{ action: 'disconnected', callEnd: talkTime(65) }])
    await expectStatus(page, 'Wrap-up')
    const completed = { action: 'completed', call: completedCall(id, { comment: 'reloaded during wrap-up' }) }
    await postFromTalk(page, [completed])
    await expectStatus(page, 'Available')
    await eventually(() => copies(page, id, 'reloaded during wrap-up')).toEqual({ history: 1, rows: 1, database: 1 })

    // Reloaded again, and Talk reports the same call a second time.
    await page.reload()
    await expectStatus(page, 'Available')
    await postFromTalk(page, [completed, { action: 'sms', sms: 'marker after the repeat' }])
    await expectText(page.getByTestId('sent-messages'), 'marker after the repeat')
    await eventually(() => page.getByTestId('sync-indicator').count()).toBe(0)
    expect(await copies(page, id, 'reloaded during wrap-up')).toEqual({ history: 1, rows: 1, database: 1 })
    expect(errors).toEqual([])
    await page.close()
  })
})
