import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseTalkEvent, parseTalkTime } from '../../protocol'
import type { TalkEvent } from '../../protocol'
import type { TalkSimulatorApi } from '../../simulator/api'
import { startSimulatorServer } from '../../simulator/server'
import type { SimulatorServer } from '../../simulator/server'
import { launchChromium } from '../support/browser'
import { startTestServer } from '../support/http'
import type { TestServer } from '../support/http'

const screenshotPath = fileURLToPath(new URL('../../docs/images/simulator.png', import.meta.url))

interface Received { origin: string, data: unknown }
type HostWindow = Window & { received: Received[], send: (command: unknown) => void }
type SimulatorWindow = Window & { talkSimulator: TalkSimulatorApi }

// A plain host page like a CRM would write: it records what the Talk frame posts and sends
// commands to the origin learned from the frame's login. The iframe comes after the listener.
function hostPage(simulatorUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>host</title></head><body style="margin:0">
<script>
window.received = []
var talkOrigin = null
window.addEventListener('message', function (event) {
  var frame = document.getElementById('LD_talk')
  if (!frame || event.source !== frame.contentWindow) return
  window.received.push({ origin: event.origin, data: event.data })
  if (event.data && event.data.action === 'login') talkOrigin = event.origin
})
window.send = function (command) {
  document.getElementById('LD_talk').contentWindow.postMessage(command, talkOrigin)
}
</script>
<iframe id="LD_talk" title="LD_talk" allow="microphone *" src="${simulatorUrl}" width="400" height="800" style="border:0;display:block"></iframe>
</body></html>`
}

let browser: Browser
let simulator: SimulatorServer
let host: TestServer

beforeAll(async () => {
  ;[browser, simulator] = await Promise.all([launchChromium(), startSimulatorServer({ host: '127.0.0.1' })])
  host = await startTestServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/') return void res.writeHead(404).end()
    const query = url.searchParams.get('sim') ?? '?agent=Alice&lang=fi'
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(hostPage(`${simulator.url}${query}`))
  }, { host: 'localhost' })
})

afterAll(async () => {
  await browser?.close()
  await Promise.all([simulator?.close(), host?.close()])
})

/** Opens the host page with the simulator logged in as Alice and returns helpers bound to it. */
async function openHost(query?: string) {
  const page: Page = await browser.newPage({ viewport: { width: 400, height: 800 } })
  await page.goto(query ? `${host.url}/?sim=${encodeURIComponent(query)}` : `${host.url}/`)
  await page.waitForFunction(() => (window as unknown as HostWindow).received.some(r => (r.data as { action?: string }).action === 'login'))
  const frame: Frame = (await (await page.$('#LD_talk'))!.contentFrame())!
  const received = () => page.evaluate(() => (window as unknown as HostWindow).received)
  // Typed loosely on purpose: the tests also send malformed commands.
  const send = (command: Record<string, unknown>) => page.evaluate(c => (window as unknown as HostWindow).send(c), command as unknown)
  /** Waits until `count` events have arrived and returns the newest one, validated. */
  const waitForEvent = async (count: number): Promise<TalkEvent> => {
    await page.waitForFunction(n => (window as unknown as HostWindow).received.length >= n, count)
    const all = await received()
    expect(all).toHaveLength(count)
    const parsed = parseTalkEvent(all[count - 1]!.data)
    if (!parsed.ok) throw new Error(`Invalid event: ${parsed.error.message}`)
    return parsed.value
  }
  const simulatorDo = <K extends keyof TalkSimulatorApi>(method: K, ...args: Parameters<TalkSimulatorApi[K]>) =>
    frame.evaluate(([m, a]) => {
      const api = (window as unknown as SimulatorWindow).talkSimulator as unknown as Record<string, (...x: unknown[]) => unknown>
      return api[m as string]!(...a as unknown[])
    }, [method, args] as const)
  const inFrame = page.frameLocator('#LD_talk')
  return { page, frame, inFrame, received, send, waitForEvent, simulatorDo }
}

/** Every message the host received came from the simulator's origin and is a valid Talk event. */
async function expectAllValid(received: () => Promise<Received[]>) {
  for (const { origin, data } of await received()) {
    expect(origin).toBe(simulator.origin)
    expect(parseTalkEvent(data)).toMatchObject({ ok: true })
  }
}

describe('Talk simulator embedded on another origin', () => {
  it('logs in from the URL and runs an outbound call from dial to completed by postMessage', async () => {
    const { page, inFrame, received, send, waitForEvent, simulatorDo } = await openHost()
    expect(await waitForEvent(1)).toEqual({ action: 'login', language: 'fi', origin: simulator.origin })

    await send({ action: 'setMetadata', metadata: { name: 'Maria Virtanen', company: 'Virtanen Oy' } })
    await expect.poll(() => inFrame.getByLabel('SMS text').inputValue()).toBe('Hello Maria Virtanen')

    await send({ action: 'call', number: '+358 40 111 2222', autocall: true })
    const call = await waitForEvent(2)
    expect(call).toMatchObject({ action: 'call', direction: 'out', number: '+358 40 111 2222' })
    if (call.action !== 'call') throw new Error('expected a call event')
    expect(Number.isSafeInteger(call.id)).toBe(true)
    expect(call.ringStart).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)

    await simulatorDo('calleeAnswers')
    const connected = await waitForEvent(3)
    expect(connected.action).toBe('connected')
    await inFrame.getByRole('button', { name: 'Hang up', exact: true }).waitFor()
    await mkdir(dirname(screenshotPath), { recursive: true })
    await page.locator('#LD_talk').screenshot({ path: screenshotPath })

    await send({ action: 'hangup' })
    const disconnected = await waitForEvent(4)
    if (disconnected.action !== 'disconnected') throw new Error('expected a disconnected event')
    expect(disconnected.recordUrl).toMatch(/^https:\/\//)

    await inFrame.getByLabel('Call ending reason').selectOption('Sale')
    await inFrame.getByLabel('Comment').fill('Wants a demo next week')
    await inFrame.getByRole('button', { name: 'Complete call', exact: true }).click()
    const completed = await waitForEvent(5)
    if (completed.action !== 'completed' || connected.action !== 'connected') throw new Error('expected a completed event')
    expect(completed.call).toMatchObject({
      id: call.id,
      direction: 'out',
      to: '+358 40 111 2222',
      answered: true,
      callStart: connected.callStart,
      talkStart: connected.callStart,
      callEnd: disconnected.callEnd,
      duration: (parseTalkTime(disconnected.callEnd) - parseTalkTime(connected.callStart)) / 1000,
      comment: 'Wants a demo next week',
      recordUrl: disconnected.recordUrl,
      reason: { name: 'Sale', logicalName: 'SALE' },
    })
    expect(completed.call.from).toEqual(expect.any(String))

    await simulatorDo('sendSms', 'Thanks for your time')
    expect(await waitForEvent(6)).toEqual({ action: 'sms', sms: 'Thanks for your time', callId: call.id })
    expect((await received()).map(r => (r.data as { action: string }).action)).toEqual(['login', 'call', 'connected', 'disconnected', 'completed', 'sms'])
    await expectAllValid(received)
    await page.close()
  })

  it('answers an inbound call with the answer command and rejects a ringing one with hangup', async () => {
    const { page, received, send, waitForEvent, simulatorDo } = await openHost()
    await waitForEvent(1)

    await simulatorDo('incomingCall', '+358409998888')
    const call = await waitForEvent(2)
    expect(call).toMatchObject({ action: 'call', direction: 'in', number: '+358409998888' })
    await send({ action: 'answer' })
    expect((await waitForEvent(3)).action).toBe('connected')
    await simulatorDo('calleeHangsUp')
    expect((await waitForEvent(4)).action).toBe('disconnected')
    await simulatorDo('complete', { reasonName: 'CALLBACK' })
    const completed = await waitForEvent(5)
    expect(completed).toMatchObject({
      action: 'completed',
      call: { id: (call as { id: number }).id, direction: 'in', from: '+358409998888', answered: true, comment: null, reason: { name: 'Call back later', logicalName: 'CALLBACK' } },
    })

    await simulatorDo('incomingCall', '+358405550000')
    expect(await waitForEvent(6)).toMatchObject({ action: 'call', direction: 'in' })
    await send({ action: 'hangup' })
    const rejected = await waitForEvent(7)
    expect(rejected).not.toHaveProperty('recordUrl')
    await simulatorDo('complete', {})
    expect(await waitForEvent(8)).toMatchObject({
      action: 'completed',
      call: { answered: false, duration: 0, callStart: null, talkStart: null, recordUrl: null, reason: null },
    })
    await expectAllValid(received)
    await page.close()
  })

  it('answers getJwt with a token that verifies against the served jwks.json', async () => {
    const { page, send, waitForEvent } = await openHost()
    await waitForEvent(1)
    await send({ action: 'getJwt' })
    const event = await waitForEvent(2)
    if (event.action !== 'jwt') throw new Error('expected a jwt event')
    const jwks = createRemoteJWKSet(new URL('jwks.json', simulator.url))
    const { payload, protectedHeader } = await jwtVerify(event.jwt, jwks, { audience: 'cti', issuer: 'nuxt-leaddesk-talk-simulator' })
    expect(protectedHeader.alg).toBe('ES256')
    expect(payload.sub).toBe('Alice')
    expect(payload.exp! - payload.iat!).toBe(300)
    await page.close()
  })

  it('refuses calls while set unavailable, and reports bad commands with error events', async () => {
    const { page, inFrame, send, waitForEvent } = await openHost()
    await waitForEvent(1)

    await send({ action: 'setStatus', enabled: false })
    await send({ action: 'call', number: '+358401112222', autocall: true })
    expect(await waitForEvent(2)).toEqual({ action: 'error', message: 'general' })
    await send({ action: 'reset' })
    await send({ action: 'call', number: '+358401112222', autocall: true })
    expect(await waitForEvent(3)).toMatchObject({ action: 'call', direction: 'out' })
    await send({ action: 'answer' })
    expect(await waitForEvent(4)).toEqual({ action: 'error', message: 'general' })

    await send({ action: 'dance' })
    expect(await waitForEvent(5)).toEqual({ action: 'error', message: 'unknown error' })
    await send({ action: 'setStatus', enabled: 'no' })
    expect(await waitForEvent(6)).toEqual({ action: 'error', message: 'unknown error' })
    await expect.poll(() => inFrame.getByRole('list', { name: 'Event log' }).textContent()).toContain('Rejected a command')
    await page.close()
  })

  it('locks the number field with useSettings and fills it with call autocall false', async () => {
    const { page, inFrame, send, waitForEvent } = await openHost()
    await waitForEvent(1)
    const number = inFrame.getByLabel('Number', { exact: true })

    await send({ action: 'useSettings', preventManualCalling: true })
    await expect.poll(() => number.isDisabled()).toBe(true)
    await send({ action: 'call', number: '+358401234567', autocall: false })
    await expect.poll(() => number.inputValue()).toBe('+358401234567')
    await send({ action: 'useSettings', preventManualCalling: false })
    await expect.poll(() => number.isDisabled()).toBe(false)

    // The agent presses Call on the number the CRM filled in.
    await inFrame.getByRole('button', { name: 'Call', exact: true }).click()
    expect(await waitForEvent(2)).toMatchObject({ action: 'call', direction: 'out', number: '+358401234567' })
    await page.close()
  })

  it('ignores commands that do not come from the embedding page', async () => {
    const { page, frame, inFrame, received, send, waitForEvent } = await openHost()
    await waitForEvent(1)
    await frame.evaluate(() => window.postMessage({ action: 'getJwt' }, location.origin))
    await expect.poll(() => inFrame.getByRole('list', { name: 'Event log' }).textContent()).toContain('Ignored a message that did not come from the embedding page')
    // A command from the real parent is answered; the ignored getJwt never was.
    await send({ action: 'hangup' })
    expect(await waitForEvent(2)).toEqual({ action: 'error', message: 'general' })
    expect((await received()).map(r => (r.data as { action: string }).action)).toEqual(['login', 'error'])
    await page.close()
  })

  it('lets the callee answer by itself after answerAfter ms', async () => {
    const { page, received, send, waitForEvent } = await openHost('?agent=Bob&lang=en&answerAfter=50')
    expect(await waitForEvent(1)).toMatchObject({ action: 'login', language: 'en' })
    await send({ action: 'call', number: '+358401112222', autocall: true })
    // 'connected' follows 'call' by only 50 ms: wait for both, then check the order.
    await waitForEvent(3)
    expect((await received()).map(r => (r.data as { action: string }).action)).toEqual(['login', 'call', 'connected'])
    await page.close()
  })
})
