import { createHash } from 'node:crypto'
import { parseAllowedOrigins } from '../../modules/leaddesk-talk/runtime/talk-options'
import { toOrigin } from '../../protocol/origins'

/** What the dashboard's security headers depend on. */
export interface SecurityHeaderOptions {
  /** Talk login URL (`runtimeConfig.public.leaddeskTalk.src`); empty: the simulator this app serves itself. */
  src: string
  /** Further Talk origins: exact origins or `https://*.domain` wildcards; anything else is left out. */
  allowedOrigins: readonly string[]
  /** `nuxt dev`: relax scripts and connections so Vite's HMR client works. */
  dev: boolean
  /** CSP hash sources (`'sha256-…'`) of the inline scripts of the page being answered. */
  scriptHashes?: readonly string[]
}

/** Response headers by lower-case name. */
export type SecurityHeaders = Record<string, string>

const WILDCARD_ORIGIN = /^https?:\/\/\*(\.[a-z\d-]+)+(:\d+)?$/

/**
 * The origins the Talk iframe may load from, as CSP/Permissions-Policy sources: the origin
 * of `src` plus the exact and `https://*.domain` entries of `allowedOrigins`. Every source is
 * rebuilt from a parsed origin or matched against a strict pattern, so no configured value
 * can smuggle a `;` or a keyword into the policy.
 */
export function talkFrameOrigins(src: string, allowedOrigins: readonly string[]): string[] {
  const origins = new Set<string>()
  const srcOrigin = originOfUrl(src.trim())
  if (srcOrigin) origins.add(srcOrigin)
  for (const rule of allowedOrigins) {
    const value = rule.trim().toLowerCase()
    const exact = toOrigin(value)
    if (exact && !exact.includes('*')) origins.add(exact)
    else if (WILDCARD_ORIGIN.test(value)) origins.add(value)
  }
  return [...origins]
}

function originOfUrl(value: string): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  }
  catch {
    return null
  }
}

/** Builds the security headers of one dashboard response (pure: same options, same headers). */
export function buildSecurityHeaders({ src, allowedOrigins, dev, scriptHashes = [] }: SecurityHeaderOptions): SecurityHeaders {
  const talkOrigins = talkFrameOrigins(src, allowedOrigins)
  // No src: the frame shows the simulator this app serves under /_leaddesk-talk/simulator/.
  const frameSources = src.trim() === '' ? ['\'self\'', ...talkOrigins] : talkOrigins
  // In dev the DevTools panel is an iframe of this app.
  if (dev && !frameSources.includes('\'self\'')) frameSources.unshift('\'self\'')

  // Dev: Vite injects inline and eval'd module code and talks to its HMR socket. A hash in
  // script-src would make browsers ignore 'unsafe-inline', so dev never lists hashes.
  const scriptSources = dev ? ['\'self\'', '\'unsafe-inline\'', '\'unsafe-eval\''] : ['\'self\'', ...new Set(scriptHashes)]
  const connectSources = dev ? ['\'self\'', 'ws:', 'wss:'] : ['\'self\'']

  const policy = [
    'default-src \'self\'',
    `script-src ${scriptSources.join(' ')}`,
    // Vue style bindings write style attributes and Nuxt inlines component CSS.
    'style-src \'self\' \'unsafe-inline\'',
    'img-src \'self\' data:',
    `connect-src ${connectSources.join(' ')}`,
    `frame-src ${frameSources.length ? frameSources.join(' ') : '\'none\''}`,
    'object-src \'none\'',
    'base-uri \'self\'',
    'form-action \'self\'',
    'frame-ancestors \'self\'',
  ].join('; ')

  return {
    'content-security-policy': policy,
    // Only the Talk frame (and the page itself) may ask for the microphone.
    'permissions-policy': `microphone=(${['self', ...talkOrigins.map(origin => `"${origin}"`)].join(' ')}), camera=(), geolocation=()`,
    'x-content-type-options': 'nosniff',
    // Cross-origin requests (the Talk frame) still learn our origin, which the simulator
    // falls back on where `location.ancestorOrigins` is missing (Firefox); paths never leave.
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'SAMEORIGIN',
  }
}

/** Reads `runtimeConfig.public.leaddeskTalk` (or anything shaped like it) into header options. */
export function securityHeaderOptionsFromConfig(talkConfig: unknown, dev: boolean): SecurityHeaderOptions {
  const config = (typeof talkConfig === 'object' && talkConfig !== null ? talkConfig : {}) as { src?: unknown, allowedOrigins?: unknown }
  return {
    src: typeof config.src === 'string' ? config.src : '',
    allowedOrigins: parseAllowedOrigins(config.allowedOrigins),
    dev,
  }
}

const cache = new Map<string, SecurityHeaders>()
// Runtime config rarely changes; the bound only stops a misbehaving config source from growing the map.
const CACHE_LIMIT = 32

/** The headers for a Talk config without script hashes, computed once per distinct config. */
export function cachedSecurityHeaders(talkConfig: unknown, dev: boolean): SecurityHeaders {
  const options = securityHeaderOptionsFromConfig(talkConfig, dev)
  const key = JSON.stringify([options.src, options.allowedOrigins, dev])
  let headers = cache.get(key)
  if (!headers) {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    headers = buildSecurityHeaders(options)
    cache.set(key, headers)
  }
  return headers
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi

/**
 * The CSP hash sources of the inline scripts in an HTML page (Nuxt's `window.__NUXT__`
 * config, its import map). Scripts with `src` are covered by 'self'; JSON data blocks
 * (`__NUXT_DATA__`) are never executed, so hashing them would only lengthen the header.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const [, attributes = '', body = ''] of html.matchAll(INLINE_SCRIPT)) {
    if (/\ssrc\s*=/i.test(` ${attributes}`)) continue
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(` ${attributes}`)?.[1]?.toLowerCase()
    if (type?.includes('json')) continue
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`)
  }
  return [...hashes]
}

/**
 * `Strict-Transport-Security` from `LEADDESK_TALK_HSTS_MAX_AGE` (seconds; `0` tells browsers to
 * forget it): off unless set, since only a server reached over HTTPS (directly or behind a
 * TLS proxy) may promise HTTPS for the future. `invalid` is set for a value that is not a number.
 */
export function hstsHeader(env: Record<string, string | undefined>): { value: string | null, invalid?: string } {
  const raw = env.LEADDESK_TALK_HSTS_MAX_AGE?.trim()
  if (!raw) return { value: null }
  if (!/^\d{1,10}$/.test(raw)) return { value: null, invalid: raw.slice(0, 40) }
  return { value: `max-age=${Number(raw)}` }
}
