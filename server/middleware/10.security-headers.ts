import { defineEventHandler, setResponseHeader, setResponseHeaders } from 'h3'
import { useRuntimeConfig } from 'nitropack/runtime'
import { cachedSecurityHeaders, hstsHeader } from '../utils/security-headers'

// Nitro replaces `import.meta.dev` at build time; outside Nitro (tests) it is undefined: production rules.
const dev = (import.meta as { dev?: boolean }).dev === true
let warnedHsts: string | undefined

/**
 * Adds the security headers (CSP, Permissions-Policy, nosniff, Referrer-Policy, X-Frame-Options,
 * and Strict-Transport-Security when `LEADDESK_TALK_HSTS_MAX_AGE` is set)
 * to every response that reaches Nitro's handlers. The Talk origins come from the runtime config
 * of this request, so `NUXT_PUBLIC_LEADDESK_TALK_SRC` takes effect without a rebuild.
 * HTML pages get their inline-script hashes added by server/plugins/csp-hashes.ts.
 */
export default defineEventHandler((event) => {
  setResponseHeaders(event, cachedSecurityHeaders(useRuntimeConfig(event).public.leaddeskTalk, dev))
  const hsts = hstsHeader(process.env)
  if (hsts.value) setResponseHeader(event, 'strict-transport-security', hsts.value)
  else if (hsts.invalid !== undefined && warnedHsts !== hsts.invalid) {
    warnedHsts = hsts.invalid
    console.warn(`[leaddesk-talk] LEADDESK_TALK_HSTS_MAX_AGE=${JSON.stringify(hsts.invalid)} is not a number of seconds: no Strict-Transport-Security header is sent.`)
  }
})
