import type { BrowserContext, Frame, Page } from 'playwright-core'
import type { DashboardSession } from './session'

/** How long a dashboard page may take to show a condition before the row gives up. */
export const PAGE_TIMEOUT = 30_000

/** A fresh browser context (empty cache and IndexedDB) with one page on `path` of the dashboard; `init` runs in the page before its scripts. */
export async function openDashboard(
  session: DashboardSession,
  path: string,
  init?: () => void,
  beforeLoad?: (context: BrowserContext) => void,
): Promise<{ context: BrowserContext, page: Page }> {
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } })
  beforeLoad?.(context)
  const page = await context.newPage()
  if (init) await page.addInitScript(init)
  await page.goto(`${session.url}${path}`)
  return { context, page }
}

/** Waits until the header's agent status (`role="status"`, data-testid agent-status) reads `label`. */
export async function waitForStatus(page: Page, label: string): Promise<void> {
  await page.waitForFunction((want) => {
    const status = document.querySelector('[data-testid="agent-status"]') ?? document.querySelector('header [role="status"]')
    return (status?.textContent ?? '').replace('Agent status:', '').trim() === want
  }, label, { timeout: PAGE_TIMEOUT, polling: 'raf' })
}

/** The simulator's frame inside the dashboard's Talk dock. */
export async function talkFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#LD_talk', { timeout: PAGE_TIMEOUT, state: 'attached' })
  const frame = await handle.contentFrame()
  if (!frame) throw new Error('the Talk frame has no document')
  await frame.waitForFunction(() => 'talkSimulator' in window, undefined, { timeout: PAGE_TIMEOUT })
  return frame
}

/** The Talk frame's window with the simulator's scripting API. */
export type SimulatorWindow = Window & { talkSimulator: Record<string, (...args: unknown[]) => { ok: boolean, notes: string[] }> }
type StatusProbe = { changes: number, times: number[] }

/** Each step of an inbound call and the header status it leads to. */
export const CALL_STEPS: { step: string, args: unknown[], status: string }[] = [
  { step: 'incomingCall', args: ['+358401234567'], status: 'Ringing' },
  { step: 'answer', args: [], status: 'In call' },
  { step: 'hangup', args: [], status: 'Wrap-up' },
  { step: 'complete', args: [{ reasonName: 'SALE' }], status: 'Available' },
]

/** Records, in the page, the time each header status text change lands in the DOM (on the clock every document shares). */
export async function installStatusProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const status = document.querySelector('[data-testid="agent-status"]')!
    const probe = { changes: 0, times: [] as number[] }
    ;(window as unknown as { probe: StatusProbe }).probe = probe
    new MutationObserver(() => {
      probe.times.push(performance.timeOrigin + performance.now())
      probe.changes++
    }).observe(status, { subtree: true, childList: true, characterData: true })
  })
}

/** How many status changes the page's probe has seen. */
export function statusChanges(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { probe: StatusProbe }).probe.changes)
}

/** Waits for the status change after the first `seen` ones and returns when it landed in the DOM. */
export async function nextStatusChange(page: Page, seen: number): Promise<number> {
  await page.waitForFunction(n => (window as unknown as { probe: StatusProbe }).probe.changes > n, seen, { timeout: PAGE_TIMEOUT, polling: 'raf' })
  return page.evaluate(n => (window as unknown as { probe: StatusProbe }).probe.times[n]!, seen)
}

/** Runs one simulator step in the Talk frame; returns the time just before it posted its event. */
export function runCallStep(frame: Frame, step: string, args: unknown[]): Promise<number> {
  return frame.evaluate(([name, a]) => {
    const at = performance.timeOrigin + performance.now()
    const result = (window as unknown as SimulatorWindow).talkSimulator[name as string]!(...(a as unknown[]))
    if (!result.ok) throw new Error(`simulator refused ${name as string}: ${result.notes.join('; ')}`)
    return at
  }, [step, args] as const)
}
