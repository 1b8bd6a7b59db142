import { createError, defineEventHandler, getRequestHeader, sendNoContent, setResponseHeader } from 'h3'
import { allowHeader, apiRouteMethods } from '../utils/api-routes'
import { crossSiteRefusal, SAFE_METHODS, trustedOriginsFromEnv } from '../utils/cross-site'

let trusted: { raw: string | undefined, origins: Set<string> } | undefined

/** The trusted origins of the environment as it is now; entries that are not origins are logged once per value. */
function trustedOrigins(): Set<string> {
  const raw = process.env.LEADDESK_TALK_TRUSTED_ORIGINS
  if (!trusted || trusted.raw !== raw) {
    const { origins, invalid } = trustedOriginsFromEnv(process.env)
    if (invalid.length) console.warn(`[leaddesk-talk] LEADDESK_TALK_TRUSTED_ORIGINS: ignored ${invalid.map(entry => JSON.stringify(entry.slice(0, 100))).join(', ')}: not an origin (https://host[:port]).`)
    trusted = { raw, origins }
  }
  return trusted.origins
}

/**
 * Every request: a write (any method but GET, HEAD, OPTIONS) from another site is refused
 * with 403 (see utils/cross-site.ts). API requests besides: `Cache-Control: no-store` (they
 * carry contacts and calls), OPTIONS answered with 204 and `Allow`, HEAD served by the GET
 * handler (Node sends no body for a HEAD), another method on a known route 405.
 */
export default defineEventHandler((event) => {
  const method = event.method
  if (!SAFE_METHODS.has(method)) {
    const refusal = crossSiteRefusal({
      origin: getRequestHeader(event, 'origin'),
      fetchSite: getRequestHeader(event, 'sec-fetch-site'),
      host: getRequestHeader(event, 'host'),
    }, trustedOrigins())
    if (refusal) throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: `Cross-site request refused: ${refusal}` })
  }
  if (!/^\/api(\/|\?|$)/.test(event.path)) return
  setResponseHeader(event, 'cache-control', 'no-store')
  const methods = apiRouteMethods(event.path)
  if (!methods) return
  if (method === 'OPTIONS') {
    // No Access-Control-* headers: answering OPTIONS opens nothing to other origins.
    setResponseHeader(event, 'allow', allowHeader(methods))
    return sendNoContent(event, 204)
  }
  if (method === 'HEAD' && methods.includes('GET')) {
    event._method = 'GET'
    return
  }
  if (!(methods as readonly string[]).includes(method)) {
    setResponseHeader(event, 'allow', allowHeader(methods))
    throw createError({ statusCode: 405, statusMessage: 'Method Not Allowed', message: `${method} is not allowed here; use ${allowHeader(methods)}` })
  }
})
