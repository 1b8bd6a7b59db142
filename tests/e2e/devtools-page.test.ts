import { createApp, toNodeListener } from 'h3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEVTOOLS_PAGE_HTML } from '../../modules/leaddesk-talk/devtools-page'
import { launchChromium } from '../support/browser'
import { startTestServer } from '../support/http'
import type { TestServer } from '../support/http'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  const app = createApp()
  app.use('/devtools', () => DEVTOOLS_PAGE_HTML)
  // A page of the app's origin standing in for the app (the feed runs there).
  app.use('/app', () => '<!doctype html><title>app</title>')
  server = await startTestServer(toNodeListener(app))
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the DevTools tab page', () => {
  it('asks the app for a snapshot and shows hostile Talk text as text, never as markup', async () => {
    const context = await browser.newContext()
    const app = await context.newPage()
    await app.goto(`${server.url}/app`)
    // The app side: answer the tab's hello with a snapshot whose strings are markup.
    await app.evaluate(() => {
      const channel = new BroadcastChannel('nuxt-leaddesk-talk-devtools')
      channel.onmessage = (event: MessageEvent) => {
        if ((event.data as { type?: string }).type !== 'hello') return
        channel.postMessage({
          type: 'snapshot',
          snapshot: {
            status: 'in-call',
            agent: { loggedIn: true, language: '<b>en</b>', enabled: true },
            debugLog: [{ at: 0, direction: 'diagnostic', action: '<img src=x onerror="window.pwned=1">', note: '<script>window.pwned=2</script>' }],
          },
        })
      }
    })
    const tab = await context.newPage()
    const errors: string[] = []
    tab.on('pageerror', error => errors.push(String(error)))
    await tab.goto(`${server.url}/devtools`)
    await expect.poll(() => tab.locator('#status').textContent()).toBe('in-call')
    const row = tab.locator('#log tr')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.locator('td').allTextContents()).toEqual([expect.any(String), 'diagnostic', '<img src=x onerror="window.pwned=1">', '<script>window.pwned=2</script>'])
    expect(await tab.locator('#state').textContent()).toContain('"language": "<b>en</b>"')
    expect(await tab.locator('img, script:not(:first-of-type), b').count()).toBe(0)
    expect(await tab.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
    expect(errors).toEqual([])
    await context.close()
  })
})
