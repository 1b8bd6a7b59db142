import type { FrameLocator, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

const WAIT = { timeout: 15_000, interval: 50 }

/** Waits until the locator's text contains `text` (Playwright's own `expect` is not in playwright-core). */
export async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
  await expect.poll(async () => (await locator.count()) ? (await locator.first().textContent()) ?? '' : '', WAIT)
    .toMatch(typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text)
}

/** Waits until the header's agent status (role="status") reads exactly `label`. */
export async function expectStatus(page: Page, label: string): Promise<void> {
  await expect.poll(async () => ((await page.getByTestId('agent-status').textContent()) ?? '').replace('Agent status:', '').trim(), WAIT).toBe(label)
}

/** The simulator inside the dashboard's Talk frame. */
export function simulator(page: Page): FrameLocator {
  return page.frameLocator('#LD_talk')
}

/** Runs `window.talkSimulator.<method>(...args)` inside the Talk frame. */
export async function simulate(page: Page, method: string, ...args: unknown[]): Promise<void> {
  const frame = await (await page.locator('#LD_talk').elementHandle())?.contentFrame()
  if (!frame) throw new Error('Talk frame not found')
  await frame.evaluate(([m, a]) => {
    const api = (window as unknown as { talkSimulator: Record<string, (...x: unknown[]) => unknown> }).talkSimulator
    api[m as string]!(...(a as unknown[]))
  }, [method, args] as const)
}

/** Waits for a condition on `poll`'s value with the e2e timeout. */
export function eventually<T>(poll: () => Promise<T> | T) {
  return expect.poll(poll, WAIT)
}

/** The simulator's machine state (`window.talkSimulator.state()`) inside the Talk frame, as plain data. */
export async function simulatorState(page: Page): Promise<{ kind: string, metadata: Record<string, unknown> | null, call?: { id: number } }> {
  const frame = await (await page.locator('#LD_talk').elementHandle())?.contentFrame()
  if (!frame) throw new Error('Talk frame not found')
  return frame.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { talkSimulator: { state: () => unknown } }).talkSimulator.state())))
}
