import { createOriginMatcher } from '../../protocol/origins'
import { isFrameAncestorSource } from '../../simulator/headers'
import type { TalkTabsMode } from '../../composables/talk-options'

/** Options of the Nuxt module (`leaddeskTalk` in nuxt.config); every one lands in `runtimeConfig.public.leaddeskTalk`. */
export interface ModuleOptions {
  /** Talk login URL, e.g. `https://login-ce2.leaddesk.com/`. Env: `NUXT_PUBLIC_LEADDESK_TALK_SRC`. Empty: the built-in simulator. */
  src: string
  /**
   * Trusted origins (`https://host`, `https://*.domain`). Strings only: runtime config is JSON,
   * so a RegExp cannot pass through it. Env: `NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS`
   * (JSON array or comma-separated). Empty: `https://*.leaddesk.com` plus the origin of the frame URL.
   */
  allowedOrigins: string[]
  /** The iframe's id. */
  frameId: string
  width: number | string
  height: number | string
  history: {
    /** Keep the call history in IndexedDB across reloads. */
    persist: boolean
    /** How many calls to keep. */
    limit: number
  }
  /** Turn clicks on `tel:` links into Talk calls. */
  interceptTelLinks: boolean
  /** How long commands wait for Talk's answer, in ms. */
  timeout: number
  /** Print the message log to the console (never tokens or phone numbers). */
  debug: boolean
  /**
   * `'single'`: one tab of the browser hosts Talk, the others follow it; `'independent'`: every
   * tab loads its own Talk. Env: `NUXT_PUBLIC_LEADDESK_TALK_TABS`.
   */
  tabs: TalkTabsMode
  /** Serve the Talk simulator at `/_leaddesk-talk/simulator/`. Default: on in dev or when `src` is empty. */
  simulator?: boolean
  /**
   * The agent name the built-in simulator logs in as soon as it loads. Default: `'Demo Agent'` in
   * dev, `''` otherwise (the agent logs in with the simulator's own form). `''` turns it off.
   * Env: `NUXT_PUBLIC_LEADDESK_TALK_SIMULATOR_AGENT`.
   */
  simulatorAgent?: string
  /**
   * Who may frame the built-in simulator page: CSP `frame-ancestors` sources (`'self'`, an origin
   * such as `https://app.example.com`, `http://localhost:*`). Default `["'self'"]`: the app itself.
   * Build time only (the page's headers are route rules).
   */
  simulatorFrameAncestors?: string[]
}

/** The module options as the browser reads them from `runtimeConfig.public.leaddeskTalk`. */
export type LeaddeskTalkPublicConfig = Omit<ModuleOptions, 'simulator' | 'simulatorAgent' | 'simulatorFrameAncestors' | 'allowedOrigins' | 'tabs'> & {
  /** Env overrides arrive as a JSON array (parsed by Nuxt) or as a comma-separated string. */
  allowedOrigins: string[] | string
  /** An env override may hold any text: anything but `'independent'` reads as `'single'`. */
  tabs: string
  simulator: boolean
  simulatorAgent: string
}

/** The agent the simulator logs in by itself in dev, so `npm run dev` shows a working Talk at once. */
export const DEV_SIMULATOR_AGENT = 'Demo Agent'

/** The defaults, in one place. */
export const moduleDefaults: ModuleOptions = {
  src: '',
  allowedOrigins: [],
  frameId: 'LD_talk',
  width: 400,
  height: 800,
  history: { persist: true, limit: 1000 },
  interceptTelLinks: false,
  timeout: 15_000,
  debug: false,
  tabs: 'single',
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  }
  catch {
    return false
  }
}

const isSize = (value: unknown) => (typeof value === 'number' && value > 0 && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '')

/**
 * Checks the module options and throws one error listing every invalid option, each with
 * the fix, so a typo fails the build instead of producing a Talk frame that never logs in.
 */
export function validateModuleOptions(options: ModuleOptions): void {
  const problems: string[] = []
  const o = options as Partial<Record<keyof ModuleOptions, unknown>> & { history?: Partial<Record<string, unknown>> }
  if (typeof o.src !== 'string' || (o.src.trim() !== '' && !isHttpUrl(o.src.trim()))) {
    problems.push(`leaddeskTalk.src: ${JSON.stringify(o.src)} is not an http(s) URL. Fix: use your LeadDesk login URL, e.g. "https://login-ce2.leaddesk.com/", or "" for the built-in simulator.`)
  }
  if (!Array.isArray(o.allowedOrigins)) {
    problems.push('leaddeskTalk.allowedOrigins: must be an array of origin strings, e.g. ["https://*.leaddesk.com"].')
  }
  else {
    for (const rule of o.allowedOrigins as unknown[]) {
      if (typeof rule !== 'string') {
        problems.push(`leaddeskTalk.allowedOrigins: ${String(rule)} is not a string. Fix: use an origin string such as "https://talk.example.com" or "https://*.example.com" (a RegExp cannot be stored in runtime config; pass it to createTalk() in your own plugin instead).`)
        continue
      }
      try {
        createOriginMatcher([rule])
      }
      catch {
        problems.push(`leaddeskTalk.allowedOrigins: ${JSON.stringify(rule)} is not an origin. Fix: use "https://host[:port]" (no path) or "https://*.domain".`)
      }
    }
  }
  if (typeof o.frameId !== 'string' || !/^[A-Za-z][\w:.-]*$/.test(o.frameId)) {
    problems.push(`leaddeskTalk.frameId: ${JSON.stringify(o.frameId)} is not a valid element id. Fix: use letters, digits, "-" or "_", starting with a letter, e.g. "LD_talk".`)
  }
  for (const key of ['width', 'height'] as const) {
    if (!isSize(o[key])) problems.push(`leaddeskTalk.${key}: ${JSON.stringify(o[key])} is not a size. Fix: use a positive number of pixels or a CSS length such as "100%".`)
  }
  const limit = o.history?.limit
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit <= 0) {
    problems.push(`leaddeskTalk.history.limit: ${JSON.stringify(limit)} is not a positive whole number. Fix: how many calls to keep, e.g. 1000.`)
  }
  if (typeof o.history?.persist !== 'boolean') problems.push('leaddeskTalk.history.persist: must be true or false.')
  if (typeof o.timeout !== 'number' || !(o.timeout > 0) || !Number.isFinite(o.timeout)) {
    problems.push(`leaddeskTalk.timeout: ${JSON.stringify(o.timeout)} is not a positive number of milliseconds. Fix: e.g. 15000.`)
  }
  for (const key of ['interceptTelLinks', 'debug'] as const) {
    if (typeof o[key] !== 'boolean') problems.push(`leaddeskTalk.${key}: must be true or false.`)
  }
  if (o.tabs !== 'single' && o.tabs !== 'independent') {
    problems.push(`leaddeskTalk.tabs: ${JSON.stringify(o.tabs)} is not a tabs mode. Fix: "single" (one tab hosts Talk, the default) or "independent" (every tab loads its own Talk).`)
  }
  if (o.simulator !== undefined && typeof o.simulator !== 'boolean') problems.push('leaddeskTalk.simulator: must be true, false, or left out.')
  if (o.simulatorAgent !== undefined && (typeof o.simulatorAgent !== 'string' || o.simulatorAgent.length > 100 || /[\p{Cc}]/u.test(o.simulatorAgent))) {
    problems.push(`leaddeskTalk.simulatorAgent: ${JSON.stringify(o.simulatorAgent)} is not an agent name. Fix: up to 100 characters without control characters, e.g. "Demo Agent", or "" to log in by hand.`)
  }
  const ancestors = o.simulatorFrameAncestors
  if (ancestors !== undefined && (!Array.isArray(ancestors) || ancestors.length === 0 || !ancestors.every(source => typeof source === 'string' && isFrameAncestorSource(source)))) {
    problems.push(`leaddeskTalk.simulatorFrameAncestors: ${JSON.stringify(ancestors)} is not a list of frame-ancestors sources. Fix: e.g. ["'self'"] or ["'self'", "https://app.example.com"].`)
  }
  if (problems.length) throw new Error(`[nuxt-leaddesk-talk] Invalid options:\n  - ${problems.join('\n  - ')}`)
}

/** Whether to serve the simulator: as configured, else in dev or when no Talk URL is set. */
export function simulatorEnabled(options: ModuleOptions, dev: boolean): boolean {
  return options.simulator ?? (dev || options.src.trim() === '')
}

/** The public runtime config the module writes (the browser reads it, env can override it). */
export function toPublicConfig(options: ModuleOptions, dev: boolean): LeaddeskTalkPublicConfig {
  const { simulator: _simulator, simulatorAgent, simulatorFrameAncestors: _frameAncestors, ...rest } = options
  return {
    ...rest,
    history: { ...options.history },
    allowedOrigins: [...options.allowedOrigins],
    simulator: simulatorEnabled(options, dev),
    simulatorAgent: (simulatorAgent ?? (dev ? DEV_SIMULATOR_AGENT : '')).trim(),
  }
}
