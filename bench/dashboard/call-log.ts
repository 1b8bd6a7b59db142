import { describeTimings, formatMs, median, percentile } from '../stats'
import type { BenchModule, BenchRow } from '../types'
import { openDashboard, PAGE_TIMEOUT, waitForStatus } from './page-tools'
import { dashboardSession } from './session'
import { SEEDED_CALLS } from './seed'

const LOADS = 7
const SCROLL_FRAMES = 360
const SCROLL_STEP_PX = 240
const FIRST_RENDER_TARGET = 300
const FRAME_TARGET = 50

/** Records, from navigation start, when the first call-log row is in the DOM. */
function recordFirstRow(): void {
  const w = window as unknown as { firstRowAt?: number }
  new MutationObserver((_, observer) => {
    if (w.firstRowAt === undefined && document.querySelector('[data-testid="call-row"]')) {
      w.firstRowAt = performance.now()
      observer.disconnect()
    }
  }).observe(document, { subtree: true, childList: true })
}

/** /calls on 100,000 stored calls: time to the first rendered row, and frame times while scrolling the log. */
export const callLog: BenchModule = {
  name: 'call-log',
  async run(): Promise<BenchRow[]> {
    const session = await dashboardSession()
    const firstRender: number[] = []
    const domReady: number[] = []
    const answered: number[] = []
    const htmlReceived: number[] = []
    let frames: number[] = []
    let scrolledPx = 0
    for (let i = 0; i < LOADS; i++) {
      const { context, page } = await openDashboard(session, '/calls', recordFirstRow)
      try {
        await page.waitForFunction(() => (window as unknown as { firstRowAt?: number }).firstRowAt !== undefined, undefined, { timeout: PAGE_TIMEOUT })
        const timing = await page.evaluate(() => ({
          firstRow: (window as unknown as { firstRowAt: number }).firstRowAt,
          domReady: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? Number.NaN,
          html: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseEnd ?? Number.NaN,
          answered: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find(e => e.name.includes('/api/calls'))?.responseEnd ?? Number.NaN,
        }))
        firstRender.push(timing.firstRow)
        domReady.push(timing.domReady)
        answered.push(timing.answered)
        htmlReceived.push(timing.html)
        if (i < LOADS - 1) continue
        // The rows now arrive in the HTML, before the page has hydrated: scrolling from the first row
        // on would time the page's start-up (hydration, the Talk frame) rather than the log. Start
        // where the log used to show its first row anyway: on a dashboard that is up, Talk logged in.
        await waitForStatus(page, 'Available')
        // Scroll the log the way a wheel would, one step per frame, and record every frame's duration.
        const result = await page.evaluate(([count, step]) => new Promise<{ deltas: number[], scrolled: number }>((resolve) => {
          const viewport = document.querySelector<HTMLElement>('[role="region"][aria-label="Completed calls"]')
            ?? document.querySelector<HTMLElement>('[data-testid="call-row"]')!.closest<HTMLElement>('.call-log-viewport, .table-wrap')!
          const deltas: number[] = []
          let last = performance.now()
          const tick = (now: number) => {
            deltas.push(now - last)
            last = now
            viewport.scrollTop += step
            if (deltas.length < count) requestAnimationFrame(tick)
            else resolve({ deltas: deltas.slice(1), scrolled: Math.round(viewport.scrollTop) })
          }
          requestAnimationFrame(tick)
        }), [SCROLL_FRAMES, SCROLL_STEP_PX] as const)
        frames = result.deltas
        scrolledPx = result.scrolled
      }
      finally {
        await context.close()
      }
    }
    // What an agent usually does: open the dashboard once, then click "Calls" in the navigation.
    const navigated: number[] = []
    const { context, page } = await openDashboard(session, '/')
    try {
      for (let i = 0; i < LOADS; i++) {
        if (i > 0) await page.goto(`${session.url}/`)
        const link = page.getByRole('navigation').getByRole('link', { name: /^calls$/i })
        await link.waitFor({ timeout: PAGE_TIMEOUT })
        await page.evaluate(recordFirstRow)
        await page.evaluate(() => document.addEventListener('click', () => {
          (window as unknown as { clickedAt?: number }).clickedAt ??= performance.now()
        }, { capture: true }))
        await link.click()
        await page.waitForFunction(() => (window as unknown as { firstRowAt?: number }).firstRowAt !== undefined, undefined, { timeout: PAGE_TIMEOUT })
        navigated.push(await page.evaluate(() => {
          const w = window as unknown as { firstRowAt: number, clickedAt: number }
          return w.firstRowAt - w.clickedAt
        }))
      }
    }
    finally {
      await context.close()
    }
    const worst = Math.max(...frames)
    return [
      {
        what: `/calls first row rendered (${SEEDED_CALLS.toLocaleString('en-US')} calls stored, ${LOADS} cold loads)`,
        measured: describeTimings(firstRender),
        // The first calls come in the page's HTML; /api/calls is asked only when the server could not read them.
        comparison: `HTML received median ${formatMs(median(htmlReceived))}; DOMContentLoaded median ${formatMs(median(domReady))}; `
          + (answered.some(Number.isFinite) ? `/api/calls answered median ${formatMs(median(answered.filter(Number.isFinite)))}` : 'no /api/calls request'),
        target: `p95 < ${FIRST_RENDER_TARGET} ms`,
        pass: percentile(firstRender, 95) < FIRST_RENDER_TARGET,
      },
      {
        what: `/calls first row after clicking "Calls" on / (${LOADS} times)`,
        measured: describeTimings(navigated),
        comparison: `cold load median ${formatMs(median(firstRender))}`,
        target: `p95 < ${FIRST_RENDER_TARGET} ms`,
        pass: percentile(navigated, 95) < FIRST_RENDER_TARGET,
      },
      {
        what: `/calls scrolling, ${frames.length} frames (${SCROLL_STEP_PX} px/frame, scrolled ${scrolledPx} px)`,
        measured: `worst ${formatMs(worst)}, ${frames.filter(f => f > FRAME_TARGET).length} over ${FRAME_TARGET} ms · ${describeTimings(frames)}`,
        comparison: `one frame ${(1000 / 60).toFixed(1)} ms`,
        target: `no frame > ${FRAME_TARGET} ms`,
        pass: frames.length > 0 && worst <= FRAME_TARGET,
      },
    ]
  },
}
