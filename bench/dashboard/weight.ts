import { gzipSync } from 'node:zlib'
import type { BrowserContext } from 'playwright-core'
import { formatBytes } from '../bundle-size'
import { describeTimings } from '../stats'
import type { BenchModule, BenchRow } from '../types'
import { openDashboard, PAGE_TIMEOUT } from './page-tools'
import { dashboardSession } from './session'

const LOADS = 5
const JS_TARGET = 120_000

/** Records, from navigation start, when contacts are listed and a "Call <name>" button is enabled (Talk logged in). */
function recordInteractive(): void {
  const w = window as unknown as { interactiveAt?: number }
  const check = (observer: MutationObserver) => {
    if (w.interactiveAt !== undefined) return
    if (document.querySelector('[data-testid="contact-row"]') && document.querySelector('button[aria-label^="Call "]:not([disabled]):not([aria-disabled="true"])')) {
      w.interactiveAt = performance.now()
      observer.disconnect()
    }
  }
  const observer = new MutationObserver(() => check(observer))
  observer.observe(document, { subtree: true, childList: true, attributes: true })
}

/** First load of `/`: the dashboard's own JavaScript (gzipped) and the time until an agent can click to call. */
export const dashboardWeight: BenchModule = {
  name: 'dashboard-weight',
  async run(): Promise<BenchRow[]> {
    const session = await dashboardSession()
    const interactive: number[] = []
    let scripts: { url: string, gzip: number }[] = []
    for (let i = 0; i < LOADS; i++) {
      const loaded: Promise<{ url: string, gzip: number }>[] = []
      // Only the dashboard's own scripts of the first load: the Talk frame's come from Talk's origin and are not ours to count.
      const countScripts = (ctx: BrowserContext) => ctx.on('response', (response) => {
        if (response.request().resourceType() !== 'script' || !response.url().startsWith(session.url)) return
        loaded.push(response.body().then(body => ({ url: new URL(response.url()).pathname, gzip: gzipSync(body, { level: 9 }).byteLength })))
      })
      const { context, page } = await openDashboard(session, '/', recordInteractive, i === 0 ? countScripts : undefined)
      try {
        await page.waitForFunction(() => (window as unknown as { interactiveAt?: number }).interactiveAt !== undefined, undefined, { timeout: PAGE_TIMEOUT })
        interactive.push(await page.evaluate(() => (window as unknown as { interactiveAt: number }).interactiveAt))
        if (i === 0) {
          await page.waitForLoadState('networkidle')
          scripts = await Promise.all(loaded)
        }
      }
      finally {
        await context.close()
      }
    }
    const total = scripts.reduce((sum, s) => sum + s.gzip, 0)
    return [
      {
        what: `first load of / : JS (gz, ${scripts.length} files)`,
        measured: `${formatBytes(total)} gz`,
        comparison: `largest ${[...scripts].sort((a, b) => b.gzip - a.gzip).slice(0, 2).map(s => `${s.url.split('/').pop()} ${formatBytes(s.gzip)}`).join(', ')}`,
        target: `<= ${formatBytes(JS_TARGET)} gz`,
        pass: total > 0 && total <= JS_TARGET,
      },
      {
        what: `time to interactive (contacts listed + a Call button enabled, ${LOADS} cold loads)`,
        measured: describeTimings(interactive),
        comparison: '',
        target: '',
        pass: null,
      },
    ]
  },
}
