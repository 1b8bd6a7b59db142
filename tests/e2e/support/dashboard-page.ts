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

/** Calls the dashboard's API at `baseUrl` as a script would (JSON, no browser headers); throws with the answer on a non-2xx. */
export async function callApi<T>(baseUrl: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } })
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`)
  return (res.status === 204 ? undefined : await res.json()) as T
}

/** Loads `url` in `page` and waits until the simulator's agent is logged in. */
export async function openAt(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await expectStatus(page, 'Available')
}

/** Follows a main navigation link and waits until it is the current page. */
export async function navigate(page: Page, name: 'Contacts' | 'Calls' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click()
  await eventually(() => page.getByRole('link', { name, exact: true }).first().getAttribute('aria-current')).toBe('page')
}
