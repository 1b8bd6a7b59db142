import { readValid } from './history-entry'
import type { TalkHistoryStorage, TalkHistoryStorageOptions } from './history-storage'

const DB_NAME = 'nuxt-leaddesk-talk'
const STORE = 'history'
const BY_COMPLETED_AT = 'completedAt'

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'))
  })
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

/**
 * Call history in IndexedDB: one object store keyed by call id with an index on
 * `completedAt`. Appending is one `put` plus, past the limit, deleting the oldest keys through
 * a cursor on the index, in the same transaction — the history is never read or rewritten whole.
 */
export function createIndexedDbHistoryStorage(options: TalkHistoryStorageOptions & { indexedDB: IDBFactory, name?: string }): TalkHistoryStorage {
  let db: Promise<IDBDatabase> | null = null
  /** Records in the store as of our last count plus our own appends since; `null` until counted. */
  let size: number | null = null

  function open(): Promise<IDBDatabase> {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = options.indexedDB.open(options.name ?? DB_NAME, 1)
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'id' })
        store.createIndex(BY_COMPLETED_AT, 'completedAt')
      }
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error ?? new Error('Cannot open IndexedDB'))
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab holding an older version'))
    })
    // A failed open may succeed later (e.g. after the user leaves private mode); do not cache it.
    db.catch(() => {
      db = null
    })
    return db
  }

  async function transaction(mode: IDBTransactionMode): Promise<IDBTransaction> {
    return (await open()).transaction(STORE, mode)
  }

  return {
    open: () => open().then(() => {}),
    async append(entry) {
      const tx = await transaction('readwrite')
      const store = tx.objectStore(STORE)
      // count() walks every record in Chromium, so it is done once per page; our own appends keep the
      // figure current. Another tab's appends are trimmed by that tab, so drift only delays trimming.
      const isNew = (await done(store.getKey(entry.id))) === undefined
      store.put({ ...entry })
      size = size === null ? await done(store.count()) : size + (isNew ? 1 : 0)
      const excess = size - options.limit
      if (excess > 0) {
        size -= excess
        let left = excess
        const cursor = store.index(BY_COMPLETED_AT).openKeyCursor()
        cursor.onsuccess = () => {
          const at = cursor.result
          if (!at || left-- <= 0) return
          store.delete(at.primaryKey)
          at.continue()
        }
      }
      await finished(tx)
    },
    async loadRecent(limit) {
      const tx = await transaction('readonly')
      const raw: unknown[] = []
      await new Promise<void>((resolve, reject) => {
        // Newest first, stopping early: reads at most `limit` valid records plus the invalid ones met on the way.
        const cursor = tx.objectStore(STORE).index(BY_COMPLETED_AT).openCursor(null, 'prev')
        let valid = 0
        cursor.onsuccess = () => {
          const at = cursor.result
          if (!at || valid >= limit) return resolve()
          raw.push(at.value)
          if (readValid([at.value], 1).length) valid++
          at.continue()
        }
        cursor.onerror = () => reject(cursor.error ?? new Error('Cannot read the call history'))
      })
      return readValid(raw, limit, options.onSkipped)
    },
    async clear() {
      const tx = await transaction('readwrite')
      tx.objectStore(STORE).clear()
      await finished(tx)
      size = 0
    },
  }
}
