/**
 * Cross-site request forgery: with agent sign-in off (the default) any page the agent visits
 * could otherwise make their browser write to the API (`fetch` in `no-cors` mode, a
 * `<form enctype="text/plain">`, `navigator.sendBeacon`). A browser says where a request
 * comes from (`Origin`, `Sec-Fetch-Site`) and no page can forge either, so writes from
 * another site are refused by them; clients that send neither (curl, scripts, a CRM
 * backend) are not browsers acting for someone else and pass.
 */
import { toOrigin } from '../../protocol/origins'

/** What a request says about where it comes from (header values as received). */
export interface RequestSource {
  origin?: string
  /** `Sec-Fetch-Site`: `same-origin`, `same-site`, `cross-site` or `none`. */
  fetchSite?: string
  /** The `Host` header: the site the request was sent to. */
  host?: string
}

/** Methods that change nothing; only the others are checked. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' }

function hostOfOrigin(origin: string): string | null {
  try {
    const url = new URL(origin)
    return (url.port && url.port !== DEFAULT_PORTS[url.protocol] ? url.host : url.hostname).toLowerCase()
  }
  catch {
    return null
  }
}

function withoutDefaultPort(host: string): string {
  return host.trim().toLowerCase().replace(/:(80|443)$/, '')
}

/**
 * Why a write must be refused as cross-site, or `null` when it may go on:
 * `Sec-Fetch-Site: same-origin` passes (the browser vouches for it, whatever a proxy did to
 * `Host`); otherwise an `Origin` must name this host or a trusted origin; without `Origin`, a
 * `Sec-Fetch-Site` of `same-site`/`cross-site` is refused and no header at all passes.
 */
export function crossSiteRefusal(source: RequestSource, trusted: ReadonlySet<string>): string | null {
  const fetchSite = source.fetchSite?.trim().toLowerCase()
  if (fetchSite === 'same-origin') return null
  const origin = source.origin?.trim()
  if (origin) {
    // "null" is the shared opaque origin of sandboxed frames, file: pages and some redirects.
    if (origin === 'null') return 'the request comes from an opaque origin ("null")'
    const normalized = toOrigin(origin)
    if (normalized && trusted.has(normalized)) return null
    const host = normalized && hostOfOrigin(normalized)
    if (host && source.host && host === withoutDefaultPort(source.host)) return null
    return `the request comes from another site (${origin.slice(0, 100)}); list it in LEADDESK_TALK_TRUSTED_ORIGINS to trust it`
  }
  if (fetchSite === 'same-site' || fetchSite === 'cross-site') return `the request comes from another site (Sec-Fetch-Site: ${fetchSite})`
  return null
}

/** Parses `LEADDESK_TALK_TRUSTED_ORIGINS` (comma-separated origins); `invalid` lists the entries that are not origins. */
export function trustedOriginsFromEnv(env: Record<string, string | undefined> = process.env): { origins: Set<string>, invalid: string[] } {
  const origins = new Set<string>()
  const invalid: string[] = []
  for (const entry of (env.LEADDESK_TALK_TRUSTED_ORIGINS ?? '').split(',').map(value => value.trim()).filter(Boolean)) {
    const origin = toOrigin(entry)
    if (origin) origins.add(origin)
    else invalid.push(entry)
  }
  return { origins, invalid }
}
