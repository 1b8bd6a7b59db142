import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Nuxt } from 'nuxt/schema'
import { DEVTOOLS_PAGE_HTML } from './devtools-page'
import { servePublicFiles } from './public-files'

/** The route of the DevTools tab's page (dev only). */
export const DEVTOOLS_ROUTE = '/_leaddesk-talk/devtools'

/** A custom tab as Nuxt DevTools reads it from its `devtools:customTabs` hook. */
interface DevtoolsIframeTab {
  name: string
  title: string
  icon: string
  view: { type: 'iframe', src: string }
}

/** Adds the "LeadDesk Talk" tab to Nuxt DevTools: live agent status, active call and message log. */
export function setupDevtools(nuxt: Nuxt): void {
  servePublicFiles(nuxt, {
    name: 'leaddesk-talk-devtools',
    route: DEVTOOLS_ROUTE,
    write: async (dir) => {
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, 'index.html'), DEVTOOLS_PAGE_HTML)
    },
    pageHeaders: {},
  })
  const tab: DevtoolsIframeTab = {
    name: 'leaddesk-talk',
    title: 'LeadDesk Talk',
    icon: 'carbon:phone',
    view: { type: 'iframe', src: `${nuxt.options.app.baseURL.replace(/\/$/, '')}${DEVTOOLS_ROUTE}/` },
  }
  // The hook is declared by Nuxt DevTools, which calls it when it is installed; the module
  // does not depend on DevTools' kit just for this one push.
  const withDevtools = nuxt as unknown as { hook: (name: 'devtools:customTabs', fn: (tabs: DevtoolsIframeTab[]) => void) => void }
  withDevtools.hook('devtools:customTabs', tabs => void tabs.push(tab))
}

/** Reads Nuxt's `devtools` option, which is a boolean or an object with `enabled`. */
export function devtoolsEnabled(option: boolean | { enabled?: boolean }): boolean {
  return typeof option === 'boolean' ? option : option.enabled !== false
}
