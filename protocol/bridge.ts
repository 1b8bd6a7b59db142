import { talkSettingsFields } from './commands'
import type { TalkCommand, TalkCommandAction, TalkMetadata, TalkSettings } from './commands'
import { TalkError } from './errors'
import type { TalkCallEvent, TalkEvent, TalkEventAction, TalkEventMap, TalkJwtEvent } from './messages'
import { normalizeTalkNumber } from './number'
import { createOriginMatcher, DEFAULT_ALLOWED_ORIGINS, toOrigin } from './origins'
import type { TalkOriginRule } from './origins'
import { parseTalkEvent } from './parse'
import { boolean, jsonRecord, object, SchemaIssue } from './schema'
import type { Validator } from './schema'

/** Why a message or command was not acted on; reported through `onDiagnostic`, never thrown. */
export type TalkDiagnosticKind
  /** `event.source` is not the Talk frame's window (another frame, a popup, the page itself). */
  = | 'foreign-source'
  /** The sender's origin is not in `allowedOrigins`. */
    | 'foreign-origin'
  /** From the Talk frame and an allowed origin, but not a valid Talk message. */
    | 'invalid-message'
  /** A valid-looking message with an `action` this version does not know (a newer Talk?). */
    | 'unknown-action'
  /** A `login` whose `origin` field is not the origin it really came from. */
    | 'origin-mismatch'
  /** An `error` event that no waiting command could be blamed for. */
    | 'unattributed-error'
  /** The Talk frame loaded a new page that did not log in: the previous Talk session is gone. */
    | 'frame-reloaded'
  /** A listener passed to `on`/`onAny` threw; the bridge carried on. */
    | 'listener-error'
  /** A message on the tabs' BroadcastChannel that is not a valid message between Talk tabs (other code on the origin, another version). */
    | 'invalid-tab-message'
  /** A Web Locks request or a BroadcastChannel failed: tabs may not agree on which one hosts Talk. */
    | 'tab-error'
  /** `resolveContact` threw, timed out or returned no JSON object: the call went on without a contact. */
    | 'contact-lookup'

/** One diagnostic: what happened and why. Never contains tokens or phone numbers. */
export interface TalkDiagnostic {
  kind: TalkDiagnosticKind
  /** One readable sentence. */
  reason: string
  /** The sender's origin, when the diagnostic is about a message. */
  origin?: string
  /** The message's `action`, when known. */
  action?: string
}

/** The parts of `window` the bridge uses (injectable for tests). */
export interface TalkWindowLike {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

/** The part of the Talk frame's window the bridge uses (a `Window` in the browser). */
export interface TalkFrameWindow {
  postMessage(message: unknown, targetOrigin: string): void
}

/**
 * The parts of the Talk `<iframe>` element the bridge uses. Written out instead of naming
 * `HTMLIFrameElement` so the types also compile where there is no DOM (server code importing
 * `parseTalkEvent`); an `HTMLIFrameElement` fits.
 */
export interface TalkFrameElement {
  readonly contentWindow: TalkFrameWindow | null
  addEventListener(type: 'load', listener: () => void): void
  removeEventListener(type: 'load', listener: () => void): void
}

/** Where the bridge finds the Talk frame: the iframe element, or a getter for its window. */
export type TalkFrameSource = TalkFrameElement | (() => TalkFrameWindow | null | undefined)

/** Options of `createTalkBridge`. */
export interface TalkBridgeOptions {
  /**
   * The Talk iframe element, or a function returning the frame's window. With the element, the
   * bridge also notices a new page loading in the frame without logging in: the session ends.
   * With a getter, call `bridge.frameLoaded()` from the iframe's `load` event for the same.
   */
  frame: TalkFrameSource
  /** Origins whose messages are trusted. Default: `['https://*.leaddesk.com']`. */
  allowedOrigins?: readonly TalkOriginRule[]
  /** Receives every dropped, invalid or unexpected message, with the reason. */
  onDiagnostic?: (diagnostic: TalkDiagnostic) => void
  /** The window to listen on. Default: `globalThis.window`. */
  window?: TalkWindowLike
  /** How long awaitable commands wait for Talk's answer, in ms. Default: 15000. */
  timeout?: number
}

/** Options of `bridge.call()`. */
export interface TalkCallOptions {
  /** Start the call (`true`, default) or only fill Talk's number field (`false`). */
  autocall?: boolean
  /** Overrides the bridge's command timeout for this call, in ms. */
  timeout?: number
}

/** What the bridge knows about the Talk session. */
export interface TalkSession {
  loggedIn: boolean
  /** The origin learned from the verified `login`; the only target of every command. */
  origin: string | null
  language: string | null
}

/** A live postMessage connection to one Talk iframe. */
export interface TalkBridge {
  /** The current session (a snapshot). */
  readonly session: TalkSession
  /** Calls `handler` for every accepted event with this `action`; returns an unsubscribe function. */
  on<A extends TalkEventAction>(action: A, handler: (event: TalkEventMap[A]) => void): () => void
  /** Calls `handler` for every accepted event; returns an unsubscribe function. */
  onAny(handler: (event: TalkEvent) => void): () => void
  /** Calls `handler` whenever the session changes (login, logout, frame reload); returns an unsubscribe function. */
  onSession(handler: (session: TalkSession) => void): () => void
  /** Dials `number` (or only fills it in with `autocall: false`); resolves with the ringing call. */
  call(number: string | number, options?: TalkCallOptions & { autocall?: true }): Promise<TalkCallEvent>
  call(number: string | number, options: TalkCallOptions & { autocall: false }): Promise<void>
  call(number: string | number, options?: TalkCallOptions): Promise<TalkCallEvent | void>
  /** Answers the ringing inbound call; resolves when Talk reports it connected. */
  answer(): Promise<void>
  /** Hangs up the ringing or ongoing call; resolves when Talk reports it disconnected. */
  hangup(): Promise<void>
  /** Clears Talk's number field and restores availability changed by `setStatus`. */
  reset(): Promise<void>
  /** Makes the agent available (`true`) or unavailable (`false`). */
  setStatus(enabled: boolean): Promise<void>
  /** Sets contact metadata for Talk (used by its SMS); remembered and re-sent after every login. */
  setMetadata(metadata: TalkMetadata): Promise<void>
  /** Applies Talk settings; merged with earlier ones, remembered and re-sent after every login. */
  useSettings(settings: TalkSettings): Promise<void>
  /** Asks Talk for a JWT (audience 'cti'); resolves with the token. */
  getJwt(): Promise<string>
  /** Tells the bridge the Talk frame loaded a page (only needed when `frame` is a getter; given the element, it listens itself). */
  frameLoaded(): void
  /** Removes every listener and rejects waiting commands with `TalkError('disposed')`. */
  dispose(): void
}

type Waiter = [expects: TalkEventAction, finish: (error: TalkError | null, event?: TalkEvent) => void]

type Listener = [key: string, handler: (value: never) => void]

const noop = () => {}
/** A `login` at most this long before a frame `load` (and after the previous one) was posted by the page that loaded. */
const LOGIN_BEFORE_LOAD_MS = 10_000
/** How long a newly loaded page has to log in before the session counts as ended. */
const LOGIN_AFTER_LOAD_MS = 5_000

/** Validates an argument of a command, or throws `TalkError('invalid-argument')`. */
function argument<T>(action: TalkCommandAction, name: string, validate: Validator<T>, value: unknown): T {
  try {
    return validate(value)
  }
  catch (issue) {
    throw issue instanceof SchemaIssue ? new TalkError('invalid-argument', `${action}: ${issue.at(name)}`) : issue
  }
}

/** Runs `task` inside a promise, so what it throws becomes a rejection. */
const attempt = <T>(task: () => T | PromiseLike<T>) => new Promise<T>(resolve => resolve(task()))

/**
 * Connects to one Talk iframe over postMessage.
 *
 * Trust: a message counts only if `event.source` is the frame's window, `event.origin` is
 * allowed, and it parses; a `login` must also name its real origin. Commands are posted only
 * after a verified `login`, and only to that origin — never to `'*'`.
 *
 * Awaiting: Talk sends no acknowledgements and no correlation ids. `call` (with autocall)
 * waits for the next outbound `call` event, `answer` for `connected`, `hangup` for
 * `disconnected`, `getJwt` for `jwt`. An `error` event is blamed on the oldest command still
 * waiting (first in, first out); with none waiting it goes to `onDiagnostic` as
 * `unattributed-error` (and to `on('error')` listeners, which always see every error).
 * `reset`, `setStatus`, `setMetadata`, `useSettings` and `call(..., { autocall: false })`
 * expect no answer and resolve once posted.
 */
export function createTalkBridge(options: TalkBridgeOptions): TalkBridge {
  const { frame, timeout = 15_000, onDiagnostic } = options
  const isAllowed = createOriginMatcher(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS)
  const target = options.window ?? (globalThis as { window?: TalkWindowLike }).window
  if (!target) throw new TalkError('invalid-argument', 'No window: pass options.window')
  const frameWindow = typeof frame == 'function' ? frame : () => frame.contentWindow
  const report = (kind: TalkDiagnosticKind, reason: string, origin?: string, action?: string) => {
    try {
      onDiagnostic?.({ kind, reason, origin, action })
    }
    catch {
      // A broken diagnostics hook must not break message handling.
    }
  }

  // The origin of the verified `login`, null when logged out: the only target of every command.
  let talkOrigin: string | null = null
  let language: string | null = null
  let settings: TalkSettings | undefined
  let metadata: TalkMetadata | undefined
  let disposed = false
  let lastLoginAt = -Infinity
  let loginSinceLoad = false
  let reloadTimer: ReturnType<typeof setTimeout> | undefined
  // Key: an event action, '*' for onAny, '' for onSession. Replaced, never mutated, so a
  // listener that (un)subscribes while being called does not disturb the loop.
  let listeners: Listener[] = []
  let waiters: Waiter[] = []

  const session = (): TalkSession => ({ loggedIn: !!talkOrigin, origin: talkOrigin, language })

  function add(key: string, handler: (value: never) => void): () => void {
    const entry: Listener = [key, handler]
    listeners = [...listeners, entry]
    return () => void (listeners = listeners.filter(e => e != entry))
  }

  function notify(value: TalkEvent | TalkSession, ...keys: string[]) {
    for (const [key, handler] of listeners) {
      try {
        if (keys.includes(key)) (handler as (value: unknown) => void)(value)
      }
      catch (error) {
        report('listener-error', `A listener threw: ${error}`, undefined, (value as TalkEvent).action)
      }
    }
  }

  function endSession(code: 'session-ended' | 'disposed', reason: string) {
    for (const [, finish] of waiters) finish(new TalkError(code, reason))
    if (!talkOrigin) return
    talkOrigin = language = null
    notify(session(), '')
  }

  /**
   * Posts `command` to the verified origin and, given `expects`, waits for the next such event.
   * Rejects, with nothing posted, when logged out, disposed or without a frame window.
   */
  function send<T = void>(command: TalkCommand, expects?: TalkEventAction, ms = timeout): Promise<T> {
    return new Promise((resolve, reject) => {
      if (disposed) throw new TalkError('disposed', 'Bridge disposed')
      if (!talkOrigin) throw new TalkError('not-logged-in', `Not logged in: ${command.action} not sent`)
      const win = frameWindow()
      if (!win) throw new TalkError('no-frame', 'No Talk frame window')
      win.postMessage(command, talkOrigin)
      if (!expects) return resolve(undefined as T)
      // Registered synchronously after posting, so even an instant answer finds its waiter.
      const finish: Waiter[1] = (error, event) => {
        clearTimeout(timer)
        waiters = waiters.filter(w => w[1] != finish)
        if (error) reject(error)
        else resolve(event as T)
      }
      const timer = setTimeout(() => finish(new TalkError('timeout', `No answer to ${command.action} in ${ms} ms`)), ms)
      waiters.push([expects, finish])
    })
  }

  /** Remembers what every new session needs (`update` validates it first), and posts it now if logged in. */
  const remember = (update: () => TalkCommand) => attempt(() => {
    const command = update()
    // Disposed, `send` rejects; merely logged out, the next login sends it.
    return talkOrigin || disposed ? send(command) : undefined
  })

  function onMessage({ data, origin, source }: MessageEvent) {
    const drop = (kind: TalkDiagnosticKind, reason: string, action?: string) => report(kind, reason, origin, action)
    const win = frameWindow()
    // Nothing in `data` is read before the sender is known to be the Talk frame on an allowed origin.
    if (!win || source !== win) return drop('foreign-source', 'Not from the Talk frame')
    if (!isAllowed(origin)) return drop('foreign-origin', 'Origin not allowed')
    const parsed = parseTalkEvent(data)
    if (!parsed.ok) return drop(parsed.error.code == 'unknown-action' ? 'unknown-action' : 'invalid-message', parsed.error.message)
    const message = parsed.value
    const { action } = message
    switch (action) {
      case 'login':
        if (toOrigin(message.origin) !== origin) return drop('origin-mismatch', 'Login names another origin', action)
        // A second login without logout (Talk reloaded, or a new region) starts a new session.
        endSession('session-ended', 'New Talk session')
        talkOrigin = origin
        language = message.language
        lastLoginAt = Date.now()
        loginSinceLoad = true
        clearTimeout(reloadTimer)
        // Talk forgets settings and metadata with every session; re-apply what the page set,
        // before listeners run, so anything they send afterwards wins. (Posted synchronously;
        // it cannot fail, as the frame window has just been seen.)
        if (settings) void send({ action: 'useSettings', ...settings })
        if (metadata) void send({ action: 'setMetadata', metadata })
        notify(session(), '')
        break
      case 'logout':
        endSession('session-ended', 'Logged out')
        break
      case 'error':
        if (waiters[0]) waiters[0][1](new TalkError('talk-error', message.message))
        else drop('unattributed-error', `No command waits: ${message.message}`, action)
        break
      default:
        // Only `call` waits for a `call` event, and it dialled out: an inbound call is never its answer.
        waiters.find(([expects]) => expects == action && (message as TalkCallEvent).direction != 'in')?.[1](null, message)
    }
    notify(message, action, '*')
  }

  // A `load` is a new page in the frame, and a new page is a new Talk session: it must log in.
  // Talk posts `login` once the page is loaded and the agent logged in, but a remembered session
  // may post it while the page is still loading, before `load`. So a `login` shortly before
  // this `load`, and after the previous one, belongs to this page; otherwise the session ends
  // unless the page logs in soon after its `load`.
  function onFrameLoad() {
    const ownLogin = loginSinceLoad && Date.now() - lastLoginAt < LOGIN_BEFORE_LOAD_MS
    loginSinceLoad = false
    clearTimeout(reloadTimer)
    if (!talkOrigin || ownLogin) return
    reloadTimer = setTimeout(() => {
      report('frame-reloaded', 'Talk frame loaded a page that did not log in')
      endSession('session-ended', 'Talk frame reloaded')
    }, LOGIN_AFTER_LOAD_MS)
  }

  function listen(method: 'addEventListener' | 'removeEventListener') {
    target![method]('message', onMessage)
    if (typeof frame != 'function') frame[method]('load', onFrameLoad)
  }
  listen('addEventListener')

  return {
    get session() {
      return session()
    },
    on: add,
    onAny: handler => add('*', handler),
    onSession: handler => add('', handler),
    call: ((number: string | number, { autocall = true, timeout: ms }: TalkCallOptions = {}) => attempt(() =>
      send({ action: 'call', number: normalizeTalkNumber(number), autocall }, autocall ? 'call' : undefined, ms))) as TalkBridge['call'],
    answer: () => send({ action: 'answer' }, 'connected').then(noop),
    hangup: () => send({ action: 'hangup' }, 'disconnected').then(noop),
    reset: () => send({ action: 'reset' }),
    setStatus: enabled => attempt(() => send({ action: 'setStatus', enabled: argument('setStatus', 'enabled', boolean, enabled) })),
    setMetadata: value => remember(() => {
      argument('setMetadata', 'metadata', jsonRecord, value)
      // A copy: later changes by the caller are not sent behind their back, and a Vue reactive
      // proxy (which postMessage cannot clone) becomes plain data.
      metadata = JSON.parse(JSON.stringify(value)) as TalkMetadata
      return { action: 'setMetadata', metadata }
    }),
    useSettings: value => remember(() => {
      settings = { ...settings, ...argument('useSettings', 'settings', object(talkSettingsFields), value) }
      return { action: 'useSettings', ...settings }
    }),
    getJwt: () => send<TalkJwtEvent>({ action: 'getJwt' }, 'jwt').then(event => event.jwt),
    frameLoaded: onFrameLoad,
    dispose() {
      if (disposed) return
      clearTimeout(reloadTimer)
      endSession('disposed', 'Bridge disposed')
      disposed = true
      listen('removeEventListener')
      listeners = []
    },
  }
}
