import { createApp, createRouter, defineEventHandler, send, setResponseHeader, setResponseHeaders, setResponseStatus, toNodeListener } from 'h3'
import type { H3Error, H3Event } from 'h3'
import authMiddleware from '../../../../server/middleware/20.auth'
import securityHeadersMiddleware from '../../../../server/middleware/10.security-headers'
import cspHashesPlugin from '../../../../server/plugins/csp-hashes'
import { startTestServer } from '../../../support/http'
import type { TestServer } from '../../../support/http'

/** A page as Nuxt's renderer assembles it: generated head and body-end chunks around the app's markup. */
export interface RenderedPage {
  head: string[]
  body: string
  bodyAppend: string[]
}

type Hook = (...args: [unknown, { event: H3Event }]) => unknown | Promise<unknown>

/** Runs server/plugins/csp-hashes.ts against a hook registry shaped like Nitro's. */
function loadRenderHooks(): Map<string, Hook[]> {
  const hooks = new Map<string, Hook[]>()
  const nitroApp = { hooks: { hook: (name: string, handler: Hook) => hooks.set(name, [...(hooks.get(name) ?? []), handler]) } }
  ;(cspHashesPlugin as unknown as (app: typeof nitroApp) => void)(nitroApp)
  return hooks
}

/** What Nuxt's renderer does with a page: `render:html`, the document, `render:response`, then its headers win. */
function renderer(page: RenderedPage, hooks: Map<string, Hook[]>) {
  return defineEventHandler(async (event) => {
    const html = { htmlAttrs: [], head: [...page.head], bodyAttrs: [], bodyPrepend: [], body: [page.body], bodyAppend: [...page.bodyAppend] }
    for (const hook of hooks.get('render:html') ?? []) await hook(html, { event })
    const response = {
      body: `<!DOCTYPE html><html><head>${html.head.join('')}</head><body>${html.body.join('')}${html.bodyAppend.join('')}</body></html>`,
      headers: { 'content-type': 'text/html;charset=utf-8', 'x-powered-by': 'Nuxt' } as Record<string, string>,
    }
    for (const hook of hooks.get('render:response') ?? []) await hook(response, { event })
    setResponseHeaders(event, response.headers)
    return response.body
  })
}

/** Pages, scripts and API answers the test app serves besides its middleware. */
export interface SecuredAppContent {
  pages?: Record<string, RenderedPage>
  scripts?: Record<string, string>
}

/**
 * Serves the real server/middleware files (security headers, then agent auth) and the CSP
 * hash plugin in an h3 app laid out like the dashboard's Nitro server: /api/health,
 * /api/contacts (answers with the verified agent), rendered pages and static scripts.
 */
export async function startSecuredApp(content: SecuredAppContent = {}, host = '127.0.0.1'): Promise<TestServer> {
  const app = createApp({
    // The JSON body Nitro sends for an error on an /api route.
    onError: async (error, event) => {
      const h3Error = error as H3Error
      setResponseStatus(event, h3Error.statusCode, h3Error.statusMessage)
      setResponseHeader(event, 'content-type', 'application/json')
      await send(event, JSON.stringify({ error: true, statusCode: h3Error.statusCode, statusMessage: h3Error.statusMessage, message: h3Error.message }))
    },
  })
  app.use(securityHeadersMiddleware)
  app.use(authMiddleware)
  const router = createRouter()
  router.get('/api/health', defineEventHandler(() => ({ ok: true })))
  router.get('/api/contacts', defineEventHandler(event => ({ agent: event.context.agent ?? null, contacts: [] })))
  const hooks = loadRenderHooks()
  for (const [path, page] of Object.entries(content.pages ?? {})) router.get(path, renderer(page, hooks))
  for (const [path, script] of Object.entries(content.scripts ?? {})) {
    router.get(path, defineEventHandler((event) => {
      setResponseHeader(event, 'content-type', 'text/javascript')
      return script
    }))
  }
  app.use(router)
  return startTestServer(toNodeListener(app), { host })
}
