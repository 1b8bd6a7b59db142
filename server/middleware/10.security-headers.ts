import { defineEventHandler, setResponseHeaders } from 'h3'
import { useRuntimeConfig } from 'nitropack/runtime'
import { cachedSecurityHeaders } from '../utils/security-headers'

// Nitro replaces `import.meta.dev` at build time; outside Nitro (tests) it is undefined: production rules.
const dev = (import.meta as { dev?: boolean }).dev === true

/**
 * Adds the security headers (CSP, Permissions-Policy, nosniff, Referrer-Policy, X-Frame-Options)
 * to every response that reaches Nitro's handlers. The Talk origins come from the runtime config
 * of this request, so `NUXT_PUBLIC_LEADDESK_TALK_SRC` takes effect without a rebuild.
 * HTML pages get their inline-script hashes added by server/plugins/csp-hashes.ts.
 */
export default defineEventHandler((event) => {
  setResponseHeaders(event, cachedSecurityHeaders(useRuntimeConfig(event).public.leaddeskTalk, dev))
})
