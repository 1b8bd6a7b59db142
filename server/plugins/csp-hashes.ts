import type { H3Event } from 'h3'
import { defineNitroPlugin, useRuntimeConfig } from 'nitropack/runtime'
import { buildSecurityHeaders, inlineScriptHashes, securityHeaderOptionsFromConfig } from '../utils/security-headers'

const dev = (import.meta as { dev?: boolean }).dev === true
const HASHES_KEY = 'leaddeskTalkScriptHashes'

/** The parts of Nuxt's `render:html` context read here: HTML chunks Nuxt and unhead generated, outside the app's markup. */
interface GeneratedHtml {
  head: string[]
  bodyAppend: string[]
}

/** The two render hooks this plugin uses, as Nuxt calls them. */
interface RenderHooks {
  hook(name: 'render:html', handler: (html: GeneratedHtml, context: { event: H3Event }) => void): unknown
  hook(name: 'render:response', handler: (response: { body?: unknown, headers?: Record<string, string> }, context: { event: H3Event }) => void): unknown
}

/**
 * Allows exactly the inline scripts Nuxt generated for this page (its import map, the
 * `window.__NUXT__` config) by their SHA-256, so the CSP needs no 'unsafe-inline' for scripts.
 * Only the head and the closing part of the body are hashed, never the app's rendered markup:
 * a `<script>` that slipped into the page content gets no hash and does not run.
 */
export default defineNitroPlugin((nitroApp) => {
  // Nuxt declares `render:html` in @nuxt/nitro-server's types, which not every typecheck of this file loads.
  const hooks = nitroApp.hooks as unknown as RenderHooks
  hooks.hook('render:html', (html, { event }) => {
    event.context[HASHES_KEY] = inlineScriptHashes([...html.head, ...html.bodyAppend].join('\n'))
  })
  hooks.hook('render:response', (response, { event }) => {
    // Naming the framework only helps someone looking for a known vulnerability.
    if (response.headers) delete response.headers['x-powered-by']
    // Payload and island answers are JSON: the middleware's policy already fits them.
    if (typeof response.body !== 'string' || !response.headers?.['content-type']?.includes('text/html')) return
    // No render:html (a response made by another hook): no hashes, so no inline script runs.
    const hashes = (event.context[HASHES_KEY] as string[] | undefined) ?? []
    const options = securityHeaderOptionsFromConfig(useRuntimeConfig(event).public.leaddeskTalk, dev)
    const headers = buildSecurityHeaders({ ...options, scriptHashes: hashes })
    // The renderer applies these after the middleware's headers, so this policy wins for the page.
    response.headers = { ...response.headers, 'content-security-policy': headers['content-security-policy']! }
  })
})
