import { formatBytes } from '../bundle-size'
import { describeTimings, formatCount, percentile } from '../stats'
import type { BenchModule, BenchRow } from '../types'
import { CALL_STEPS, installStatusProbe, nextStatusChange, openDashboard, PAGE_TIMEOUT, runCallStep, statusChanges, talkFrame, waitForStatus } from './page-tools'
import type { SimulatorWindow } from './page-tools'
import { dashboardSession } from './session'

/** State-changing Talk events timed one by one (a call is four of them). */
const EVENTS = 200
/** Full calls pushed through for the soak. */
const SOAK_CALLS = 2_000
const SOAK_BATCH = 25
/** Calls pushed the soak's way before the first heap reading, so code compiled for this workload is in the baseline. */
const WARMUP_CALLS = 100
/** One frame at 60 Hz. */
const FRAME_MS = 1000 / 60
/** The dashboard keeps at most this many calls in its history (nuxt.config.ts). */
const HISTORY_LIMIT = 1_000
/** How long the soak waits for the page to deliver every call to the server. */
const SYNC_TIMEOUT = 90_000

/** Talk event -> header status latency (200 events) and JS heap before and after 2,000 calls. */
export const latency: BenchModule = {
  name: 'event-latency',
  async run(): Promise<BenchRow[]> {
    const session = await dashboardSession()
    const { context, page } = await openDashboard(session, '/')
    try {
      await waitForStatus(page, 'Available')
      const frame = await talkFrame(page)
      // Page side: the time each status text change lands in the DOM, on the clock both documents share.
      await installStatusProbe(page)
      const sent: number[] = []
      const shown: number[] = []
      for (let i = 0; i < EVENTS; i++) {
        const { step, args, status } = CALL_STEPS[i % CALL_STEPS.length]!
        const before = await statusChanges(page)
        sent.push(await runCallStep(frame, step, args))
        shown.push(await nextStatusChange(page, before))
        await waitForStatus(page, status)
      }
      const latencies = sent.map((at, i) => shown[i]! - at)

      // Soak: whole calls in quick batches, heap measured after a forced GC before and after.
      const cdp = await context.newCDPSession(page)
      const heap = async () => {
        await cdp.send('HeapProfiler.collectGarbage')
        return (await cdp.send('Runtime.getHeapUsage')).usedSize
      }
      const soak = async (calls: number) => {
        for (let done = 0; done < calls; done += SOAK_BATCH) {
          await frame.evaluate(([count, steps]) => {
            const api = (window as unknown as SimulatorWindow).talkSimulator
            for (let c = 0; c < count; c++) {
              for (const { step, args } of steps) {
                const result = api[step]!(...args)
                if (!result.ok) throw new Error(`simulator refused ${step}: ${result.notes.join('; ')}`)
              }
            }
          }, [SOAK_BATCH, CALL_STEPS] as const)
          await waitForStatus(page, 'Available')
        }
      }
      // Done when the server holds every call: the page has then handled each `completed` (history, outbox, sync).
      const storedCalls = async () => ((await (await fetch(`${session.url}/api/calls?limit=1`)).json()) as { total: number }).total
      const synced = async (expected: number) => {
        const deadline = Date.now() + SYNC_TIMEOUT
        while (Date.now() < deadline) {
          if (await storedCalls() >= expected) return true
          await page.evaluate(() => new Promise(resolve => requestAnimationFrame(resolve)))
        }
        return false
      }
      // A reading is taken once the page is quiet: every call on the server, the outbox empty,
      // and the page idle. Objects still in flight (requests, storage writes) are not growth.
      const settled = async (expected: number) => {
        const all = await synced(expected)
        await page.waitForFunction(() => (localStorage.getItem('leaddesk-talk:outbox') ?? '[]') === '[]', undefined, { timeout: PAGE_TIMEOUT })
        // The store shows a call only once IndexedDB has it: the last call shown means every write is done.
        const lastCallId = await frame.evaluate(() => (window as unknown as { talkSimulator: { state: () => { lastCallId: number } } }).talkSimulator.state().lastCallId)
        await page.waitForFunction((id) => {
          const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, { history: { id: number }[] }> } } } } }).__vue_app__
          return app.config.globalProperties.$pinia._s.get('leaddesk-talk')?.history[0]?.id === id
        }, lastCallId, { timeout: PAGE_TIMEOUT })
        await page.evaluate(() => new Promise(resolve => requestIdleCallback(() => requestIdleCallback(resolve))))
        return all
      }
      const initialCalls = await storedCalls()
      await soak(WARMUP_CALLS)
      await settled(initialCalls + WARMUP_CALLS)
      const heapBefore = await heap()
      const soakStart = performance.now()
      await soak(SOAK_CALLS / 2)
      await settled(initialCalls + WARMUP_CALLS + SOAK_CALLS / 2)
      const heapHalf = await heap()
      await soak(SOAK_CALLS / 2)
      const pushSeconds = (performance.now() - soakStart) / 1000
      const allSynced = await settled(initialCalls + WARMUP_CALLS + SOAK_CALLS)
      const soakSeconds = (performance.now() - soakStart) / 1000
      const heapAfter = await heap()
      // What one history entry costs: the same record held 1,000 times, measured in this page.
      // Shaped like what the store keeps: ids and times as large as the simulator's (time-based),
      // every string its own copy, as each arrives in its own message.
      const perEntry = await page.evaluate(async () => {
        const now = Date.now()
        const time = (i: number, s: number) => `2026-11-24 ${String(10 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String(s).padStart(2, '0')}`
        ;(window as unknown as { held: unknown[] }).held = Array.from({ length: 1000 }, (_, i) => structuredClone({
          id: now + i, direction: 'in', to: null, from: '+358401234567', answered: true, callStart: time(i, 0),
          talkStart: time(i, 5), callEnd: time(i, 59), duration: 60, comment: null,
          recordUrl: `https://recordings.invalid/${now + i}.mp3`, reason: { name: 'Sale', logicalName: 'SALE' }, completedAt: now + i,
        }))
        return 0
      }).then(async () => {
        const withHeld = await heap()
        await page.evaluate(() => delete (window as unknown as { held?: unknown }).held)
        const without = await heap()
        return Math.max(0, (withHeld - without) / 1000)
      })
      // The history held the latency run's and the warm-up's calls before the soak and is full after it.
      const newEntries = HISTORY_LIMIT - Math.min(HISTORY_LIMIT, EVENTS / CALL_STEPS.length + WARMUP_CALLS)
      // An entry is held by the store and by one derived call-log row (about the same again); x3 leaves room for Vue's bookkeeping.
      const allowance = newEntries * perEntry * 3
      const growth = heapAfter - heapBefore
      const p95 = percentile(latencies, 95)
      return [
        {
          what: `Talk event -> header status in DOM (${EVENTS} events)`,
          measured: describeTimings(latencies),
          comparison: `one frame ${FRAME_MS.toFixed(1)} ms`,
          target: `p95 <= ${FRAME_MS.toFixed(1)} ms`,
          pass: p95 <= FRAME_MS,
        },
        {
          what: `soak: ${formatCount(SOAK_CALLS)} calls pushed in ${pushSeconds.toFixed(0)} s, on the server after ${soakSeconds.toFixed(0)} s${allSynced ? '' : ' (NOT all)'}; JS heap after GC`,
          measured: `${formatBytes(heapBefore)} -> ${formatBytes(heapHalf)} @1k -> ${formatBytes(heapAfter)} (+${formatBytes(growth)})`,
          comparison: `history +${newEntries} x ${formatBytes(Math.round(perEntry))}/entry x3 = ${formatBytes(Math.round(allowance))}`,
          target: 'growth <= bounded history',
          pass: allSynced ? growth <= allowance : false,
        },
      ]
    }
    finally {
      await context.close()
    }
  },
}
