import type { TalkOptions } from '../../../composables/talk-options'
import type { LeaddeskTalkPublicConfig } from '../options'

/** URL path the module serves the simulator at (below the app's baseURL). */
export const SIMULATOR_PATH = '/_leaddesk-talk/simulator/'

/**
 * Reads `NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS`: Nuxt hands over a JSON array already
 * parsed, but a comma-separated value (or a JSON array Nuxt left as text) arrives as a string.
 */
export function parseAllowedOrigins(value: unknown): string[] {
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      value = JSON.parse(value)
    }
    catch {
      return []
    }
  }
  const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : []
  return list.filter((v): v is string => typeof v === 'string').map(v => v.trim()).filter(Boolean)
}

/** Turns the public runtime config into `createTalk` options; `appBase` is the app's absolute base URL. */
export function toTalkOptions(config: Partial<LeaddeskTalkPublicConfig> | undefined, appBase: string): TalkOptions {
  const c = config ?? {}
  return {
    src: typeof c.src === 'string' ? c.src.trim() : '',
    allowedOrigins: parseAllowedOrigins(c.allowedOrigins),
    frameId: c.frameId || undefined,
    width: c.width,
    height: c.height,
    history: { persist: c.history?.persist ?? true, limit: Number(c.history?.limit) > 0 ? Number(c.history?.limit) : undefined },
    interceptTelLinks: c.interceptTelLinks === true,
    timeout: Number(c.timeout) > 0 ? Number(c.timeout) : undefined,
    debug: c.debug === true,
    // Anything but an explicit opt-out (an env typo included) keeps the default: one Talk for all tabs.
    tabs: c.tabs === 'independent' ? 'independent' : 'single',
    // The simulator logs `agent` in as soon as it loads; an empty name leaves the login to the agent.
    simulatorUrl: c.simulator ? new URL(`${SIMULATOR_PATH.slice(1)}?agent=${encodeURIComponent(c.simulatorAgent ?? '')}`, appBase.endsWith('/') ? appBase : `${appBase}/`).href : undefined,
  }
}
