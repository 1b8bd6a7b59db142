/**
 * Runs inside Chromium (bundled as an IIFE by bench/history-append.ts): times appending one
 * completed call to the project's IndexedDB history against the naive whole-array rewrite.
 */
import { createIndexedDbHistoryStorage } from '../stores/history-indexeddb'
import type { TalkHistoryEntry } from '../stores/history-entry'

const NAIVE_STORE = 'kv'
const NAIVE_KEY = 'history'

function entry(id: number, completedAt: number): TalkHistoryEntry {
  return {
    id, direction: 'out', to: `+35840${String(1_000_000 + id).slice(-7)}`, from: null, answered: true,
    callStart: '2026-11-24 10:00:00', talkStart: '2026-11-24 10:00:05', callEnd: '2026-11-24 10:01:05',
    duration: 60, comment: 'Interested, send the offer', recordUrl: `https://recordings.leaddesk.com/${id}.mp3`,
    reason: { name: 'Sale', logicalName: 'SALE' }, completedAt,
  } as TalkHistoryEntry
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function complete(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error)
  })
}

function openDb(name: string, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  const req = indexedDB.open(name, 1)
  req.onupgradeneeded = () => upgrade?.(req.result)
  return request(req)
}

/** The naive design: the whole history is one array in one record, read, pushed to and written back per call. */
async function naiveAppend(db: IDBDatabase, next: TalkHistoryEntry): Promise<void> {
  const read = db.transaction(NAIVE_STORE, 'readonly')
  const all = (await request(read.objectStore(NAIVE_STORE).get(NAIVE_KEY)) as TalkHistoryEntry[] | undefined) ?? []
  all.push(next)
  const write = db.transaction(NAIVE_STORE, 'readwrite')
  write.objectStore(NAIVE_STORE).put(all, NAIVE_KEY)
  await complete(write)
}

/** Timings in ms of `appends` appends each (project, then naive, alternating) with `stored` calls already saved. */
async function measure(stored: number, appends: number, naiveAppends: number): Promise<{ project: number[], naive: number[] }> {
  const name = `bench-history-${stored}`
  const storage = createIndexedDbHistoryStorage({ indexedDB, name, limit: Number.MAX_SAFE_INTEGER })
  await storage.open()
  const seeded = Array.from({ length: stored }, (_, i) => entry(i + 1, 1_700_000_000_000 + i))
  const projectDb = await openDb(name)
  const seed = projectDb.transaction('history', 'readwrite')
  for (const record of seeded) seed.objectStore('history').put(record)
  await complete(seed)
  projectDb.close()

  const naiveDb = await openDb(`${name}-naive`, db => db.createObjectStore(NAIVE_STORE))
  const naiveSeed = naiveDb.transaction(NAIVE_STORE, 'readwrite')
  naiveSeed.objectStore(NAIVE_STORE).put(seeded, NAIVE_KEY)
  await complete(naiveSeed)

  const project: number[] = []
  const naive: number[] = []
  let id = stored + 1
  for (let i = 0; i < Math.max(appends, naiveAppends); i++) {
    if (i < appends) {
      const next = entry(id++, Date.now())
      const start = performance.now()
      await storage.append(next)
      project.push(performance.now() - start)
    }
    if (i < naiveAppends) {
      const next = entry(id++, Date.now())
      const start = performance.now()
      await naiveAppend(naiveDb, next)
      naive.push(performance.now() - start)
    }
  }
  naiveDb.close()
  return { project, naive }
}

(globalThis as { historyBench?: unknown }).historyBench = { measure }
