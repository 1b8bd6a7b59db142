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
