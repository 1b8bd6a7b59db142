/**
 * The two ways an app installs this package, built and driven in real Chromium against the
 * simulator on another origin: a Nuxt app with `modules: ['nuxt-leaddesk-talk']` and a plain
 * Vue + Vite app with `createTalk` from `nuxt-leaddesk-talk/vue`.
 */
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build as bundle } from 'esbuild'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulatorServer } from '../../simulator/server'
import { SIMULATOR_PAGE_POLICY } from '../../simulator/headers'
import type { SimulatorServer } from '../../simulator/server'
import { run, serveDir, startNuxtOutput } from '../support/apps'
import type { ListeningProcess } from '../support/apps'
import { launchChromium } from '../support/browser'
import { startTestServer, staticPages } from '../support/http'
import type { TestServer } from '../support/http'
import { historyEntry } from '../unit/stores/fake-talk'

const root = resolve(import.meta.dirname, '../..')
const fixtures = join(root, 'tests/fixtures')

let sim: SimulatorServer
let foreign: TestServer
let browser: Browser

async function waitForText(page: Page, testId: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([id, expected]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === expected,
    [testId, text] as const,
    { timeout: 15_000 },
  )
}

const statusIs = (page: Page, status: string) => waitForText(page, 'talk-status', status)
const historyItems = (page: Page) => page.locator('[data-testid="talk-history"] li').count()

/** The whole journey an agent makes, the same for both apps. */
function describeAgentJourney(name: string, open: () => { url: string }) {
  describe(name, () => {
    let page: Page
    const consoleProblems: string[] = []

    beforeAll(async () => {
      page = await (await browser.newContext()).newPage()
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(message.text())
      })
    })

    afterAll(async () => {
      await page?.context().close()
    })

    it('shows available once Talk logs in', async () => {
      await page.goto(open().url)
      await statusIs(page, 'available')
      await waitForText(page, 'talk-history-ready', 'true')
      expect(await historyItems(page)).toBe(0)
    })

    it('follows a call from ringing through in-call and wrap-up into the history', async () => {
      const talk = page.frameLocator('#LD_talk')
      await page.getByRole('button', { name: 'Call customer' }).click()
      await statusIs(page, 'ringing')
      await waitForText(page, 'talk-last-ring', 'out')
      await talk.getByRole('button', { name: 'Callee answers' }).click()
      await statusIs(page, 'in-call')
      await page.getByRole('button', { name: 'Hang up call' }).click()
      await statusIs(page, 'wrap-up')
      await talk.getByRole('button', { name: 'Complete call' }).click()
      await statusIs(page, 'available')
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="talk-history"] li').length === 1)
      expect(await page.locator('[data-testid="talk-history"] li').first().textContent()).toContain('answered')
    })

    it('still has the history after a reload (IndexedDB)', async () => {
      await page.reload()
      await statusIs(page, 'available')
      await waitForText(page, 'talk-history-ready', 'true')
      expect(await historyItems(page)).toBe(1)
    })

    it('ignores fake Talk events from a frame on a foreign origin', async () => {
      await page.evaluate((src) => {
        const frame = document.createElement('iframe')
        frame.src = src
        document.body.append(frame)
      }, `${foreign.url}/`)
      await waitForText(page, 'talk-diagnostics', '2')
      expect(await page.getByTestId('talk-status').textContent()).toBe('available')
      expect(await historyItems(page)).toBe(1)
    })

    it('drops the ringing call when the Talk frame reloads, and calls through the new Talk session', async () => {
      await page.getByRole('button', { name: 'Call customer' }).click()
      await statusIs(page, 'ringing')
      // A reloaded Talk page is a new session: its login replaces the old one and the call is gone.
      await page.evaluate(() => {
        const frame = document.getElementById('LD_talk') as HTMLIFrameElement
        frame.setAttribute('src', `${frame.src}&reloaded=1`)
      })
      await statusIs(page, 'available')
      await page.getByRole('button', { name: 'Call customer' }).click()
      await statusIs(page, 'ringing')
      await page.frameLocator('#LD_talk').getByRole('button', { name: 'Callee does not answer' }).click()
      await statusIs(page, 'wrap-up')
    })

    it('hydrates without mismatches', () => {
      expect(consoleProblems.filter(text => /hydration/i.test(text))).toEqual([])
    })
  })
}

// Posts what a hostile page would: a logout and a completed call, to the embedding page's real origin.
const foreignPage = `<!doctype html><script>
const target = location.ancestorOrigins[0]
parent.postMessage({ action: 'logout' }, target)
parent.postMessage({ action: 'completed', call: { id: 666, direction: 'in', to: null, from: '1', answered: true, callStart: null, talkStart: null, callEnd: null, duration: 1, comment: null, recordUrl: null, reason: null } }, target)
</script>`

beforeAll(async () => {
  ;[sim, foreign, browser] = await Promise.all([
    startSimulatorServer({ host: '127.0.0.1' }),
    startTestServer(staticPages({ '/': ['text/html; charset=utf-8', foreignPage] }), { host: '127.0.0.1' }),
    launchChromium(),
  ])
})

afterAll(async () => {
  await browser?.close()
  await Promise.all([sim?.close(), foreign?.close()])
})

describe('IndexedDB call history in Chromium', () => {
  let page: Page
  let server: TestServer | undefined

  beforeAll(async () => {
    const script = await bundle({
      entryPoints: [join(root, 'stores/history-indexeddb.ts')],
      bundle: true, format: 'iife', globalName: 'talkHistory', platform: 'browser', write: false, logLevel: 'silent', tsconfigRaw: {},
    })
    server = await startTestServer(staticPages({
      '/': ['text/html; charset=utf-8', '<!doctype html><script src="/history.js"></script>'],
      '/history.js': ['text/javascript; charset=utf-8', script.outputFiles[0]!.text],
    }), { host: '127.0.0.1' })
    page = await (await browser.newContext()).newPage()
    await page.goto(`${server.url}/`)
  })

  afterAll(async () => {
    await page?.context().close()
    await server?.close()
  })

  it('keeps the newest entries up to the limit, skips foreign records, and clears', async () => {
    const entries = [1, 2, 3, 4, 5].map(id => historyEntry(id, id * 1000))
    const result = await page.evaluate(async (entries) => {
      type Storage = { append(e: unknown): Promise<void>, loadRecent(n: number): Promise<{ id: number }[]>, clear(): Promise<void> }
      const api = (window as unknown as { talkHistory: { createIndexedDbHistoryStorage(o: object): Storage } }).talkHistory
      const skipped: string[] = []
      const storage = api.createIndexedDbHistoryStorage({ indexedDB, limit: 3, onSkipped: (reason: string) => skipped.push(reason) })
      for (const entry of entries) await storage.append(entry)
      await storage.append({ ...entries[4], comment: 'edited' })
      const afterLimit = (await storage.loadRecent(10)).map(e => e.id)
      // Another app's record in the same database, newer than every call.
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('nuxt-leaddesk-talk')
        open.onsuccess = () => {
          const tx = open.result.transaction('history', 'readwrite')
          tx.objectStore('history').put({ id: 99, completedAt: 99_000, note: 'not a call' })
          tx.oncomplete = () => (open.result.close(), resolve())
          tx.onerror = () => reject(tx.error)
        }
      })
      const withForeign = (await storage.loadRecent(2)).map(e => e.id)
      await storage.clear()
      return { afterLimit, withForeign, skipped: skipped.length, afterClear: (await storage.loadRecent(10)).length }
    }, entries)
    expect(result).toEqual({ afterLimit: [5, 4, 3], withForeign: [5, 4], skipped: 1, afterClear: 0 })
  })
})

describe('integration', () => {
  describe('Nuxt app', () => {
    let server: ListeningProcess | undefined

    beforeAll(async () => {
      const dir = join(fixtures, 'nuxt-app')
      await run(process.execPath, [join(root, 'node_modules/.bin/nuxi'), 'build', dir], { cwd: root })
      server = await startNuxtOutput(join(dir, '.output'), {
        // Set at run time, after the build: the point of runtime config.
        NUXT_PUBLIC_LEADDESK_TALK_SRC: `${sim.url}?agent=Alice&lang=en`,
        NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS: `https://*.leaddesk.com,${sim.origin}`,
      })
    })

    afterAll(async () => {
      await server?.stop()
    })

    it('serves the built-in simulator from the build output', async () => {
      const res = await fetch(`http://localhost:${server!.port}/_leaddesk-talk/simulator/`)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('simulator.js')
      // Static files, yet with the page's own policy: only its bundle may run.
      expect(res.headers.get('content-security-policy')).toBe(SIMULATOR_PAGE_POLICY)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      const script = await fetch(`http://localhost:${server!.port}/_leaddesk-talk/simulator/simulator.js`)
      expect(script.headers.get('x-content-type-options')).toBe('nosniff')
    })

    describeAgentJourney('with the module installed from nuxt.config', () => ({ url: `http://localhost:${server!.port}/` }))
  })

  describe('plain Vue app', () => {
    let app: TestServer | undefined

    beforeAll(async () => {
      const dir = join(fixtures, 'vue-app')
      await build({ configFile: join(dir, 'vite.config.ts'), logLevel: 'warn' })
      app = await startTestServer(serveDir(join(dir, 'dist')), { host: '127.0.0.1' })
    })

    afterAll(async () => {
      await app?.close()
    })

    describeAgentJourney('with createTalk from nuxt-leaddesk-talk/vue', () => ({
      url: `http://localhost:${app!.port}/?talk=${encodeURIComponent(`${sim.url}?agent=Alice&lang=en`)}`,
    }))

    describeTwoTabs(() => `http://localhost:${app!.port}/?talk=${encodeURIComponent(`${sim.url}?agent=Alice&lang=en`)}`)
  })
})

/** Two tabs of one browser (one context: shared Web Locks and BroadcastChannel) on the same app: one Talk. */
function describeTwoTabs(url: () => string) {
  describe('in two tabs of one browser', () => {
    let context: BrowserContext
    let tabs: Page[] = []
    const frames = (page: Page) => page.locator('iframe#LD_talk').count()
    const text = (page: Page, testId: string) => page.getByTestId(testId).textContent()
    const bothShow = (status: string) => Promise.all(tabs.map(page => statusIs(page, status)))
    const open = async () => {
      const page = await context.newPage()
      await page.goto(url())
      tabs.push(page)
      return page
    }

    beforeAll(async () => {
      context = await browser.newContext()
    })

    afterAll(async () => {
      await context?.close()
    })

    it('creates one Talk iframe; the second tab says so, shows its status and dials through it', async () => {
      const first = await open()
      await statusIs(first, 'available')
      const second = await open()
      await statusIs(second, 'available')
      expect([await frames(first), await frames(second)]).toEqual([1, 0])
      expect([await text(first, 'talk-tab'), await text(second, 'talk-tab')]).toEqual(['host', 'follower'])
      expect(await second.locator('[data-talk-frame]').textContent()).toContain('LeadDesk Talk is open in another tab')

      await second.getByRole('button', { name: 'Call customer' }).click()
      await bothShow('ringing')
      await first.frameLocator('#LD_talk').getByRole('button', { name: 'Callee answers' }).click()
      await bothShow('in-call')
      await second.getByRole('button', { name: 'Hang up call' }).click()
      await bothShow('wrap-up')
      await first.frameLocator('#LD_talk').getByRole('button', { name: 'Complete call' }).click()
      await bothShow('available')
      // Both tabs list the call; only the host's listener saw it as its own.
      await Promise.all(tabs.map(page => page.waitForFunction(() => document.querySelectorAll('[data-testid="talk-history"] li').length === 1)))
      expect([await text(first, 'talk-filed'), await text(second, 'talk-filed')]).toEqual(['1', '0'])
    })

    it('hands Talk to the other tab within 2 s when the host tab closes', async () => {
      const [closing, remaining] = tabs as [Page, Page]
      await remaining.evaluate(() => {
        const w = window as unknown as { frameAdded?: number }
        new MutationObserver(() => {
          if (document.querySelector('iframe#LD_talk')) w.frameAdded ??= Date.now()
        }).observe(document.body, { childList: true, subtree: true })
      })
      const closedAt = Date.now()
      await closing.close()
      tabs = [remaining]
      await remaining.waitForFunction(() => (window as unknown as { frameAdded?: number }).frameAdded !== undefined, undefined, { timeout: 15_000 })
      const takeoverMs = await remaining.evaluate(() => (window as unknown as { frameAdded: number }).frameAdded) - closedAt
      console.info(`plain Vue app: iframe in the other tab ${takeoverMs} ms after the host tab closed`)
      expect(takeoverMs).toBeLessThan(2000)
      expect(await remaining.locator('[data-talk-frame] [role="status"]').textContent()).toBe('The tab that had LeadDesk Talk was closed, so Talk opened here. Log in again if Talk asks.')
      await statusIs(remaining, 'available')
    })

    it('moves Talk to a new tab with "Use Talk in this tab"', async () => {
      const [previous] = tabs as [Page]
      const next = await open()
      await statusIs(next, 'available')
      await next.getByRole('button', { name: 'Use Talk in this tab' }).click()
      await next.waitForFunction(() => document.querySelector('iframe#LD_talk') !== null, undefined, { timeout: 15_000 })
      expect([await frames(previous), await frames(next)]).toEqual([0, 1])
      expect(await text(previous, 'talk-tab')).toBe('follower')
      await bothShow('available')
    })
  })
}
