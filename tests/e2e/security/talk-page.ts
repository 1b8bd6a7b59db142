import type { BrowserContext, Frame, Page } from 'playwright-core'
import { expectStatus } from '../support/dashboard-page'

/** What a test can watch on one dashboard tab: uncaught errors, dialogs, and the Talk diagnostics printed by `debug: true`. */
export interface WatchedPage {
  page: Page
  /** Uncaught exceptions of the page (`pageerror`). */
  errors: string[]
  /** Dialogs (`alert`, `confirm`, ...) the page opened; each is dismissed. */
  dialogs: string[]
  /** How often leaving the page asked first (`beforeunload`, mid-call); each is accepted, as an agent who meant to reload would. */
  leavePrompts: number
  /** Console lines of the Talk debug log that report a dropped message or local problem. */
  diagnostics: string[]
  /** Every console line, for the browser's own warnings. */
  console: string[]
}

/** Starts watching `page` (call before it loads anything). */
export function watchPage(page: Page): WatchedPage {
  const watched: WatchedPage = { page, errors: [], dialogs: [], leavePrompts: 0, diagnostics: [], console: [] }
  // A failing action should fail with its own message well before the test's time is up.
  page.setDefaultTimeout(10_000)
  page.on('pageerror', error => watched.errors.push(String(error)))
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'beforeunload') {
      watched.leavePrompts++
      void dialog.accept()
      return
    }
    watched.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('console', (message) => {
    const text = message.text()
    watched.console.push(text)
    if (text.startsWith('[leaddesk-talk] diagnostic')) watched.diagnostics.push(text)
  })
  return watched
}

/** Opens the dashboard at `url` in a new tab of `context` and waits until the simulator in its Talk frame has logged in. */
export async function openDashboard(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = await context.newPage()
  const watched = watchPage(page)
  await page.goto(url)
  await expectStatus(page, 'Available')
  return watched
}

/** The window of the dashboard's Talk frame. */
export async function talkFrame(page: Page): Promise<Frame> {
  const frame = await (await page.locator('#LD_talk').elementHandle())?.contentFrame()
  if (!frame) throw new Error('Talk frame not found')
  return frame
}

/** Posts each message to the dashboard from inside the real Talk frame (`talkSimulator.post`): the right window and origin. */
export async function postFromTalk(page: Page, messages: unknown[]): Promise<void> {
  const frame = await talkFrame(page)
  await frame.evaluate((list) => {
    const api = (window as unknown as { talkSimulator: { post: (m: unknown) => { ok: boolean } } }).talkSimulator
    for (const message of list) {
      if (!api.post(message).ok) throw new Error('the simulator could not post')
    }
  }, messages)
}

/** Posts each message to `target` ('opener', 'parent', 'top' or a window kept in `window.__child`) from the page or frame the test controls. */
export async function postFrom(from: Page | Frame, target: 'opener' | 'parent' | 'top' | 'child', messages: unknown[]): Promise<void> {
  await from.evaluate(([to, list]) => {
    const w = window as unknown as { __child?: Window | null }
    const win = to === 'child' ? w.__child : to === 'opener' ? window.opener as Window : to === 'parent' ? window.parent : window.top
    if (!win) throw new Error(`no ${to} window`)
    // '*' on purpose: a hostile page does not care where its messages land.
    for (const message of list) win.postMessage(message, '*')
  }, [target, messages] as const)
}

/** Snapshot of the Talk store on `page`, read through the mounted Vue app (the store has no other handle in a production build). */
export async function readTalkStore(page: Page) {
  return page.evaluate(() => {
    type Store = {
      status: string
      history: { id: number }[]
      debugLog: { direction: string, action: string, note?: string }[]
      bridge: { session: { loggedIn: boolean, origin: string | null } } | null
    }
    const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, Store> } } } } }).__vue_app__
    const store = app.config.globalProperties.$pinia._s.get('leaddesk-talk')!
    return {
      status: store.status,
      historyIds: store.history.map(h => h.id),
      session: store.bridge ? { ...store.bridge.session } : null,
      diagnostics: store.debugLog.filter(l => l.direction === 'diagnostic').map(l => `${l.action}: ${l.note ?? ''}`),
    }
  })
}

/** Runs a store action (`call`, `setAvailable`, ...) on `page` as app code would, and returns its error message (or `null`). */
export async function runStoreAction(page: Page, action: string, ...args: unknown[]): Promise<string | null> {
  return page.evaluate(async ([name, list]) => {
    const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, Record<string, (...a: unknown[]) => Promise<unknown>>> } } } } }).__vue_app__
    const store = app.config.globalProperties.$pinia._s.get('leaddesk-talk')!
    try {
      await store[name as string]!(...(list as unknown[]))
      return null
    }
    catch (error) {
      return error instanceof Error ? error.message : String(error)
    }
  }, [action, args] as const)
}

/** Starts store actions on `page` without waiting for Talk's answer (a `call` would wait for a ringing event that never comes). */
export async function fireStoreActions(page: Page, actions: [string, ...unknown[]][]): Promise<void> {
  await page.evaluate((list) => {
    const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, Record<string, (...a: unknown[]) => Promise<unknown>>> } } } } }).__vue_app__
    const store = app.config.globalProperties.$pinia._s.get('leaddesk-talk')!
    for (const [name, ...args] of list) void store[name]!(...args).catch(() => {})
  }, actions)
}

/** `GET /api/calls` on the dashboard server: the ids stored in the database. */
export async function storedCallIds(baseUrl: string): Promise<number[]> {
  const res = await fetch(`${baseUrl}/api/calls?limit=500`)
  if (!res.ok) throw new Error(`GET /api/calls: ${res.status}`)
  const body = await res.json() as { items: { id: number }[] }
  return body.items.map(c => c.id)
}
