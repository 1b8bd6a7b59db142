/** Where the outbox survives reloads. Holds call records and SMS texts, never tokens. */
export const OUTBOX_STORAGE_KEY = 'leaddesk-talk:outbox'

/** How many items the outbox keeps at most; beyond that the oldest are dropped, so storage cannot fill up. */
export const OUTBOX_LIMIT = 500

/** One request waiting to reach the dashboard server. */
export interface OutboxItem {
  /** Unique per item; a call's key is its Talk id, so a repeated `completed` is queued once. */
  key: string
  kind: 'call' | 'sms'
  url: '/api/calls' | '/api/sms'
  body: Record<string, unknown>
  attempts: number
  /** Epoch ms before which the item is not retried. */
  nextAt: number
  queuedAt: number
  /** Why the last attempt failed, for the indicator's tooltip. */
  lastError: string | null
}

/** A random key for an outbox item (128 bits, hex); works on plain-http pages too, unlike `crypto.randomUUID`. */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('')
}

/** Whether an item is a call a page lost before Talk completed it (use-call-journal.ts). */
export const isInterruptedCall = (item: Pick<OutboxItem, 'kind' | 'body'>) => item.kind === 'call' && item.body.interrupted != null

/**
 * Adds an item unless one with the same key is already waiting; trims to the limit, oldest
 * first. The one exception: Talk's completed record of a call replaces an interrupted record
 * of it still waiting, as the server would.
 */
export function enqueueItem(queue: readonly OutboxItem[], item: OutboxItem, limit = OUTBOX_LIMIT): OutboxItem[] {
  const waiting = queue.findIndex(q => q.key === item.key)
  if (waiting !== -1) return queue.map((q, i) => i === waiting && isInterruptedCall(q) && !isInterruptedCall(item) ? item : q)
  const next = [...queue, item]
  return next.length > limit ? next.slice(next.length - limit) : next
}

/** Retry delay after `attempts` failures: 1 s doubling to at most 60 s, with jitter so tabs do not retry in step. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (0.8 + 0.4 * random()))
}

/** Reads the stored queue, ignoring anything malformed (an older version, a hand edit). */
export function parseStoredQueue(text: string | null): OutboxItem[] {
  if (!text) return []
  try {
    const value: unknown = JSON.parse(text)
    if (!Array.isArray(value)) return []
    return value.filter((v): v is OutboxItem => !!v && typeof v === 'object'
      && typeof (v as OutboxItem).key === 'string'
      && ((v as OutboxItem).url === '/api/calls' || (v as OutboxItem).url === '/api/sms')
      && !!(v as OutboxItem).body && typeof (v as OutboxItem).body === 'object')
      .map(v => ({ ...v, attempts: Number(v.attempts) || 0, nextAt: Number(v.nextAt) || 0, lastError: v.lastError ?? null }))
  }
  catch {
    return []
  }
}

/** Describes what is waiting, e.g. "2 calls and 1 SMS waiting to sync"; empty when nothing is. */
export function describeQueue(queue: readonly OutboxItem[]): string {
  const calls = queue.filter(q => q.kind === 'call').length
  const sms = queue.filter(q => q.kind === 'sms').length
  const parts = [calls ? `${calls} ${calls === 1 ? 'call' : 'calls'}` : '', sms ? `${sms} SMS` : ''].filter(Boolean)
  return parts.length ? `${parts.join(' and ')} waiting to sync` : ''
}
