import { Server as HttpServer } from 'node:http'
import { Server as HttpsServer } from 'node:https'
import { toNodeListener } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'
import { planListenAddress } from '../utils/listen-address'

/**
 * Secure default of the production server (see utils/listen-address.ts). Nitro runs plugins
 * while its app is created, before its node-server entry reads `NITRO_HOST` and listens, so
 * setting `NITRO_HOST=127.0.0.1` here is what Nitro then uses; the same app is served on
 * `::1` by a second listener beside it (a Node server listens on one address).
 */
export default defineNitroPlugin((nitroApp) => {
  // Nitro writes its build's mode here ("production", "development", "prerender"): only a production server listens.
  if (process.env.NODE_ENV !== 'production') return
  const plan = planListenAddress(process.env)
  if (plan.kind !== 'loopback') {
    if (plan.log) console.warn(plan.log)
    return
  }
  console.log(plan.log)
  process.env.NITRO_HOST = '127.0.0.1'
  if (plan.port === 0) return
  const cert = process.env.NITRO_SSL_CERT
  const key = process.env.NITRO_SSL_KEY
  const listener = toNodeListener(nitroApp.h3App)
  const ipv6 = cert && key ? new HttpsServer({ key, cert }, listener) : new HttpServer(listener)
  // A machine without IPv6 still serves 127.0.0.1; say why ::1 is missing instead of failing.
  ipv6.once('error', (error: NodeJS.ErrnoException) => console.warn(`[leaddesk-talk] Not listening on [::1]:${plan.port}: ${error.code ?? error.message}`))
  ipv6.listen({ port: plan.port, host: '::1', ipv6Only: true })
  nitroApp.hooks.hook('close', () => new Promise<void>((resolve) => {
    ipv6.closeAllConnections()
    ipv6.close(() => resolve())
  }))
})
