import type { TalkDiagnostic, TalkDiagnosticKind } from '../protocol/bridge'
import type { TalkCommand } from '../protocol/commands'
import { isTalkError, TalkError } from '../protocol/errors'
import type { TalkEvent } from '../protocol/messages'
import { talkCommandFields } from '../protocol/commands'
import { parseMessage } from '../protocol/parse'
import type { Validator } from '../protocol/schema'
import type { TalkTabsEnvironment } from './environment'
import { parseTabMessage, TABS_APP, TABS_VERSION, tabMessageFields } from './messages'
import type { TalkCommandOutcome, TalkHostCause, TalkHostStamp, TalkTabMessage, TalkTabOutgoing } from './messages'

/** This tab's part: still finding out, hosting Talk, or following the tab that does. */
export type TalkTabsRole = 'connecting' | 'host' | 'follower'

/** The last time Talk moved between tabs, as this tab saw it. */
export interface TalkTabChange {
  cause: TalkHostCause
  /** `true`: Talk moved to this tab; `false`: it moved to (or went away from) another one. */
  here: boolean
  at: number
}

/** What the tabs' UI shows: this tab's role, whether a host is known, and the last move. */
export interface TalkTabsStatus {
  role: TalkTabsRole
  /** A tab hosting Talk is known (always `true` for the host itself). */
  hostKnown: boolean
  /** `null` until Talk moves while this tab is open. */
  change: TalkTabChange | null
}

/** What the tabs need from the store: its state to send, and where to apply what arrives. */
export interface TalkTabsClient<S> {
  /** The state to send to the other tabs (host). */
  snapshot(): S
  /** Runs a command a follower forwarded, against this tab's Talk frame (host). */
  execute(command: TalkCommand): Promise<string | void>
  /** Why Talk cannot move away from this tab now (a call is on), or `null` (host). */
  moveBlocked(): string | null
  /** The host's state, or `null` when no tab hosts Talk (follower). */
  state(state: S | null): void
  /** A Talk event the host received, after its `state` (follower). */
  event(event: TalkEvent): void
}

/** The `<TalkFrame>` of this tab, taking part in the election. */
export interface TalkTabsFrame {
  /** This tab now hosts Talk: create the iframe. */
  start(): void
  /** Remove the iframe; resolve once it is gone from the page. */
  stop(): Promise<void>
}

/** Options of `createTalkTabs`. */
export interface TalkTabsOptions<S> extends TalkTabsEnvironment {
  /** Validates the host's state snapshot as it arrives; throws a `SchemaIssue` for anything else. */
  readState: Validator<S>
  /** Names the locks and channels; tabs with the same name share one Talk. Default: `'nuxt-leaddesk-talk'`. */
  name?: string
  /** How long the host's bridge waits for Talk, in ms; a follower waits a little longer for the host. Default: 15000. */
  timeout?: number
  /** How long a new tab waits for the host's state before showing itself as a follower anyway, in ms. Default: 1000. */
  helloTimeout?: number
  /** How long "Use Talk in this tab" waits for the host to hand over, in ms. Default: 10000. */
  claimTimeout?: number
  onDiagnostic?: (diagnostic: TalkDiagnostic) => void
}

/** Coordination of the tabs that share one Talk: which one hosts it, and what the others see and send. */
export interface TalkTabs<S> {
  /** This tab's id (random). */
  readonly id: string
  /** The current status (a snapshot). */
  readonly status: TalkTabsStatus
  /** Calls `handler` whenever the status changes; returns an unsubscribe function. */
  onStatus(handler: (status: TalkTabsStatus) => void): () => void
  /** Connects the store; returns the function that disconnects it. */
  bind(client: TalkTabsClient<S>): () => void
  /** Sends the host's state (and the event that changed it) to the other tabs; does nothing unless this tab hosts Talk. */
  publish(state: S, event?: TalkEvent): void
  /** Forwards a command to the host tab; resolves or rejects with the host's result (`timeout` when no host answers). */
  request(command: TalkCommand): Promise<string | void>
  /** Puts this tab's `<TalkFrame>` up for hosting Talk; returns the function that withdraws it (call it once the iframe is gone). */
  join(frame: TalkTabsFrame): () => void
  /** Moves Talk to this tab ("Use Talk in this tab"): the host removes its iframe first, then this tab creates its own. */
  claim(): Promise<void>
  /** Leaves the election, rejects waiting commands with `disposed`, closes the channels. */
  dispose(): void
}

type Pending = {
  command: TalkCommand
  /** The host it was sent to; `null` while no host is known. */
  sentTo: string | null
  finish: (error: TalkError | null, value?: string | void) => void
}

type Claim = { finish: (error: TalkError | null) => void }

/** A follower waits this much longer than the host's own timeout, so the host's answer (and its error code) arrives first. */
const HOST_MARGIN_MS = 1000

const isAbort = (error: unknown) => (error as { name?: unknown } | null)?.name === 'AbortError'

function randomId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * Makes the tabs of one browser profile share one Talk. The tab holding the Web Lock
 * `<name>:host` hosts it: its `<TalkFrame>` creates the iframe, its store sends every state
 * and event over the BroadcastChannel `<name>`, and it runs the commands the other tabs
 * forward to its inbox (`<name>:tab:<id>`); answers, JWTs included, go only to the asking
 * tab's inbox. The others queue for the lock, so when the host closes or crashes the browser
 * hands it to the next one at once. Every tab also holds `<name>:tab:<id>` while it lives,
 * which lets followers notice at once that the host is gone.
 *
 * Moving Talk on purpose: the claiming tab holds `<name>:claim` and asks the host; the host
 * removes its iframe, then releases the host lock. A tab that gets the host lock while another
 * tab holds the claim passes it on (releases and queues again), so it reaches the claimer.
 * A tab creates the iframe only while it holds the host lock and removes it before releasing,
 * so two tabs never show Talk at once.
 */
export function createTalkTabs<S>(options: TalkTabsOptions<S>): TalkTabs<S> {
  const { locks, openChannel, name = TABS_APP, timeout = 15_000, helloTimeout = 1000, claimTimeout = 10_000 } = options
  const id = randomId()
  const fields = tabMessageFields(options.readState)
  const hostLock = `${name}:host`
  const claimLock = `${name}:claim`
  /** A tab's own name: its lock (held while it lives) and its inbox channel. */
  const ownName = (tab: string) => `${name}:tab:${tab}`

  const report = (kind: TalkDiagnosticKind, reason: string) => {
    try {
      options.onDiagnostic?.({ kind, reason })
    }
    catch {
      // A broken diagnostics hook must not break the tabs.
    }
  }

  let status: TalkTabsStatus = { role: 'connecting', hostKnown: false, change: null }
  let statusHandlers: ((status: TalkTabsStatus) => void)[] = []
  let client: TalkTabsClient<S> | null = null
  let disposed = false

  // Following: the host whose state this tab shows, and how far it has got.
  let host: { id: string, since: number } | null = null
  let applied = -1
  /** The `since` of the latest host known to have stopped: anything from it or an older host is stale. */
  let floor = 0
  let watching: AbortController | null = null
  let everFollowed = false

  // Hosting: since when, how many states sent, why.
  let since = 0
  let seq = 0
  let hostCause: TalkHostCause = 'first'
  let release: (() => void) | null = null
  let handingOver = false

  // The election: this tab's frame, its place in the lock queue, a claim in progress.
  let frame: TalkTabsFrame | null = null
  let queued: AbortController | null = null
  let claim: Claim | null = null
  let claiming: Promise<void> | null = null

  let lastRequest = 0
  const pending = new Map<number, Pending>()

  const shared = openChannel(name)
  const inbox = openChannel(ownName(id))
  shared.addEventListener('message', onMessage)
  inbox.addEventListener('message', onMessage)

  // Held for the tab's life: followers queue for it to learn the moment a host goes away.
  let releaseTab: () => void = () => {}
  const tabLockHeld = new Promise<void>((held) => {
    locks.request(ownName(id), {}, () => new Promise<void>((done) => {
      releaseTab = done
      held()
    })).catch((error) => {
      // Still takes part; only the followers' instant notice of this tab closing is lost.
      report('tab-error', `The tab's own lock failed: ${error}`)
      held()
    })
  })

  const helloTimer = setTimeout(() => {
    if (status.role === 'connecting') setStatus({ role: 'follower' })
  }, helloTimeout)
  post({ type: 'hello' })

  function setStatus(patch: Partial<TalkTabsStatus>) {
    status = { ...status, ...patch }
    for (const handler of statusHandlers) handler(status)
  }

  function envelope(message: TalkTabOutgoing<S>) {
    return { app: TABS_APP, v: TABS_VERSION, from: id, ...message }
  }

  function post(message: TalkTabOutgoing<S>) {
    try {
      shared.postMessage(envelope(message))
    }
    catch (error) {
      report('tab-error', `Could not post ${message.type} to the other tabs: ${error}`)
    }
  }

  /** Posts to one tab's inbox: answers (a JWT among them) reach that tab only. */
  function send(to: string, message: TalkTabOutgoing<S>) {
    try {
      const channel = openChannel(ownName(to))
      channel.postMessage(envelope(message))
      channel.close()
    }
    catch (error) {
      report('tab-error', `Could not post ${message.type} to another tab: ${error}`)
    }
  }

  const stamp = (): TalkHostStamp => ({ since, seq, cause: hostCause })

  function publish(state: S, event?: TalkEvent) {
    if (status.role !== 'host') return
    seq++
    post(event ? { type: 'event', host: stamp(), state, event } : { type: 'state', host: stamp(), state })
  }

  function onMessage(event: MessageEvent) {
    if (disposed) return
    const result = parseTabMessage(event.data, fields)
    if (!result.ok) return report('invalid-tab-message', result.reason)
    const message = result.message
    if (message.from === id) return
    switch (message.type) {
      case 'hello':
        if (status.role === 'host' && client) post({ type: 'state', host: stamp(), state: client.snapshot() })
        break
      case 'state':
        follow(message.from, message.host, message.state)
        break
      case 'event':
        // Applied even from a host that has been replaced since: the event happened.
        follow(message.from, message.host, message.state)
        if (status.role !== 'host') client?.event(message.event)
        break
      case 'left':
        hostGone(message.from, message.to !== null)
        break
      case 'command':
        void serve(message)
        break
      case 'result':
        onResult(message)
        break
      case 'claim':
        void handOver(message.from)
        break
      case 'refused':
        if (host?.id === message.from) claim?.finish(new TalkError('handover-refused', message.reason))
        break
      default: {
        const unreachable: never = message
        return unreachable
      }
    }
  }

  /** Takes a state from a host: a newer host replaces the one followed; an older one is ignored. */
  function follow(from: string, at: TalkHostStamp, state: S) {
    if (status.role === 'host' || at.since <= floor) return
    if (host?.id !== from) {
      if (host && at.since <= host.since) return
      adopt(from, at)
    }
    if (at.seq > applied) {
      applied = at.seq
      client?.state(state)
    }
  }

  function adopt(from: string, at: TalkHostStamp) {
    const firstContact = !everFollowed && floor === 0
    if (host) retire(host)
    host = { id: from, since: at.since }
    applied = -1
    everFollowed = true
    clearTimeout(helloTimer)
    watch(from)
    setStatus({ role: 'follower', hostKnown: true, change: firstContact ? null : { cause: at.cause, here: false, at: Date.now() } })
    for (const [key, entry] of pending) {
      if (entry.sentTo === null) dispatch(key, entry)
    }
    // A claim waits for whichever tab hosts Talk now.
    if (claim) send(from, { type: 'claim' })
  }

  /** The followed host stopped: what was sent to it will get no answer. */
  function retire(gone: { id: string, since: number }) {
    floor = Math.max(floor, gone.since)
    for (const [key, entry] of pending) {
      if (entry.sentTo === gone.id) settle(key, new TalkError('session-ended', `The tab with LeadDesk Talk went away before ${entry.command.action} was answered`))
    }
    watching?.abort()
    watching = null
  }

  /** The followed host stopped hosting; `moving`: it is handing Talk to another tab, which will say so. */
  function hostGone(from: string, moving = false) {
    if (host?.id !== from) return
    retire(host)
    host = null
    applied = -1
    client?.state(null)
    const change = moving ? status.change : { cause: 'previous-closed' as const, here: false, at: Date.now() }
    setStatus({ role: status.role === 'connecting' ? 'follower' : status.role, hostKnown: false, change })
  }

  /** Queues for the host's own lock, which the browser grants the moment that tab closes or crashes. */
  function watch(tab: string) {
    watching?.abort()
    const controller = new AbortController()
    watching = controller
    locks.request(ownName(tab), { signal: controller.signal }, () => {
      if (watching === controller) hostGone(tab)
    }).catch((error) => {
      if (!isAbort(error)) report('tab-error', `Could not watch the tab with LeadDesk Talk: ${error}`)
    })
  }

  // --- Commands ---------------------------------------------------------------------------

  function settle(key: number, error: TalkError | null, value?: string | void) {
    pending.get(key)?.finish(error, value)
  }

  function dispatch(key: number, entry: Pending) {
    if (status.role === 'host' && client) {
      entry.sentTo = id
      client.execute(entry.command).then(value => settle(key, null, value), error => settle(key, toTalkError(error)))
      return
    }
    if (!host) return
    entry.sentTo = host.id
    send(host.id, { type: 'command', id: key, command: entry.command })
  }

  function onResult(message: Extract<TalkTabMessage<S>, { type: 'result' }>) {
    const entry = pending.get(message.id)
    // A late answer (after a timeout) or one from a tab this one did not ask.
    if (!entry || entry.sentTo !== message.from) return
    // The host's state first, so whoever awaits the command sees what it changed.
    if (message.state !== null) follow(message.from, message.host, message.state)
    const { outcome } = message
    settle(message.id, outcome.ok ? null : new TalkError(outcome.code, outcome.message), outcome.ok ? outcome.value ?? undefined : undefined)
  }

  async function serve(message: Extract<TalkTabMessage<S>, { type: 'command' }>) {
    let outcome: TalkCommandOutcome
    if (status.role !== 'host' || !client || handingOver) {
      outcome = { ok: false, code: 'session-ended', message: 'This tab no longer hosts LeadDesk Talk' }
    }
    else {
      try {
        const value = await client.execute(message.command)
        outcome = { ok: true, value: typeof value == 'string' ? value : null }
      }
      catch (error) {
        const failure = toTalkError(error)
        outcome = { ok: false, code: failure.code, message: failure.message }
      }
    }
    const state = status.role === 'host' && client ? client.snapshot() : null
    send(message.from, { type: 'result', id: message.id, host: stamp(), state, outcome })
  }

  // --- The election -------------------------------------------------------------------------

  async function claimedElsewhere(): Promise<boolean> {
    if (claim) return false
    const { held = [] } = await locks.query()
    return held.some(lock => lock.name === claimLock)
  }

  function queue() {
    if (!frame || queued || status.role === 'host' || disposed) return
    const controller = new AbortController()
    queued = controller
    locks.request(hostLock, { signal: controller.signal }, async () => {
      if (!frame || disposed) return
      // Another tab is claiming Talk: let the lock pass on to it (this tab queues again).
      if (await claimedElsewhere() || !frame) return
      return new Promise<void>((done) => {
        release = done
        elected()
      })
    }).then(() => {
      if (queued === controller) queued = null
      queue()
    }, (error) => {
      if (queued === controller) queued = null
      if (!isAbort(error)) report('tab-error', `Could not queue for hosting LeadDesk Talk: ${error}`)
    })
  }

  function elected() {
    const cause: TalkHostCause = claim ? 'requested' : host || floor > 0 ? 'previous-closed' : 'first'
    if (host) retire(host)
    host = null
    clearTimeout(helloTimer)
    since = Math.max(Date.now(), floor + 1)
    seq = 0
    hostCause = cause
    setStatus({ role: 'host', hostKnown: true, change: cause === 'first' ? null : { cause, here: true, at: Date.now() } })
    try {
      frame!.start()
    }
    catch (error) {
      report('tab-error', `The Talk frame could not start in this tab: ${error}`)
    }
    // The frame's store usually announces itself while starting; if it did not, say who hosts now.
    if (seq === 0 && client) publish(client.snapshot())
    claim?.finish(null)
    for (const [key, entry] of pending) {
      if (entry.sentTo === null) dispatch(key, entry)
    }
  }

  /** Stops hosting: the iframe is gone before the lock is released, so two tabs never show Talk. */
  function resign(to: string | null) {
    post({ type: 'left', since, to })
    floor = Math.max(floor, since)
    setStatus({ role: 'follower', hostKnown: false })
    release?.()
    release = null
  }

  async function handOver(to: string) {
    // Not the host (any more): the claimer sends its claim again to whoever hosts Talk now.
    if (status.role !== 'host' || !frame || handingOver) return
    const blocked = client?.moveBlocked() ?? null
    if (blocked) return send(to, { type: 'refused', reason: blocked })
    handingOver = true
    try {
      await frame.stop()
    }
    finally {
      handingOver = false
      resign(to)
    }
  }

  /** Holds the claim lock while asking the host; settles when this tab hosts Talk, or with the reason it does not. */
  function requestClaim(): Promise<void> {
    return locks.request(claimLock, { ifAvailable: true }, lock => new Promise<void>((resolve, reject) => {
      if (!lock) return reject(new TalkError('handover-refused', 'Another tab is taking LeadDesk Talk over right now'))
      const timer = setTimeout(() => current.finish(new TalkError('timeout', `The tab with LeadDesk Talk did not hand it over in ${claimTimeout} ms`)), claimTimeout)
      const current: Claim = {
        finish(error) {
          if (claim !== current) return
          claim = null
          clearTimeout(timer)
          if (error) reject(error)
          else resolve()
        },
      }
      claim = current
      // No host known: the host lock comes here by itself, as other tabs pass it on while this claim is held.
      if (host) send(host.id, { type: 'claim' })
    }))
  }

  function toTalkError(error: unknown): TalkError {
    return isTalkError(error) ? error : new TalkError('talk-error', error instanceof Error ? error.message : String(error))
  }

  return {
    id,
    get status() {
      return status
    },
    onStatus(handler) {
      statusHandlers = [...statusHandlers, handler]
      return () => void (statusHandlers = statusHandlers.filter(h => h !== handler))
    },
    bind(next) {
      client = next
      return () => {
        if (client === next) client = null
      }
    },
    publish,
    request(command) {
      return new Promise((resolve, reject) => {
        if (disposed) throw new TalkError('disposed', 'Talk tabs disposed')
        // Checked here as the host will check it, so a bad argument fails at once instead of timing out.
        const checked = parseMessage<TalkCommand>(talkCommandFields, command)
        if (!checked.ok) throw new TalkError('invalid-argument', `${command.action}: ${checked.error.message}`)
        // Commands travel as structured clones: a Vue reactive proxy (metadata) cannot, its JSON copy can.
        const wire = JSON.parse(JSON.stringify(checked.value)) as TalkCommand
        const key = ++lastRequest
        const ms = timeout + HOST_MARGIN_MS
        const timer = setTimeout(() => settle(key, new TalkError('timeout', `No tab with LeadDesk Talk answered ${command.action} in ${ms} ms`)), ms)
        const entry: Pending = {
          command: wire,
          sentTo: null,
          finish(error, value) {
            clearTimeout(timer)
            pending.delete(key)
            if (error) reject(error)
            else resolve(value)
          },
        }
        pending.set(key, entry)
        dispatch(key, entry)
      })
    },
    join(next) {
      if (disposed) return () => {}
      const previous = frame
      frame = next
      if (previous && status.role === 'host') {
        // A new frame replaces this tab's own (a remount): it hosts without a new election.
        void previous.stop().then(() => {
          if (frame === next) next.start()
        })
      }
      else void tabLockHeld.then(queue)
      return () => {
        if (frame !== next) return
        frame = null
        queued?.abort()
        queued = null
        claim?.finish(new TalkError('disposed', 'The Talk frame left the page'))
        if (status.role === 'host') resign(null)
      }
    },
    claim() {
      if (status.role === 'host') return Promise.resolve()
      if (disposed) return Promise.reject(new TalkError('disposed', 'Talk tabs disposed'))
      if (!frame) return Promise.reject(new TalkError('no-frame', 'This tab shows no <TalkFrame> to move Talk into'))
      claiming ??= requestClaim().finally(() => void (claiming = null))
      return claiming
    },
    dispose() {
      if (disposed) return
      if (frame && status.role === 'host') resign(null)
      frame = null
      queued?.abort()
      queued = null
      claim?.finish(new TalkError('disposed', 'Talk tabs disposed'))
      for (const key of [...pending.keys()]) settle(key, new TalkError('disposed', 'Talk tabs disposed'))
      disposed = true
      clearTimeout(helloTimer)
      watching?.abort()
      releaseTab()
      shared.close()
      inbox.close()
      statusHandlers = []
      client = null
    },
  }
}
