import { computed, ref, shallowRef } from 'vue'
import { backoffMs, describeQueue, enqueueItem, OUTBOX_STORAGE_KEY, parseStoredQueue } from '../utils/outbox-queue'
import type { OutboxItem } from '../utils/outbox-queue'

// One outbox per browser tab. It only ever runs on the client (started from onMounted).
const queue = shallowRef<OutboxItem[]>([])
/** Increments after every item the server accepted, so pages showing server data can refresh. */
const syncedCount = ref(0)
/** Items the server refused for what they are (a 4xx that no retry can fix), with its reason. */
const refused = ref<{ kind: OutboxItem['kind'], reason: string, at: number }[]>([])

// Auth, timeouts and rate limits can pass later; any other 4xx refuses the item itself.
const RETRYABLE_4XX = [401, 403, 408, 429]
let started = false
let sending = false
let timer: ReturnType<typeof setTimeout> | null = null

function save(): void {
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
  if (!queue.value.length) return
  const wait = Math.max(0, Math.min(...queue.value.map(i => i.nextAt)) - Date.now())
  timer = setTimeout(() => void flush(), wait)
}

function update(key: string, patch: Partial<OutboxItem>): void {
  queue.value = queue.value.map(i => (i.key === key ? { ...i, ...patch } : i))
}

/** Sends every due item, oldest first; an item leaves the queue only after a 2xx answer. */
async function flush(force = false): Promise<void> {
  if (sending) return
  sending = true
  try {
    for (const item of [...queue.value]) {
      if (!force && item.nextAt > Date.now()) continue
      try {
        await $fetch(item.url, { method: 'POST', body: item.body, retry: 0 })
        queue.value = queue.value.filter(i => i.key !== item.key)
        // Saved per item: an SMS has no server-side id, so one sent twice would be filed twice.
        save()
        syncedCount.value++
      }
      catch (error) {
        const e = error as { statusCode?: number, data?: { message?: string } }
        const lastError = e.data?.message ?? (e.statusCode ? `HTTP ${e.statusCode}` : 'server unreachable')
        if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500 && !RETRYABLE_4XX.includes(e.statusCode)) {
          // Sending it again can never succeed; the call stays in this browser's history, and the agent is told.
          queue.value = queue.value.filter(i => i.key !== item.key)
          refused.value = [...refused.value.slice(-9), { kind: item.kind, reason: lastError, at: Date.now() }]
          save()
          continue
        }
        const attempts = item.attempts + 1
        update(item.key, { attempts, nextAt: Date.now() + backoffMs(attempts), lastError })
        save()
        // The server is down or we are offline: stop this round instead of hammering it per item.
        if (!e.statusCode || e.statusCode >= 500) break
      }
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

/** Starts the outbox once per tab: loads what a previous page left, sends it, and retries when the browser comes online. */
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
    /** Queues a completed Talk call for `POST /api/calls` (keyed by call id, so a repeat is not queued twice). */
    enqueueCall: (call: { id: number } & Record<string, unknown>) => add({ key: `call:${call.id}`, kind: 'call', url: '/api/calls', body: call }),
    /** Queues an SMS for `POST /api/sms`. */
    enqueueSms: (body: { sms: string, callId?: number, contactId?: number, number?: string }) =>
      add({ key: `sms:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`, kind: 'sms', url: '/api/sms', body }),
    /** Tries every waiting item now, ignoring the backoff (the "Retry now" button). */
    retryNow: () => flush(true),
    start,
  }
}
