import { defineStore } from 'pinia'
import { computed, markRaw, onScopeDispose, ref, shallowRef } from 'vue'
import { isTalkError, TalkError, tryParseTalkTime } from '../protocol/index'
import type { TalkBridge, TalkDiagnostic, TalkErrorCode, TalkEvent, TalkMetadata, TalkSettings, TalkSmsEvent } from '../protocol/index'
import { callElapsedSeconds, deriveTalkStatus, initialTalkState, nextTalkState, withAvailability } from './call-machine'
import type { TalkAgent, TalkCallState, TalkMachineInput, TalkMachineState, TalkStatus } from './call-machine'
import { mergeHistory } from './history-entry'
import type { TalkHistoryEntry } from './history-entry'
import { createHistoryStorage } from './history-storage'
import type { TalkHistoryStorage } from './history-storage'
import { createRecentList, pastSlack } from './recent-list'

/** The call in progress, as `useTalkStore().activeCall` shows it. */
export type TalkActiveCall = Omit<TalkCallState, 'ringAt' | 'connectedAt' | 'endedAt' | 'ringStart' | 'callStart' | 'callEnd'> & {
  /** Talk's timestamps in epoch ms; `null` when missing or unreadable. */
  ringStart: number | null
  callStart: number | null
  callEnd: number | null
  /** Live seconds: talk time when connected, ring time when ringing, frozen when the call ends. */
  elapsed: number
}

/** One SMS the agent sent from Talk. */
export interface TalkSmsLogEntry {
  sms: string
  callId: number | null
  at: number
}

/** The last failure the agent should see: a rejected command or a Talk `error` event. */
export interface TalkLastError {
  message: string
  code: TalkErrorCode | 'talk'
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
  const lastError = ref<TalkLastError | null>(null)
  const debugList = createRecentList<TalkDebugEntry>(() => DEBUG_LOG_SIZE)
  const now = ref(Date.now())

  let config: Required<Pick<TalkStoreConfig, 'debug'>> & TalkStoreConfig = { debug: false }
  let storage: TalkHistoryStorage | null = null
  let historyLimit = DEFAULT_HISTORY_LIMIT
  let loading: Promise<void> | null = null
  /** Call ids whose `completed` is being stored or is in the history: duplicates are dropped. */
  let completedIds = new Set<number>()

  const status = computed<TalkStatus>(() => deriveTalkStatus(machine.value))
  const agent = computed<TalkAgent>(() => machine.value.agent)
  const activeCall = computed<TalkActiveCall | null>(() => {
    const call = machine.value.call
    if (!call) return null
    const { ringAt: _r, connectedAt: _c, endedAt: _e, ...shown } = call
    return {
      ...shown,
      ringStart: tryParseTalkTime(call.ringStart),
      callStart: tryParseTalkTime(call.callStart),
      callEnd: tryParseTalkTime(call.callEnd),
      elapsed: callElapsedSeconds(call, now.value),
    }
  })
  const connected = computed(() => bridgeRef.value !== null)
  const bridge = computed(() => bridgeRef.value)
  const callBlockedReason = computed<string | null>(() => {
    if (!bridgeRef.value) return 'Talk is not loaded'
    if (!machine.value.agent.loggedIn) return 'Log in to Talk first'
    if (machine.value.call) return 'Already on a call'
    if (!machine.value.agent.enabled) return 'You are unavailable'
    return null
  })
  const canCall = computed(() => callBlockedReason.value === null)

  // The clock ticks only while a timer is visible, so an idle page does no work.
  let timer: ReturnType<typeof setInterval> | null = null

  /** The one way the machine state changes: also starts or stops the clock when a timer appears or goes. */
  function setMachine(next: TalkMachineState) {
    machine.value = next
    const ticking = next.call !== null && next.call.phase !== 'wrap-up'
    if (ticking === (timer !== null)) return
    if (timer) clearInterval(timer)
    timer = null
    now.value = Date.now()
    if (ticking) timer = setInterval(() => {
      now.value = Date.now()
    }, 1000)
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

  function fail(error: unknown) {
    const code: TalkLastError['code'] = isTalkError(error) ? error.code : 'talk'
    lastError.value = { message: error instanceof Error ? error.message : String(error), code, at: Date.now() }
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

  async function recordCompleted(event: Extract<TalkEvent, { action: 'completed' }>) {
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
      await ensureStorage().append(entry)
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

  function receive(event: TalkEvent) {
    log({ direction: 'in', action: event.action, note: event.action === 'call' ? `call ${event.id} ${event.direction}` : undefined })
    apply(event)
    switch (event.action) {
      case 'completed':
        void recordCompleted(event)
        break
      case 'sms':
        smsList.add(smsEntry(event))
        break
      case 'error':
        lastError.value = { message: event.message, code: 'talk', at: Date.now() }
        break
      default:
        break
    }
  }

  /** Connects the store to a bridge (done by `<TalkFrame>`); returns the function that disconnects it. */
  function attach(next: TalkBridge): () => void {
    if (bridgeRef.value && bridgeRef.value !== next) log({ direction: 'diagnostic', action: 'attach', note: 'A second Talk frame was attached; the store now follows the newest one' })
    void loadHistory()
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

  function run<T>(action: string, command: (bridge: TalkBridge) => Promise<T>, note?: string): Promise<T> {
    const current = bridgeRef.value
    const result = current
      ? Promise.resolve().then(() => {
          log({ direction: 'out', action, note })
          return command(current)
        })
      : Promise.reject(new TalkError('not-logged-in', `Cannot ${action}: Talk is not loaded`))
    return result.catch((error: unknown) => {
      fail(error)
      throw error
    })
  }

  return {
    status, agent, activeCall, history, historyReady, smsLog: smsList.items, lastError, debugLog: debugList.items, connected, bridge,
    canCall, callBlockedReason,
    /** Dials `number` (or only fills Talk's number field with `autocall: false`). */
    call: (number: string | number, opts: { autocall?: boolean } = {}) => run('call', b => b.call(number, { autocall: opts.autocall ?? true }).then(() => {})),
    /** Answers the ringing inbound call. */
    answer: () => run('answer', b => b.answer()),
    /** Hangs up the ringing or ongoing call. */
    hangup: () => run('hangup', b => b.hangup()),
    /** Clears Talk's number field and restores the availability changed by `setAvailable`. */
    reset: () => run('reset', b => b.reset().then(() => {
      setMachine(withAvailability(machine.value, true))
    })),
    /** Makes the agent available or unavailable for calls. */
    setAvailable: (enabled: boolean) => run('setStatus', b => b.setStatus(enabled).then(() => {
      setMachine(withAvailability(machine.value, enabled))
    })),
    /** Gives Talk contact data (used in its SMS). */
    setMetadata: (metadata: TalkMetadata) => run('setMetadata', b => b.setMetadata(metadata)),
    /** Applies Talk settings such as `preventManualCalling`. */
    useSettings: (settings: TalkSettings) => run('useSettings', b => b.useSettings(settings)),
    /** Asks Talk for a JWT (audience 'cti'); the token is returned, never kept in the store. */
    requestJwt: () => run('getJwt', b => b.getJwt()),
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
    /** Hides the last error. */
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
