import type { InjectionKey } from 'vue'
import { DEFAULT_ALLOWED_ORIGINS } from '../protocol/index'
import type { TalkDiagnostic, TalkOriginRule } from '../protocol/index'
import type { TalkContactResolver, TalkContactResolverOptions } from '../stores/contact-lookup'

/**
 * How the tabs of one browser share Talk: `'single'` (one tab hosts the Talk frame, the others
 * show its state and forward commands to it) or `'independent'` (every tab loads its own Talk).
 */
export type TalkTabsMode = 'single' | 'independent'

/** Options of `createTalk()` (and, minus the functions, of the Nuxt module). */
export interface TalkOptions {
  /** Talk login URL. Empty: use `simulatorUrl` if set, else `<TalkFrame>` explains that none is configured. */
  src?: string
  /** Origins whose messages are trusted. Default: `https://*.leaddesk.com` plus the origin of the frame URL in use. */
  allowedOrigins?: TalkOriginRule[]
  /** The iframe's id (the spec asks for a unique one). Default: `'LD_talk'`. */
  frameId?: string
  /** Default: 400. */
  width?: number | string
  /** Default: 800. */
  height?: number | string
  history?: {
    /** Keep the call history in IndexedDB across reloads. Default: `true`. */
    persist?: boolean
    /** How many calls to keep. Default: 1000. */
    limit?: number
  }
  /** Turn clicks on `tel:` links anywhere in the app into Talk calls. Default: `false`. */
  interceptTelLinks?: boolean
  /** URL of the Talk simulator, used when `src` is empty. */
  simulatorUrl?: string
  /** How long commands wait for Talk's answer, in ms. Default: 15000. */
  timeout?: number
  /** Receives every dropped message and local problem, with the reason. */
  onDiagnostic?: (diagnostic: TalkDiagnostic) => void
  /** Print the message log to the console (never tokens or phone numbers). Default: `false`. */
  debug?: boolean
  /**
   * `'single'`: one tab of the browser hosts Talk, the others follow it. `'independent'`: each
   * tab loads its own Talk. Without Web Locks or BroadcastChannel (server rendering, old
   * browsers, plain-http pages) tabs are independent whatever this says. Default: `'single'`.
   */
  tabs?: TalkTabsMode
  /**
   * Finds the app's contact for the number of every ringing call (`activeCall.contact`); for an
   * inbound call the contact also becomes Talk's metadata. Never delays the call. Vue only; in
   * Nuxt use `defineTalkContactResolver()` in a plugin.
   */
  resolveContact?: TalkContactResolver
  /** How `resolveContact` is used: `timeout` (ms, default 3000) and the `metadata` Talk gets for a contact. */
  resolveContactOptions?: TalkContactResolverOptions
}

/** Where `createTalk` provides its options to `<TalkFrame>` and `useTalk`. */
export const talkOptionsKey: InjectionKey<TalkOptions> = Symbol('leaddesk-talk-options')

/** The Talk URL the frame should load: `src`, else the simulator, else `''` (nothing configured). */
export function resolveTalkSrc(options: Pick<TalkOptions, 'src' | 'simulatorUrl'>): string {
  return options.src?.trim() || options.simulatorUrl?.trim() || ''
}

/**
 * The origins to trust: the configured list as given, or by default every LeadDesk host plus
 * the origin of the URL actually loaded (the simulator, a staging host).
 */
export function resolveAllowedOrigins(configured: readonly TalkOriginRule[] | undefined, frameUrl: string, base?: string): TalkOriginRule[] {
  if (configured?.length) return [...configured]
  let frameOrigin: string | null = null
  try {
    frameOrigin = new URL(frameUrl, base).origin
  }
  catch {
    frameOrigin = null
  }
  return frameOrigin && frameOrigin !== 'null' ? [...DEFAULT_ALLOWED_ORIGINS, frameOrigin] : [...DEFAULT_ALLOWED_ORIGINS]
}
