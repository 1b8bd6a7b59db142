import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../tests/support/browser'
import { startTestServer, staticPages } from '../tests/support/http'
import { ROOT } from './bundle-size'
import { describeTimings, median } from './stats'
import type { BenchModule, BenchRow } from './types'

/** History sizes the append is timed at. */
const SIZES = [1_000, 10_000, 50_000] as const
const APPENDS = 60
const NAIVE_APPENDS = 20
/** Appending at the largest size may cost at most this many times appending at the smallest. */
const MAX_GROWTH = 2
/** The project's append must beat the naive rewrite at the largest size by at least this factor. */
const MIN_SPEEDUP = 20

type Timings = { project: number[], naive: number[] }

async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: ['bench/history-append-page.ts'],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/** One completed call appended to IndexedDB history with 1k / 10k / 50k calls stored, against read-push-rewrite of one array record. */
export const historyAppend: BenchModule = {
  name: 'history-append',
  async run(): Promise<BenchRow[]> {
    const script = await bundlePage()
    const server = await startTestServer(staticPages({
      '/': ['text/html', '<!doctype html><title>history bench</title><script src="/bench.js"></script>'],
      '/bench.js': ['text/javascript', script],
    }))
    let browser: Browser | null = null
    try {
      browser = await launchChromium()
      const page = await browser.newPage()
      await page.goto(`${server.url}/`)
      const results = new Map<number, Timings>()
      for (const size of SIZES) {
        results.set(size, await page.evaluate(([n, a, b]) => (globalThis as unknown as {
          historyBench: { measure: (stored: number, appends: number, naiveAppends: number) => Promise<Timings> }
        }).historyBench.measure(n, a, b), [size, APPENDS, NAIVE_APPENDS] as const))
      }
      const small = median(results.get(SIZES[0])!.project)
      const largest = SIZES[SIZES.length - 1]
      const rows: BenchRow[] = SIZES.map((size) => {
        const { project, naive } = results.get(size)!
        const speedup = median(naive) / median(project)
        const growth = median(project) / small
        const isLargest = size === largest
        return {
          what: `append 1 call, ${size.toLocaleString('en-US')} stored`,
          measured: describeTimings(project),
          comparison: `naive rewrite ${describeTimings(naive)} (x${speedup.toFixed(1)} faster)`,
          target: isLargest ? `x${MIN_SPEEDUP} faster than naive; @50k/@1k < ${MAX_GROWTH} (is ${growth.toFixed(2)})` : `@${size / 1000}k/@1k = ${growth.toFixed(2)}`,
          pass: isLargest ? speedup >= MIN_SPEEDUP && growth < MAX_GROWTH : null,
        }
      })
      return rows
    }
    finally {
      await browser?.close()
      await server.close()
    }
  },
}
