import { TalkError } from './errors'
import type { TalkCallEvent, TalkCommand, TalkEvent, TalkEventAction, TalkEventMap, TalkMetadata, TalkSettings } from './messages'
import { normalizeTalkNumber } from './number'
import { createOriginMatcher, DEFAULT_ALLOWED_ORIGINS, toOrigin } from './origins'
import type { TalkOriginRule } from './origins'
import { parseTalkEvent } from './parse'
import { jsonRecord, SchemaIssue } from './schema'

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
  /** The Talk frame loaded a new document: the previous Talk session is gone. */
    | 'frame-reloaded'
  /** A listener passed to `on`/`onAny` threw; the bridge carried on. */
    | 'listener-error'

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

/** Where the bridge finds the Talk frame: the iframe element, or a getter for its window. */
export type TalkFrameSource = HTMLIFrameElement | (() => Window | null | undefined)

/** Options of `createTalkBridge`. */
export interface TalkBridgeOptions {
  /** The Talk iframe element, or a function returning the frame's window. */
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
  /** Removes every listener and rejects waiting commands with `TalkError('disposed')`. */
  dispose(): void
}

interface Waiter {
  expects: TalkEventAction
  matches: (event: TalkEvent) => boolean
  resolve: (event: TalkEvent) => void
  reject: (error: TalkError) => void
  timer: ReturnType<typeof setTimeout>
}

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
  const isAllowed = createOriginMatcher(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS)
  const target = options.window ?? (globalThis as { window?: TalkWindowLike }).window
  if (!target) throw new TalkError('invalid-argument', 'createTalkBridge needs a window: call it in the browser, or pass options.window')
  const frame = options.frame
  const frameWindow = typeof frame === 'function' ? frame : () => frame.contentWindow
  const timeout = options.timeout ?? 15_000
  const report = (d: TalkDiagnostic) => options.onDiagnostic?.(d)

  let session: TalkSession = { loggedIn: false, origin: null, language: null }
  let settings: TalkSettings | null = null
  let metadata: TalkMetadata | null = null
  let disposed = false
  const listeners = new Map<string, Set<(event: never) => void>>()
  const sessionListeners = new Set<(session: TalkSession) => void>()
  const waiters: Waiter[] = []

  function add<T>(key: string, handler: (event: T) => void): () => void {
    const set = listeners.get(key) ?? new Set()
    listeners.set(key, set.add(handler as (event: never) => void))
    return () => void set.delete(handler as (event: never) => void)
  }

  function emit(event: TalkEvent) {
    for (const key of [event.action, '*']) {
      for (const handler of [...listeners.get(key) ?? []]) {
        try {
          (handler as (event: TalkEvent) => void)(event)
        }
        catch (error) {
          report({ kind: 'listener-error', action: event.action, reason: `A '${event.action}' listener threw: ${error instanceof Error ? error.message : String(error)}` })
        }
      }
    }
  }

  function setSession(next: TalkSession) {
    session = next
    for (const handler of [...sessionListeners]) handler({ ...session })
  }

  function endSession(code: 'session-ended' | 'disposed', reason: string) {
    for (const waiter of waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(new TalkError(code, reason))
    }
    if (session.loggedIn) setSession({ loggedIn: false, origin: null, language: null })
  }

  function post(command: TalkCommand) {
    const win = frameWindow()
    if (!win) throw new TalkError('no-frame', 'The Talk iframe is not available (not mounted yet, or removed)')
    win.postMessage(command, session.origin!)
  }

  /** Posts once logged in; rejects (without posting) when logged out. */
  function send(command: TalkCommand): Promise<void> {
    if (disposed) return Promise.reject(new TalkError('disposed', 'The Talk bridge was disposed'))
    if (!session.loggedIn) return Promise.reject(new TalkError('not-logged-in', `Cannot send '${command.action}': the agent is not logged in to Talk`))
    try {
      post(command)
      return Promise.resolve()
    }
    catch (error) {
      return Promise.reject(error)
    }
  }

  function sendAndWait<A extends TalkEventAction>(command: TalkCommand, expects: A, ms = timeout, matches: (event: TalkEvent) => boolean = () => true): Promise<TalkEventMap[A]> {
    return send(command).then(() => new Promise<TalkEventMap[A]>((resolve, reject) => {
      const waiter: Waiter = {
        expects,
        matches,
        resolve: resolve as (event: TalkEvent) => void,
        reject,
        timer: setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new TalkError('timeout', `Talk did not answer '${command.action}' within ${ms} ms`))
        }, ms),
      }
      waiters.push(waiter)
    }))
  }

  function settle(event: TalkEvent) {
    if (event.action === 'error') {
      const waiter = waiters.shift()
      if (waiter) {
        clearTimeout(waiter.timer)
        waiter.reject(new TalkError('talk-error', event.message))
      }
      else {
        report({ kind: 'unattributed-error', action: 'error', reason: `Talk reported an error no waiting command can be blamed for: ${event.message}` })
      }
      return
    }
    const index = waiters.findIndex(w => w.expects === event.action && w.matches(event))
    if (index >= 0) {
      const [waiter] = waiters.splice(index, 1)
      clearTimeout(waiter!.timer)
      waiter!.resolve(event)
    }
  }

  function onMessage(event: MessageEvent) {
    if (disposed) return
    const action = typeof event.data?.action === 'string' ? String(event.data.action).slice(0, 40) : undefined
    const win = frameWindow()
    if (!win || event.source !== win) {
      return report({ kind: 'foreign-source', origin: event.origin, action, reason: 'Dropped a message that did not come from the Talk frame' })
    }
    if (!isAllowed(event.origin)) {
      return report({ kind: 'foreign-origin', origin: event.origin, action, reason: `Dropped a message from ${event.origin}, which is not in allowedOrigins` })
    }
    const parsed = parseTalkEvent(event.data)
    if (!parsed.ok) {
      return report({ kind: parsed.error.code === 'unknown-action' ? 'unknown-action' : 'invalid-message', origin: event.origin, action, reason: parsed.error.message })
    }
    const message = parsed.value
    if (message.action === 'login') {
      if (toOrigin(message.origin) !== event.origin) {
        return report({ kind: 'origin-mismatch', origin: event.origin, action, reason: `Dropped a login naming origin ${JSON.stringify(message.origin.slice(0, 100))} but sent from ${event.origin}` })
      }
      // A second login without logout (Talk reloaded, or a new region) starts a new session.
      endSession('session-ended', 'Talk started a new session')
      setSession({ loggedIn: true, origin: event.origin, language: message.language })
      emit(message)
      // Talk forgets settings and metadata with every session; re-apply what the page set.
      if (settings) post({ action: 'useSettings', ...settings })
      if (metadata) post({ action: 'setMetadata', metadata })
      return
    }
    if (message.action === 'logout') {
      endSession('session-ended', 'The agent logged out of Talk')
      return emit(message)
    }
    settle(message)
    emit(message)
  }

  function onFrameLoad() {
    if (!session.loggedIn) return
    report({ kind: 'frame-reloaded', reason: 'The Talk frame loaded a new page; waiting for a new login' })
    endSession('session-ended', 'The Talk frame reloaded')
  }

  target.addEventListener('message', onMessage)
  if (typeof frame !== 'function') frame.addEventListener('load', onFrameLoad)

  function checkJson<T>(label: string, check: () => T): T {
    try {
      return check()
    }
    catch (issue) {
      if (issue instanceof SchemaIssue) throw new TalkError('invalid-argument', `${label}: ${issue.path}: expected ${issue.expected}, got ${issue.received}`)
      throw issue
    }
  }

  const bridge: TalkBridge = {
    get session() {
      return { ...session }
    },
    on: (action, handler) => add(action, handler),
    onAny: handler => add('*', handler),
    onSession(handler) {
      sessionListeners.add(handler)
      return () => void sessionListeners.delete(handler)
    },
    call: ((number: string | number, opts: TalkCallOptions = {}) => {
      let normalized: string
      try {
        normalized = normalizeTalkNumber(number)
      }
      catch (error) {
        return Promise.reject(error)
      }
      const autocall = opts.autocall ?? true
      const command: TalkCommand = { action: 'call', number: normalized, autocall }
      return autocall ? sendAndWait(command, 'call', opts.timeout, e => e.action === 'call' && e.direction === 'out') : send(command)
    }) as TalkBridge['call'],
    answer: () => sendAndWait({ action: 'answer' }, 'connected').then(() => {}),
    hangup: () => sendAndWait({ action: 'hangup' }, 'disconnected').then(() => {}),
    reset: () => send({ action: 'reset' }),
    setStatus(enabled) {
      if (typeof enabled !== 'boolean') return Promise.reject(new TalkError('invalid-argument', 'setStatus: enabled must be a boolean'))
      return send({ action: 'setStatus', enabled })
    },
    setMetadata(value) {
      try {
        metadata = checkJson('setMetadata', () => jsonRecord(value, 'metadata'))
      }
      catch (error) {
        return Promise.reject(error)
      }
      return session.loggedIn ? send({ action: 'setMetadata', metadata }) : Promise.resolve()
    },
    useSettings(value) {
      if (typeof value !== 'object' || value === null || (value.preventManualCalling !== undefined && typeof value.preventManualCalling !== 'boolean')) {
        return Promise.reject(new TalkError('invalid-argument', 'useSettings: preventManualCalling must be a boolean'))
      }
      settings = { ...settings, ...value }
      return session.loggedIn ? send({ action: 'useSettings', ...settings }) : Promise.resolve()
    },
    getJwt: () => sendAndWait({ action: 'getJwt' }, 'jwt').then(event => event.jwt),
    dispose() {
      if (disposed) return
      endSession('disposed', 'The Talk bridge was disposed')
      disposed = true
      target.removeEventListener('message', onMessage)
      if (typeof frame !== 'function') frame.removeEventListener('load', onFrameLoad)
      listeners.clear()
      sessionListeners.clear()
    },
  }
  return bridge
}
