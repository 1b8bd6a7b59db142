import { computed, ref, shallowRef } from 'vue'
import { backoffMs, describeQueue, enqueueItem, OUTBOX_STORAGE_KEY, parseStoredQueue, randomKey } from '../utils/outbox-queue'
import type { CallBatchResult } from '../utils/api-types'
import type { OutboxItem } from '../utils/outbox-queue'

// One outbox per browser tab, all sharing one queue in localStorage. It only ever runs on the
// client (started from onMounted). Only the writer tab changes the stored queue and sends it.
const queue = shallowRef<OutboxItem[]>([])
/** Increments after every item the server accepted, so pages showing server data can refresh. */
const syncedCount = ref(0)
/** Items the server refused for what they are (a 4xx that no retry can fix), with its reason. */
const refused = ref<{ kind: OutboxItem['kind'], reason: string, at: number }[]>([])

// Auth, timeouts and rate limits can pass later; any other 4xx refuses the item itself.
const RETRYABLE_4XX = [401, 403, 408, 429]
/** The most calls sent in one request (`POST /api/calls/batch` takes up to 50). */
const CALL_BATCH_SIZE = 50
let started = false
let sending = false
let timer: ReturnType<typeof setTimeout> | null = null
/** This tab sends the queue: the tab hosting Talk (every tab, when tabs run their own Talk). */
const writer = ref(true)

function save(): void {
  // A tab that stopped being the writer mid-request leaves the queue to the new one, which sends
  // that item again (the server takes repeats: calls by id, SMS by idempotency key).
  if (!writer.value) return
  try {
    localStorage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify(queue.value))
  }
  catch {
    // Storage full or blocked: the items stay in memory and are still sent while the tab lives.
  }
}

function load(): void {
  try {
    queue.value = parseStoredQueue(localStorage.getItem(OUTBOX_STORAGE_KEY))
  }
  catch {
    queue.value = []
  }
}

function schedule(): void {
  if (timer) clearTimeout(timer)
  timer = null
  if (!queue.value.length || !writer.value) return
  const wait = Math.max(0, Math.min(...queue.value.map(i => i.nextAt)) - Date.now())
  timer = setTimeout(() => void flush(), wait)
}

/** Marks `items` as failed once more: each waits its backoff before the next attempt. */
function retryLater(items: readonly OutboxItem[], lastError: string): void {
  const keys = new Set(items.map(i => i.key))
  queue.value = queue.value.map((i) => {
    if (!keys.has(i.key)) return i
    const attempts = i.attempts + 1
    return { ...i, attempts, nextAt: Date.now() + backoffMs(attempts), lastError }
  })
  save()
}

/** Takes answered items out of the queue; those refused for good are also shown to the agent. */
function settle(items: readonly OutboxItem[], refusals: readonly { item: OutboxItem, reason: string }[]): void {
  // Key and queue time: a completed call that replaced its interrupted record while that was being sent stays.
  const sent = new Set(items.map(i => `${i.queuedAt} ${i.key}`))
  queue.value = queue.value.filter(i => !sent.has(`${i.queuedAt} ${i.key}`))
  if (refusals.length) refused.value = [...refused.value, ...refusals.map(({ item, reason }) => ({ kind: item.kind, reason, at: Date.now() }))].slice(-10)
  // Saved after every answer, so the next page (or the next writer tab) does not send it again.
  save()
  if (refusals.length < items.length) syncedCount.value++
}

type Failure = { status: number | undefined, reason: string }

function failure(error: unknown): Failure {
  const e = error as { statusCode?: number, data?: { message?: string } }
  return { status: e.statusCode, reason: e.data?.message ?? (e.statusCode ? `HTTP ${e.statusCode}` : 'server unreachable') }
}

/** A 4xx that no retry can fix: the request itself is refused. */
const isRefusal = (status: number | undefined) => !!status && status >= 400 && status < 500 && !RETRYABLE_4XX.includes(status)

/** Sends one item; returns `false` when the server is down or unreachable, so the round stops. */
async function sendOne(item: OutboxItem): Promise<boolean> {
  try {
    // An SMS's outbox key is its idempotency key: a repeat (a lost answer, a new writer tab) is stored once.
    const body = item.kind === 'sms' ? { ...item.body, idempotencyKey: item.key } : item.body
    await $fetch(item.url, { method: 'POST', body, retry: 0 })
    settle([item], [])
    return true
  }
  catch (error) {
    const { status, reason } = failure(error)
    // Sending it again can never succeed; a call stays in this browser's history, and the agent is told.
    if (isRefusal(status)) settle([item], [{ item, reason }])
    else retryLater([item], reason)
    return !!status && status < 500
  }
}

/**
 * Sends up to `CALL_BATCH_SIZE` calls in one request. Each call gets its own answer, so one
 * bad record never holds back the others; a batch the server refuses as a whole (an older
 * server without the endpoint, a body too large) is sent again one call at a time.
 */
async function sendCalls(items: readonly OutboxItem[]): Promise<boolean> {
  let results: unknown
  try {
    results = (await $fetch<{ results?: unknown }>('/api/calls/batch', { method: 'POST', body: { calls: items.map(i => i.body) }, retry: 0 })).results
  }
  catch (error) {
    const { status, reason } = failure(error)
    if (isRefusal(status)) {
      for (const item of items) {
        if (!(await sendOne(item))) return false
      }
      return true
    }
    retryLater(items, reason)
    return !!status && status < 500
  }
  const answers = Array.isArray(results) ? results as Partial<CallBatchResult>[] : []
  const answered: OutboxItem[] = []
  const refusals: { item: OutboxItem, reason: string }[] = []
  items.forEach((item, i) => {
    const answer = answers[i]
    if (answer?.status === 'created' || answer?.status === 'exists') answered.push(item)
    else if (answer?.status === 'refused') {
      answered.push(item)
      refusals.push({ item, reason: `${answer.field}: ${answer.reason}` })
    }
  })
  settle(answered, refusals)
  // Calls the answer did not mention stay queued and are tried again later.
  const unanswered = items.filter(item => !answered.includes(item))
  if (unanswered.length) retryLater(unanswered, 'the server did not answer for this call')
  return true
}

/**
 * Sends every due item: calls first, in batches, then each SMS (which may name one of those
 * calls). An item leaves the queue only once the server has answered for it.
 */
async function flush(force = false): Promise<void> {
  if (sending || !writer.value) return
  sending = true
  try {
    const due = queue.value.filter(i => force || i.nextAt <= Date.now())
    const calls = due.filter(i => i.kind === 'call')
    let up = true
    for (let i = 0; up && i < calls.length; i += CALL_BATCH_SIZE) up = await sendCalls(calls.slice(i, i + CALL_BATCH_SIZE))
    for (const item of due.filter(i => i.kind === 'sms')) {
      // The server is down or we are offline: stop this round instead of hammering it per item.
      if (!up) break
      up = await sendOne(item)
    }
  }
  finally {
    sending = false
    schedule()
  }
}

function add(item: Omit<OutboxItem, 'attempts' | 'nextAt' | 'queuedAt' | 'lastError'>): void {
  queue.value = enqueueItem(queue.value, { ...item, attempts: 0, nextAt: 0, queuedAt: Date.now(), lastError: null })
  save()
  void flush()
}

/**
 * Makes this tab the one that sends the queue, or stops it: only the tab hosting Talk files
 * calls and SMS. A tab that becomes the writer picks up what is queued.
 */
function setWriter(next: boolean): void {
  if (writer.value === next) return
  writer.value = next
  if (!started) return
  if (next) {
    load()
    void flush(true)
  }
  else schedule()
}

/** Starts the outbox once per tab: loads what a previous page left, sends it (if this tab is the writer), and retries when the browser comes online. */
function start(): void {
  if (started || typeof window === 'undefined') return
  started = true
  load()
  window.addEventListener('online', () => void flush(true))
  // Another tab changed the queue: adopt its version instead of re-reading storage before every change.
  window.addEventListener('storage', (event) => {
    if (event.key === OUTBOX_STORAGE_KEY) load()
  })
  void flush(true)
}

/** The browser-persisted outbox that delivers completed calls and SMS to the dashboard API. */
export function useOutbox() {
  return {
    items: computed(() => queue.value),
    pendingText: computed(() => describeQueue(queue.value)),
    syncedCount: computed(() => syncedCount.value),
    /** The last items the server refused (newest last), for the agent to see. */
    refused: computed(() => refused.value),
    /** Hides the refused-items notice. */
    dismissRefused: () => void (refused.value = []),
    /** Queues a Talk call for `POST /api/calls` (keyed by call id, so a repeat is not queued twice; a completed one replaces an interrupted one). */
    enqueueCall: (call: { id: number } & Record<string, unknown>) => add({ key: `call:${call.id}`, kind: 'call', url: '/api/calls', body: call }),
    /** Queues an SMS for `POST /api/sms`, under a random key that the server also gets as its idempotency key. */
    enqueueSms: (body: { sms: string, callId?: number, contactId?: number, number?: string }) =>
      add({ key: `sms:${randomKey()}`, kind: 'sms', url: '/api/sms', body }),
    /** Tries every waiting item now, ignoring the backoff (the "Retry now" button; only the writer tab sends). */
    retryNow: () => flush(true),
    /** Whether this tab sends the queue (see `setWriter`). */
    isWriter: computed(() => writer.value),
    setWriter,
    start,
  }
}
