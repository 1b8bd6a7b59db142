import { addServerHandler } from '@nuxt/kit'
import { addCustomTab } from '@nuxt/devtools-kit'
import type { Nuxt } from '@nuxt/schema'

/** The route of the DevTools tab's page (dev only). */
export const DEVTOOLS_ROUTE = '/_leaddesk-talk/devtools'

/** Adds the "LeadDesk Talk" tab to Nuxt DevTools: live agent status, active call and message log. */
export function setupDevtools(nuxt: Nuxt, pageHandler: string): void {
  addServerHandler({ route: DEVTOOLS_ROUTE, handler: pageHandler })
  addCustomTab({
    name: 'leaddesk-talk',
    title: 'LeadDesk Talk',
    icon: 'carbon:phone',
    view: { type: 'iframe', src: `${nuxt.options.app.baseURL.replace(/\/$/, '')}${DEVTOOLS_ROUTE}` },
  }, nuxt)
}

/** Reads Nuxt's `devtools` option, which is a boolean or an object with `enabled`. */
export function devtoolsEnabled(option: boolean | { enabled?: boolean }): boolean {
  return typeof option === 'boolean' ? option : option.enabled !== false
}
