import { defineStore } from 'pinia'
import { computed, markRaw, onScopeDispose, ref, shallowRef } from 'vue'
import { isTalkError, normalizeTalkNumber, TalkError, tryParseTalkTime } from '../protocol/index'
import type { TalkBridge, TalkCallEvent, TalkCommand, TalkCommandAction, TalkDiagnostic, TalkEvent, TalkMetadata, TalkSettings, TalkSmsEvent } from '../protocol/index'
import { talkSettingsFields } from '../protocol/commands'
import { jsonRecord, object, SchemaIssue } from '../protocol/schema'
import { createTalkTabs } from '../tabs/coordinator'
import type { TalkTabChange, TalkTabs, TalkTabsRole } from '../tabs/coordinator'
import type { TalkTabsEnvironment } from '../tabs/environment'
import { callElapsedSeconds, deriveTalkStatus, initialTalkState, nextTalkState, withAvailability } from './call-machine'
import type { TalkAgent, TalkCallState, TalkMachineInput, TalkMachineState, TalkStatus } from './call-machine'
import type { TalkContact, TalkContactLookup, TalkContactResolver, TalkContactResolverOptions, TalkLookupState } from './contact-lookup'
import { mergeHistory } from './history-entry'
import type { TalkHistoryEntry } from './history-entry'
import { createHistoryStorage } from './history-storage'
import type { TalkHistoryStorage } from './history-storage'
import { createRecentList, pastSlack } from './recent-list'
import { readTabSnapshot } from './tab-snapshot'
import type { TalkLastError, TalkTabSnapshot } from './tab-snapshot'

export type { TalkLastError } from './tab-snapshot'
export type { TalkTabChange } from '../tabs/coordinator'
export type { TalkHostCause } from '../tabs/messages'

/** The call in progress, as `useTalkStore().activeCall` shows it. */
export type TalkActiveCall = Omit<TalkCallState, 'ringAt' | 'connectedAt' | 'endedAt' | 'ringStart' | 'callStart' | 'callEnd'> & {
  /** Talk's timestamps in epoch ms; `null` when missing or unreadable. */
  ringStart: number | null
  callStart: number | null
  callEnd: number | null
  /** Live seconds: talk time when connected, ring time when ringing, frozen when the call ends. */
  elapsed: number
  /** The caller's contact found by `resolveContact`; `null` while looking, when none matched, or without a resolver. */
  contact: TalkContact | null
  /** How far that lookup got; `null` when nobody looks (no resolver, or the call's id is unknown). */
  contactLookup: TalkContactLookup | null
}

/** One SMS the agent sent from Talk. */
export interface TalkSmsLogEntry {
  sms: string
  callId: number | null
  at: number
}

/** One line of the debug log: what moved, which way, when. Never a payload (no tokens, no numbers). */
export interface TalkDebugEntry {
  at: number
  /** `in`: an event from Talk; `out`: a command to Talk; `diagnostic`: a dropped message or a local problem. */
  direction: 'in' | 'out' | 'diagnostic'
  action: string
  /** A short, payload-free note (e.g. a call id, a diagnostic reason). */
  note?: string
}

/** How the store keeps its history and reports problems; set once by `createTalk`. */
export interface TalkStoreConfig {
  history?: { persist?: boolean, limit?: number }
  /** A custom history storage (tests, or an app with its own persistence). */
  storage?: TalkHistoryStorage
  /** Also print the debug log to the console. */
  debug?: boolean
  onDiagnostic?: (diagnostic: TalkDiagnostic) => void
}

/**
 * How this tab takes part in sharing one Talk between tabs: `independent` (its own Talk:
 * `tabs: 'independent'`, or a browser without Web Locks or BroadcastChannel), `connecting`
 * (finding out), `host` (its `<TalkFrame>` shows Talk) or `follower` (another tab does).
 */
export type TalkTabRole = 'independent' | TalkTabsRole

/** Where a Talk event came from; `useTalk().on()` listeners get it beside the event. */
export interface TalkEventContext {
  /**
   * `true`: from the Talk frame in this tab (the host, or a tab on its own); `false`: relayed by
   * the tab hosting Talk. Do what must happen once per event (filing a call) only when `true`.
   */
  local: boolean
}

/** This tab's part in sharing Talk, for the UI. */
export interface TalkTabState {
  role: TalkTabRole
  /** A tab hosting Talk is known (`true` for the host itself and for independent tabs). */
  hostKnown: boolean
  /** The last time Talk moved between tabs while this one was open; `null` if it never did. */
  change: TalkTabChange | null
}

type EventListener = (event: TalkEvent, context: TalkEventContext) => void

const independent: TalkTabState = { role: 'independent', hostKnown: true, change: null }
const LOCAL: TalkEventContext = Object.freeze({ local: true })
const RELAYED: TalkEventContext = Object.freeze({ local: false })
const readSettings = object(talkSettingsFields)

const DEBUG_LOG_SIZE = 200
const DEFAULT_HISTORY_LIMIT = 1000

/** The Talk state of the page: agent status, active call, history; the one place the UI reads from. */
export const useTalkStore = defineStore('leaddesk-talk', () => {
  const machine = shallowRef<TalkMachineState>(initialTalkState)
  const bridgeRef = shallowRef<TalkBridge | null>(null)
  const historyList = createRecentList<TalkHistoryEntry>(() => historyLimit)
  const history = historyList.items
  const historyReady = ref(false)
  const smsList = createRecentList<TalkSmsLogEntry>(() => DEBUG_LOG_SIZE)
  // Shallow, like every field the host sends other tabs: plain data, which a BroadcastChannel can clone.
  const lastError = shallowRef<TalkLastError | null>(null)
  const debugList = createRecentList<TalkDebugEntry>(() => DEBUG_LOG_SIZE)
  const now = ref(Date.now())
  const tab = shallowRef<TalkTabState>(independent)
  const tabsRef = shallowRef<TalkTabs<TalkTabSnapshot> | null>(null)
  /** The host tab's Talk frame, as a follower knows it; `null` while no host is known. */
  const remote = shallowRef<{ connected: boolean } | null>(null)
  /** What Talk was last given with `useSettings` and `setMetadata`, here or in the host tab. */
  const settings = shallowRef<TalkSettings | null>(null)
  const metadata = shallowRef<TalkMetadata | null>(null)
  const lookup = shallowRef<TalkLookupState | null>(null)
  let resolver: (Required<TalkContactResolverOptions> & { resolve: TalkContactResolver }) | null = null

  let config: Required<Pick<TalkStoreConfig, 'debug'>> & TalkStoreConfig = { debug: false }
  let storage: TalkHistoryStorage | null = null
  let historyLimit = DEFAULT_HISTORY_LIMIT
  let loading: Promise<void> | null = null
  /** Call ids whose `completed` is being stored or is in the history: duplicates are dropped. */
  let completedIds = new Set<number>()
  let eventListeners: EventListener[] = []
  /** The host's last error this tab showed, so an error dismissed here does not come back with the next state. */
  let shownHostError: TalkLastError | null = null
  let disconnectTabs: (() => void) | null = null

  const status = computed<TalkStatus>(() => deriveTalkStatus(machine.value))
  const agent = computed<TalkAgent>(() => machine.value.agent)
  const activeCall = computed<TalkActiveCall | null>(() => {
    const call = machine.value.call
    if (!call) return null
    const { ringAt: _r, connectedAt: _c, endedAt: _e, ...shown } = call
    const found = lookup.value?.callId === call.id ? lookup.value : null
    return {
      ...shown,
      ringStart: tryParseTalkTime(call.ringStart),
      callStart: tryParseTalkTime(call.callStart),
      callEnd: tryParseTalkTime(call.callEnd),
      elapsed: callElapsedSeconds(call, now.value),
      contact: found?.contact ?? null,
      contactLookup: found?.state ?? null,
    }
  })
  const connected = computed(() => bridgeRef.value !== null || remote.value?.connected === true)
  const bridge = computed(() => bridgeRef.value)
  // Why the call in Talk stops a new call, or Talk's move to another tab (a new Talk session there:
  // whatever call it holds would be lost). A ringing call is not "on a call" yet.
  const moveBlockedReason = computed<string | null>(() => {
    switch (machine.value.call?.phase) {
      case 'ringing': return 'A call is ringing'
      case 'connected': return 'A call is in progress'
      case 'wrap-up': return 'The last call is still in wrap-up'
      case undefined: return null
    }
  })
  const callBlockedReason = computed<string | null>(() => {
    if (!connected.value) return 'Talk is not loaded'
    if (!machine.value.agent.loggedIn) return 'Log in to Talk first'
    if (machine.value.call) return moveBlockedReason.value
    if (!machine.value.agent.enabled) return 'You are unavailable'
    return null
  })
  const canCall = computed(() => callBlockedReason.value === null)

  // The clock ticks only while a timer is visible, so an idle page does no work.
  let timer: ReturnType<typeof setInterval> | null = null

  /**
   * The one way the machine state changes: also starts or stops the clock when a timer appears
   * or goes, and (in the host tab) tells the other tabs, unless `quiet` (the caller tells them).
   */
  function setMachine(next: TalkMachineState, quiet = false) {
    machine.value = next
    if (!quiet) share()
    const ticking = next.call !== null && next.call.phase !== 'wrap-up'
    if (ticking === (timer !== null)) return
    if (timer) clearInterval(timer)
    timer = null
    now.value = Date.now()
    if (ticking) timer = setInterval(() => {
      now.value = Date.now()
    }, 1000)
  }

  /** What the other tabs show of this one when it hosts Talk. */
  function snapshot(): TalkTabSnapshot {
    return { machine: machine.value, connected: bridgeRef.value !== null, lastError: lastError.value, settings: settings.value, metadata: metadata.value, lookup: lookup.value }
  }

  /** In the host tab: sends the state (and the event that changed it) to the other tabs. */
  function share(event?: TalkEvent) {
    if (tab.value.role === 'host') tabsRef.value?.publish(snapshot(), event)
  }

  function emit(event: TalkEvent, context: TalkEventContext) {
    for (const listener of eventListeners) {
      try {
        listener(event, context)
      }
      catch (error) {
        diagnose({ kind: 'listener-error', reason: `A listener threw: ${error}`, action: event.action })
      }
    }
  }
  onScopeDispose(() => {
    if (timer) clearInterval(timer)
    timer = null
  })

  function log(entry: Omit<TalkDebugEntry, 'at'>) {
    const line: TalkDebugEntry = { at: Date.now(), direction: entry.direction, action: entry.action, note: entry.note }
    debugList.add(line)
    if (config.debug) console.debug('[leaddesk-talk]', line.direction, line.action, line.note ?? '')
  }

  function diagnose(diagnostic: TalkDiagnostic) {
    log({ direction: 'diagnostic', action: diagnostic.action ?? diagnostic.kind, note: diagnostic.reason })
    config.onDiagnostic?.(diagnostic)
  }

  function fail(error: unknown, action?: TalkCommandAction) {
    const code: TalkLastError['code'] = isTalkError(error) ? error.code : 'talk'
    lastError.value = { message: error instanceof Error ? error.message : String(error), code, at: Date.now(), action }
    share()
  }

  function ensureStorage(): TalkHistoryStorage {
    if (storage) return storage
    historyLimit = config.history?.limit ?? DEFAULT_HISTORY_LIMIT
    storage = config.storage ?? createHistoryStorage({
      persist: config.history?.persist ?? true,
      limit: historyLimit,
      onSkipped: reason => diagnose({ kind: 'invalid-message', reason }),
    })
    return storage
  }

  /** Loads the stored history once (later calls return the same promise); `historyReady` turns true when done, even on failure. */
  function loadHistory(): Promise<void> {
    loading ??= (async () => {
      const store = ensureStorage()
      try {
        await store.open()
        const stored = await store.loadRecent(historyLimit)
        for (const entry of stored) completedIds.add(entry.id)
        historyList.replace(mergeHistory(history.value, stored, historyLimit))
      }
      catch (error) {
        fail(new Error(`Call history could not be loaded: ${error instanceof Error ? error.message : String(error)}`))
        log({ direction: 'diagnostic', action: 'history', note: 'Call history storage is unavailable; history is kept for this page only' })
      }
      finally {
        historyReady.value = true
      }
    })()
    return loading
  }

  /** Sets how history is stored and how problems are reported. Once storage is in use, later calls only update `debug` and `onDiagnostic`. */
  function configure(next: TalkStoreConfig = {}): void {
    config = storage ? { ...config, debug: next.debug ?? false, onDiagnostic: next.onDiagnostic } : { ...next, debug: next.debug ?? false }
  }

  /** Adds a finished call to the history; `persist`: also to storage (the host tab's job: storage is shared by the tabs). */
  async function recordCompleted(event: Extract<TalkEvent, { action: 'completed' }>, persist: boolean) {
    const id = event.call.id
    if (completedIds.has(id)) return log({ direction: 'diagnostic', action: 'completed', note: `duplicate for call ${id} ignored` })
    completedIds.add(id)
    // The ids of the history (and of calls being stored) keep duplicates out; older ones are
    // dropped now and then by rebuilding the set, never one by one, so it does not grow all day.
    if (pastSlack(completedIds.size, historyLimit)) completedIds = new Set([...completedIds].slice(-historyLimit))
    // A bare spread, then the new field: a spread with extra keys takes a much slower path in V8.
    const entry = { ...event.call } as TalkHistoryEntry
    entry.completedAt = Date.now()
    // Stored before it is shown: what the agent sees in the history survives a reload.
    try {
      if (persist) await ensureStorage().append(entry)
    }
    catch (error) {
      fail(new Error(`Call ${id} could not be saved to the history: ${error instanceof Error ? error.message : String(error)}`))
      log({ direction: 'diagnostic', action: 'completed', note: `call ${id} could not be stored; it is shown but will not survive a reload` })
    }
    // The usual case is a call newer than every stored one (completedIds rules out duplicates).
    const newest = historyList.newest()
    if (!newest || entry.completedAt >= newest.completedAt) historyList.add(entry)
    else historyList.replace(mergeHistory([entry], history.value, historyLimit))
  }

  function apply(input: TalkMachineInput) {
    setMachine(nextTalkState(machine.value, input, Date.now()))
  }

  /** An event from the Talk frame of this tab: the machine moves, and the other tabs hear of it. */
  function receive(event: TalkEvent) {
    log({ direction: 'in', action: event.action, note: event.action === 'call' ? `call ${event.id} ${event.direction}` : undefined })
    setMachine(nextTalkState(machine.value, event, Date.now()), true)
    if (event.action === 'error') lastError.value = { message: event.message, code: 'talk', at: Date.now() }
    if (event.action === 'call' && machine.value.call?.id === event.id) lookUp(event)
    record(event, true)
    share(event)
    emit(event, LOCAL)
  }

  /** An event the host tab relayed, after its state arrived: only what this tab keeps of it. */
  function receiveRelayed(event: TalkEvent) {
    log({ direction: 'in', action: event.action, note: event.action === 'call' ? `call ${event.id} ${event.direction} via the host tab` : 'via the host tab' })
    record(event, false)
    emit(event, RELAYED)
  }

  function record(event: TalkEvent, local: boolean) {
    switch (event.action) {
      case 'completed':
        void recordCompleted(event, local)
        break
      case 'sms':
        smsList.add(smsEntry(event))
        break
      default:
        break
    }
  }

  /**
   * Asks the app's resolver for the caller of a new call, in the tab whose Talk rang. The call
   * never waits for it: a slow resolver is cut off by the timeout, a failing one is reported as a
   * diagnostic, and an answer that arrives after its call was replaced or ended is dropped. Then
   * Talk's metadata follows the caller, so its SMS greets the right person: the contact's for a
   * match; for an inbound call without one, none (the last contact's would be wrong).
   */
  function lookUp({ id, number, direction }: TalkCallEvent) {
    const current = resolver
    if (!current || lookup.value?.callId === id) return
    lookup.value = { callId: id, state: 'pending', contact: null }
    let timer: ReturnType<typeof setTimeout> | undefined
    const settle = (state: TalkContactLookup, contact: TalkContact | null) => {
      clearTimeout(timer)
      if (lookup.value?.callId !== id || machine.value.call?.id !== id) return
      lookup.value = { callId: id, state, contact }
      share()
      const bridge = bridgeRef.value
      const data = contact ? current.metadata(contact) : direction === 'in' && metadata.value && Object.keys(metadata.value).length ? {} : null
      if (bridge && data && JSON.stringify(data) !== JSON.stringify(metadata.value)) {
        log({ direction: 'out', action: 'setMetadata', note: `caller of call ${id}` })
        execute(bridge, { action: 'setMetadata', metadata: data }).catch(error => lookupFailed(id, error))
      }
    }
    new Promise<TalkContact | null>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${current.timeout} ms`)), current.timeout)
      // Followed, not adopted: a promise resolved with another one would ignore the timeout.
      Promise.resolve(current.resolve(number, { id, direction })).then(resolve, reject)
    }).then((contact) => {
      if (contact !== null) jsonRecord(contact)
      return contact
    }).then(contact => settle(contact ? 'found' : 'not-found', contact), (error: unknown) => {
      lookupFailed(id, error)
      settle('failed', null)
    })
  }

  function lookupFailed(id: number, error: unknown) {
    // The resolver's own message may quote the number (a request URL): digit runs are masked.
    const reason = (error instanceof SchemaIssue ? 'it returned no plain JSON object' : error instanceof Error ? error.message : String(error)).replace(/\d[\d\s().-]{4,}\d/g, '…')
    diagnose({ kind: 'contact-lookup', reason: `Caller of call ${id} not identified: ${reason}` })
  }

  /** Sets (or, with `null`, removes) the function that finds the caller's contact; returns the function that removes it. */
  function setContactResolver(resolve: TalkContactResolver | null, options: TalkContactResolverOptions = {}): () => void {
    const next = resolve && { resolve, timeout: options.timeout ?? 3000, metadata: options.metadata ?? (contact => contact as unknown as TalkMetadata) }
    resolver = next
    return () => {
      if (resolver === next) resolver = null
    }
  }

  /** The host tab's state (`null`: no tab hosts Talk now). */
  function applyHostState(state: TalkTabSnapshot | null) {
    remote.value = state && { connected: state.connected }
    setMachine(state?.machine ?? initialTalkState, true)
    if (!state) return
    settings.value = state.settings
    metadata.value = state.metadata
    lookup.value = state.lookup
    const error = state.lastError
    if (error && (error.at !== shownHostError?.at || error.message !== shownHostError.message)) lastError.value = shownHostError = error
  }

  /** Connects the store to a bridge (done by `<TalkFrame>`); returns the function that disconnects it. */
  function attach(next: TalkBridge): () => void {
    if (bridgeRef.value && bridgeRef.value !== next) log({ direction: 'diagnostic', action: 'attach', note: 'A second Talk frame was attached; the store now follows the newest one' })
    void loadHistory()
    // A new Talk session (another URL, or Talk moving to this tab) gets what the last one was given; the bridge sends it after login.
    if (settings.value) void next.useSettings(settings.value).catch(diagnoseFailure)
    if (metadata.value) void next.setMetadata(metadata.value).catch(diagnoseFailure)
    const stops = [
      next.onAny(receive),
      next.onSession((session) => {
        if (!session.loggedIn && machine.value.agent.loggedIn) apply({ action: 'session-ended' })
      }),
    ]
    bridgeRef.value = markRaw(next)
    setMachine(next.session.loggedIn
      ? { agent: { loggedIn: true, language: next.session.language, enabled: true }, call: null }
      : initialTalkState)
    let attached = true
    return () => {
      if (!attached) return
      attached = false
      for (const stop of stops) stop()
      if (bridgeRef.value === next) {
        bridgeRef.value = null
        apply({ action: 'session-ended' })
      }
    }
  }

  function diagnoseFailure(error: unknown) {
    diagnose({ kind: 'tab-error', reason: `Could not hand the last settings to the new Talk session: ${error}` })
  }

  /** Runs `command` against the Talk frame of this tab and keeps what every later Talk session needs. */
  function execute(current: TalkBridge, command: TalkCommand): Promise<string | void> {
    switch (command.action) {
      case 'call': return current.call(command.number, { autocall: command.autocall }).then(() => {})
      case 'answer': return current.answer()
      case 'hangup': return current.hangup()
      case 'reset': return current.reset().then(() => setMachine(withAvailability(machine.value, true)))
      case 'setStatus': return current.setStatus(command.enabled).then(() => setMachine(withAvailability(machine.value, command.enabled)))
      case 'setMetadata': return current.setMetadata(command.metadata).then(() => {
        metadata.value = JSON.parse(JSON.stringify(command.metadata)) as TalkMetadata
        share()
      })
      case 'useSettings': {
        const { action: _action, ...next } = command
        return current.useSettings(next).then(() => {
          settings.value = { ...settings.value, ...readSettings(next) }
          share()
        })
      }
      case 'getJwt': return current.getJwt()
      default: {
        const unreachable: never = command
        return unreachable
      }
    }
  }

  /**
   * Runs a command: against this tab's Talk frame, or forwarded to the tab hosting Talk (which
   * answers with its result). `build` runs inside the promise, so an invalid argument rejects.
   * A failure also becomes `lastError`.
   */
  function run(action: TalkCommandAction, build: () => TalkCommand, note?: string): Promise<string | void> {
    return Promise.resolve().then(() => {
      const current = bridgeRef.value
      const { role } = tab.value
      const forward = !current && (role === 'follower' || role === 'connecting')
      if (!current && !forward) throw new TalkError('not-logged-in', `Cannot ${action}: Talk is not loaded`)
      log({ direction: 'out', action, note: forward ? [note, 'to the host tab'].filter(Boolean).join(' ') : note })
      const command = build()
      return current ? execute(current, command) : tabsRef.value!.request(command)
    }).catch((error: unknown) => {
      fail(error, action)
      throw error
    })
  }

  /** Lets this store share one Talk with the store of every other tab of the app (done by `createTalk`); returns the function that stops it. */
  function coordinateTabs(environment: TalkTabsEnvironment, options: { timeout?: number } = {}): () => void {
    disconnectTabs?.()
    const tabs = markRaw(createTalkTabs<TalkTabSnapshot>({ ...environment, readState: readTabSnapshot, timeout: options.timeout, onDiagnostic: diagnose }))
    tabsRef.value = tabs
    const onStatus = ({ role, hostKnown, change }: TalkTabState) => {
      const was = tab.value.role
      tab.value = { role, hostKnown, change }
      // Hosting now: until this tab's own Talk logs in, the other tabs see it starting.
      if (role === 'host' && was !== 'host') {
        remote.value = null
        if (!bridgeRef.value) setMachine(initialTalkState)
      }
    }
    const stops = [
      tabs.onStatus(onStatus),
      tabs.bind({
        snapshot,
        execute: command => run(command.action, () => command, 'for another tab'),
        moveBlocked: () => moveBlockedReason.value,
        state: applyHostState,
        event: receiveRelayed,
      }),
    ]
    onStatus(tabs.status)
    const disconnect = () => {
      if (disconnectTabs !== disconnect) return
      disconnectTabs = null
      for (const stop of stops) stop()
      tabs.dispose()
      tabsRef.value = null
      tab.value = independent
      remote.value = null
    }
    disconnectTabs = disconnect
    return disconnect
  }

  const done = () => {}

  return {
    status, agent, activeCall, history, historyReady, smsLog: smsList.items, lastError, debugLog: debugList.items, connected, bridge,
    canCall, callBlockedReason, tab, moveBlockedReason, settings, metadata,
    /** The tabs this store shares Talk with; `null` when it runs its own Talk (independent). */
    tabs: computed(() => tabsRef.value),
    /** Dials `number` (or only fills Talk's number field with `autocall: false`). */
    call: (number: string | number, opts: { autocall?: boolean } = {}) =>
      run('call', () => ({ action: 'call', number: normalizeTalkNumber(number), autocall: opts.autocall ?? true })).then(done),
    /** Answers the ringing inbound call. */
    answer: () => run('answer', () => ({ action: 'answer' })).then(done),
    /** Hangs up the ringing or ongoing call. */
    hangup: () => run('hangup', () => ({ action: 'hangup' })).then(done),
    /** Clears Talk's number field and restores the availability changed by `setAvailable`. */
    reset: () => run('reset', () => ({ action: 'reset' })).then(done),
    /** Makes the agent available or unavailable for calls. */
    setAvailable: (enabled: boolean) => run('setStatus', () => ({ action: 'setStatus', enabled })).then(done),
    /** Gives Talk contact data (used in its SMS); kept and given to every later Talk session, in whichever tab. */
    setMetadata: (data: TalkMetadata) => run('setMetadata', () => ({ action: 'setMetadata', metadata: data })).then(done),
    /** Applies Talk settings such as `preventManualCalling`; kept and given to every later Talk session, in whichever tab. */
    useSettings: (next: TalkSettings) => run('useSettings', () => ({ action: 'useSettings', ...next })).then(done),
    /** Asks Talk for a JWT (audience 'cti'); the token is returned, never kept in the store (from another tab, it reaches only this one). */
    requestJwt: () => run('getJwt', () => ({ action: 'getJwt' })).then((token) => {
      if (typeof token !== 'string') throw new TalkError('talk-error', 'The answer to getJwt carried no token')
      return token
    }),
    /** Moves Talk to this tab ("Use Talk in this tab"): resolves once this tab's `<TalkFrame>` hosts it. */
    moveTalkHere: () => tabsRef.value?.claim() ?? Promise.resolve(),
    /** Calls `handler` for every Talk event, with where it came from; returns an unsubscribe function. */
    onEvent(handler: EventListener): () => void {
      eventListeners = [...eventListeners, handler]
      return () => void (eventListeners = eventListeners.filter(l => l !== handler))
    },
    coordinateTabs, setContactResolver,
    /** Deletes the call history here and in storage. */
    async clearHistory() {
      historyList.replace([])
      completedIds.clear()
      try {
        await ensureStorage().clear()
      }
      catch (error) {
        fail(error)
        throw error
      }
    },
    /** Hides the last error (in this tab). */
    dismissError: () => { lastError.value = null },
    attach, configure, loadHistory,
    /** Records a diagnostic from the bridge or the frame in the debug log. */
    diagnose,
  }
})

function smsEntry(event: TalkSmsEvent): TalkSmsLogEntry {
  return { sms: event.sms, callId: event.callId ?? null, at: Date.now() }
}

/** The store's type, for typing props and helpers. */
export type TalkStore = ReturnType<typeof useTalkStore>
