import { describeTimings, percentile } from '../stats'
import type { BenchModule, BenchRow } from '../types'
import { openDashboard, PAGE_TIMEOUT } from './page-tools'
import { dashboardSession } from './session'
import { SEEDED_CONTACTS } from './seed'

/** 50 keystrokes: words typed and erased letter by letter, so every keystroke asks for a new result list. */
const KEYS = [...'virtanen', ...Array<string>(8).fill('Backspace'), ...'harbour', ...Array<string>(7).fill('Backspace'),
  ...'maria', ...Array<string>(5).fill('Backspace'), ...'0770012', ...Array<string>(3).fill('Backspace')]
const END_TO_END_TARGET = 50
const RENDER_TARGET = 16

type SearchProbe = { keys: number[], shown: number[], responses: { start: number, end: number }[] }

/** Keystroke in the contact search box -> new result list in the DOM, on 100,000 contacts. */
export const contactSearch: BenchModule = {
  name: 'contact-search',
  async run(): Promise<BenchRow[]> {
    const session = await dashboardSession()
    const { context, page } = await openDashboard(session, '/')
    try {
      const box = page.getByRole('searchbox', { name: /search contacts/i })
      await box.waitFor({ timeout: PAGE_TIMEOUT })
      await page.waitForFunction(() => [...document.querySelectorAll('main [role="status"]')].some(e => /\d+\+? contacts?$/.test((e.textContent ?? '').trim())), undefined, { timeout: PAGE_TIMEOUT })
      await page.evaluate(() => {
        const probe: SearchProbe = { keys: [], shown: [], responses: [] }
        ;(window as unknown as { probe: SearchProbe }).probe = probe
        const input = document.querySelector<HTMLInputElement>('main input[type="search"]')!
        input.addEventListener('keydown', () => probe.keys.push(performance.now()), { capture: true })
        // The live region is emptied while a search loads and gets "N contacts" in the same render as the new rows.
        const status = [...document.querySelectorAll('main [role="status"]')].find(e => /\d+\+? contacts?$/.test((e.textContent ?? '').trim()))!
        new MutationObserver(() => {
          if ((status.textContent ?? '').trim()) probe.shown.push(performance.now())
        }).observe(status, { subtree: true, childList: true, characterData: true })
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
            if (entry.name.includes('/api/contacts')) probe.responses.push({ start: entry.startTime, end: entry.responseEnd })
          }
        }).observe({ type: 'resource', buffered: false })
      })
      for (const key of KEYS) {
        const before = await page.evaluate(() => (window as unknown as { probe: SearchProbe }).probe.shown.length)
        await box.press(key)
        await page.waitForFunction(n => (window as unknown as { probe: SearchProbe }).probe.shown.length > n, before, { timeout: PAGE_TIMEOUT, polling: 'raf' })
      }
      // Resource timing entries are delivered asynchronously: wait until every search request has one.
      await page.waitForFunction(n => (window as unknown as { probe: SearchProbe }).probe.responses.length >= n, KEYS.length, { timeout: PAGE_TIMEOUT })
      const probe = await page.evaluate(() => (window as unknown as { probe: SearchProbe }).probe)
      const endToEnd: number[] = []
      const render: number[] = []
      const request: number[] = []
      probe.keys.forEach((key, i) => {
        const shown = probe.shown.find(at => at > key)
        if (shown === undefined) return
        endToEnd.push(shown - key)
        // The request this keystroke caused: the last one that started after it and ended before its rows showed.
        const response = probe.responses.filter(r => r.start >= key && r.end <= shown).at(-1)
        if (!response) return
        render.push(shown - response.end)
        request.push(response.end - response.start)
        void i
      })
      return [
        {
          what: `keystroke -> result list in DOM (${KEYS.length} keys, ${SEEDED_CONTACTS.toLocaleString('en-US')} contacts)`,
          measured: describeTimings(endToEnd),
          comparison: `of which request ${describeTimings(request)}`,
          target: `p95 < ${END_TO_END_TARGET} ms`,
          pass: percentile(endToEnd, 95) < END_TO_END_TARGET,
        },
        {
          what: 'response end -> result list in DOM (render alone)',
          measured: describeTimings(render),
          comparison: `one frame ${(1000 / 60).toFixed(1)} ms`,
          target: `p95 < ${RENDER_TARGET} ms`,
          pass: render.length > 0 && percentile(render, 95) < RENDER_TARGET,
        },
      ]
    }
    finally {
      await context.close()
    }
  },
}
