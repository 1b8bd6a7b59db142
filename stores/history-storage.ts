import { readValid } from './history-entry'
import type { TalkHistoryEntry } from './history-entry'
import { createIndexedDbHistoryStorage } from './history-indexeddb'

/** Where the call history lives between page loads. Every method is O(1) or O(limit), never O(all). */
export interface TalkHistoryStorage {
  /** Opens the storage; rejects when it cannot be used. */
  open(): Promise<void>
  /** Stores one entry (replacing one with the same call id), then drops the oldest beyond the limit. */
  append(entry: TalkHistoryEntry): Promise<void>
  /** Returns up to `limit` valid entries, newest first; invalid records are skipped and reported. */
  loadRecent(limit: number): Promise<TalkHistoryEntry[]>
  /** Deletes every entry. */
  clear(): Promise<void>
}

/** Options shared by the storage implementations. */
export interface TalkHistoryStorageOptions {
  /** How many entries to keep; older ones are deleted after each append. */
  limit: number
  /** Told about every record skipped while loading (never its content). */
  onSkipped?: (reason: string) => void
}

/** Keeps history in memory only: for `persist: false`, SSR, node and browsers without IndexedDB. */
export function createMemoryHistoryStorage(options: TalkHistoryStorageOptions & { records?: unknown[] }): TalkHistoryStorage {
  const records = new Map<unknown, unknown>()
  for (const [i, record] of (options.records ?? []).entries()) records.set((record as { id?: unknown } | null)?.id ?? `seed-${i}`, record)
  const completedAt = (record: unknown) => (record as { completedAt?: number }).completedAt ?? 0
  // While every record arrived newer than the one before (the usual case), the Map's insertion
  // order is age order and the oldest is its first key; otherwise the oldest is searched for.
  let inOrder = records.size == 0
  let newestAt = -Infinity
  const oldestKey = () => {
    if (inOrder) return records.keys().next().value
    let oldest: unknown
    let oldestAt = Infinity
    for (const [key, record] of records) {
      if (completedAt(record) < oldestAt) {
        oldestAt = completedAt(record)
        oldest = key
      }
    }
    return oldest
  }
  return {
    open: () => Promise.resolve(),
    append(entry) {
      if (records.has(entry.id) || entry.completedAt < newestAt) inOrder = false
      newestAt = Math.max(newestAt, entry.completedAt)
      records.set(entry.id, { ...entry })
      while (records.size > options.limit) records.delete(oldestKey())
      return Promise.resolve()
    },
    loadRecent(limit) {
      const newest = [...records.values()].sort((a, b) => completedAt(b) - completedAt(a))
      return Promise.resolve(readValid(newest, limit, options.onSkipped))
    },
    clear() {
      records.clear()
      inOrder = true
      newestAt = -Infinity
      return Promise.resolve()
    },
  }
}

/** Picks the storage for the options: IndexedDB when persisting in a browser that has it, memory otherwise. */
export function createHistoryStorage(options: TalkHistoryStorageOptions & { persist: boolean }): TalkHistoryStorage {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB
  return options.persist && idb ? createIndexedDbHistoryStorage({ ...options, indexedDB: idb }) : createMemoryHistoryStorage(options)
}
