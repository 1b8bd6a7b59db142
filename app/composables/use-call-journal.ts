import { watch } from 'vue'
import { formatTalkTime } from '../../protocol/index'
import type { CallInterruption } from '../utils/call-rows'
import { useOutbox } from './use-outbox'

/** Where the tab filing calls keeps the calls Talk has not completed yet. */
export const JOURNAL_KEY = 'leaddesk-talk:unfinished-calls'

/** What the journal knows of a call Talk has not completed: enough to file it if it is lost. */
interface UnfinishedCall {
  id: number
  direction: 'in' | 'out'
  number: string | null
  phase: CallInterruption['phase']
  /** Talk's times, epoch ms. */
  callStart: number | null
  callEnd: number | null
  recordUrl: string | null
  /** When this page last saw the call. */
  seenAt: number
  /** Set as the page goes away: why and when the call was lost. */
  lost?: { reason: CallInterruption['reason'], at: number }
}

type Journal = Record<string, UnfinishedCall>

const time = (ms: number | null) => (ms === null ? null : formatTalkTime(ms))

/** The record `POST /api/calls` takes for a call lost before Talk completed it. */
export function interruptedRecord(call: UnfinishedCall, reason: CallInterruption['reason'], at: number) {
  const customer = call.number
  return {
    id: call.id, direction: call.direction,
    to: call.direction === 'out' ? customer : null, from: call.direction === 'in' ? customer : null,
    answered: call.callStart !== null, callStart: time(call.callStart), talkStart: time(call.callStart), callEnd: time(call.callEnd),
    duration: null, comment: null, recordUrl: call.recordUrl, reason: null,
    completedAt: at, interrupted: { reason, phase: call.phase, at },
  }
}

const isUnfinished = (v: unknown): v is UnfinishedCall => !!v && typeof v === 'object'
  && Number.isSafeInteger((v as UnfinishedCall).id) && ((v as UnfinishedCall).direction === 'in' || (v as UnfinishedCall).direction === 'out')

/** The journal in `storage`, without entries that are not calls (storage is shared with any script of the origin). */
function read(storage: Storage): Journal {
  try {
    const value: unknown = JSON.parse(storage.getItem(JOURNAL_KEY) ?? '{}')
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {}
    return Object.fromEntries(Object.entries(value).filter(([, call]) => isUnfinished(call))) as Journal
  }
  catch {
    return {}
  }
}

function write(storage: Storage, journal: Journal): void {
  try {
    if (Object.keys(journal).length) storage.setItem(JOURNAL_KEY, JSON.stringify(journal))
    else storage.removeItem(JOURNAL_KEY)
  }
  catch {
    // Storage full or blocked: a call lost with the page is then lost to the log too.
  }
}

/**
 * Nothing lost: the tab that files calls (the one hosting Talk) writes down every call Talk has
 * not completed, in storage, as it changes. A call that is still there when its Talk session
 * ends (Talk logged out, reloaded, started afresh) or when the page goes away is filed as an
 * interrupted call, with why and when: at once, or by the next page (or tab) that files calls,
 * as the page that lost it could not. A `completed` that comes later replaces that record (the
 * outbox and the server keep one row per call). While a call is on, leaving this tab asks first.
 * The journal is in localStorage, shared with the tab that takes Talk over; with tabs running
 * their own Talk each keeps its own, in sessionStorage (a reload finds it, another tab never).
 */
export function useCallJournal() {
  const store = useTalkStore()
  const talk = useTalk()
  const outbox = useOutbox()
  let storage: Storage | null = null
  let lastLocalEvent = ''

  const writer = () => store.tab.role === 'host' || store.tab.role === 'independent'

  function file(calls: UnfinishedCall[], reason: CallInterruption['reason'] | null, at = Date.now()) {
    for (const call of calls) {
      const lost = call.lost ?? { reason: reason ?? 'page-closed', at: reason ? at : call.seenAt }
      outbox.enqueueCall(interruptedRecord(call, lost.reason, lost.at))
    }
  }

  /** Files every call of the journal as lost (`reason`; `null`: lost with the page that wrote it) and empties it. */
  function fileAll(reason: CallInterruption['reason'] | null) {
    if (!storage) return
    const calls = Object.values(read(storage))
    write(storage, {})
    file(calls, reason)
  }

  function remember() {
    const call = store.activeCall
    if (!storage || !writer() || !call || call.id === null || call.direction === null) return
    const journal = read(storage)
    journal[call.id] = {
      id: call.id, direction: call.direction, number: call.number, phase: call.phase,
      callStart: call.callStart, callEnd: call.callEnd, recordUrl: call.recordUrl, seenAt: Date.now(),
    }
    write(storage, journal)
  }

  function forget(id: number) {
    if (!storage) return
    const journal = read(storage)
    delete journal[id]
    write(storage, journal)
  }

  function start() {
    if (typeof window === 'undefined') return
    // A tab that starts filing calls (this page, or one taking Talk over) files what a page before it lost.
    watch(writer, (isWriter) => {
      storage = !isWriter ? null : store.tab.role === 'independent' ? sessionStorage : localStorage
      if (isWriter) fileAll(null)
    }, { immediate: true })
    watch(() => [store.activeCall?.id, store.activeCall?.phase, store.activeCall?.callStart, store.activeCall?.callEnd], remember, { flush: 'sync' })
    talk.on('completed', (event, { local }) => {
      if (local) forget(event.call.id)
    })
    talk.on('logout', (_event, { local }) => {
      if (local) lastLocalEvent = 'logout'
    })
    talk.on('login', (_event, { local }) => {
      // A login without a logout is a new Talk session: the calls of the last one will not go on.
      if (local && writer()) fileAll('talk-restarted')
      lastLocalEvent = 'login'
    })
    watch(() => store.agent.loggedIn, (loggedIn, was) => {
      if (was && !loggedIn && writer()) fileAll(lastLocalEvent === 'logout' ? 'logged-out' : 'frame-reloaded')
    })
    window.addEventListener('pagehide', () => {
      if (!storage) return
      const journal = read(storage)
      for (const call of Object.values(journal)) call.lost ??= { reason: 'page-closed', at: Date.now() }
      write(storage, journal)
    })
    window.addEventListener('pageshow', (event) => {
      // Back from the browser's page cache: the page (and its Talk) lived on after all.
      if (!event.persisted || !storage) return
      const journal = read(storage)
      for (const call of Object.values(journal)) delete call.lost
      write(storage, journal)
    })
    // Closing the tab with Talk ends its calls; a tab that only follows Talk drops nothing.
    window.addEventListener('beforeunload', (event) => {
      if (writer() && store.activeCall) event.preventDefault()
    })
  }

  return { start }
}
