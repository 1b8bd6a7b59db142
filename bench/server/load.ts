/**
 * The load the server-scale rows put on a dashboard server: contacts imported through
 * `POST /api/contacts/import` (the real path), a search mix as agents type it, and 50 agents
 * searching and posting calls while a probe asks `/api/health` every 200 ms.
 */
import { Readable } from 'node:stream'
import { demoContacts } from '../../server/utils/demo-contacts'
import { percentile } from '../stats'

/** The search mix: each kind of query an agent types, several of each. */
export const QUERY_MIX: Record<string, string[]> = {
  'one-word': ['virtanen', 'harbour', 'logistik', 'nilsson'],
  'multi-word': ['aino virtanen', 'thames valley', 'erik larsson', 'kivi puu'],
  'prefix': ['virt', 'harb', 'lind', 'vi', 'a'],
  'substring': ['irtane', 'arbou', 'nsso', 'ohjelm'],
  'digit-suffix': ['0121', '900121', '45678', '7700 9001'],
}

/** Every query of the mix, in a fixed order. */
export const ALL_QUERIES = Object.values(QUERY_MIX).flat()

/** Contact `i` as a CSV line: demo people with a counter in the name, British drama-range style numbers. */
function contactLine(i: number, base: ReturnType<typeof demoContacts>): string {
  const model = base[i % base.length]!
  const phone = `+44 7700 ${String(100000 + (i % 900000)).slice(-6)}${String(Math.floor(i / 900000) * 10 + (i % 10)).padStart(2, '0')}`
  return `${model.name} ${i},${phone},${model.company ?? ''}\n`
}

/** A CSV upload of contacts `from` to `to` - 1, generated as it is sent. */
export function contactsCsv(from: number, to: number): Readable {
  const base = demoContacts()
  async function* lines() {
    yield 'name,phone,company\n'
    let chunk = ''
    for (let i = from; i < to; i++) {
      chunk += contactLine(i, base)
      if (chunk.length > 64 * 1024) {
        yield chunk
        chunk = ''
      }
    }
    if (chunk) yield chunk
  }
  return Readable.from(lines())
}

/** Imports contacts `from`..`to` through the API; returns how many were imported and the upload's size. */
export async function importContacts(url: string, from: number, to: number): Promise<{ imported: number, bytes: number, ms: number }> {
  let bytes = 0
  const body = contactsCsv(from, to)
  body.on('data', (chunk: string) => (bytes += Buffer.byteLength(chunk)))
  const started = performance.now()
  const res = await fetch(`${url}/api/contacts/import`, {
    method: 'POST', body: Readable.toWeb(body) as ReadableStream, headers: { 'content-type': 'text/csv' }, duplex: 'half',
  } as RequestInit)
  const result = await res.json() as { imported?: number, message?: string }
  if (res.status !== 200) throw new Error(`import of ${to - from} contacts failed: ${res.status} ${result.message}`)
  return { imported: result.imported ?? 0, bytes, ms: performance.now() - started }
}

/** Timings of one search per query of the mix, `rounds` times over (one agent, one request at a time). */
export async function searchTimings(url: string, rounds: number): Promise<number[]> {
  const timings: number[] = []
  for (let round = 0; round < rounds; round++) {
    for (const q of ALL_QUERIES) {
      const started = performance.now()
      const res = await fetch(`${url}/api/contacts?q=${encodeURIComponent(q)}`)
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`search ${q} answered ${res.status}`)
      timings.push(performance.now() - started)
    }
  }
  return timings
}

/** What a load run measured. */
export interface LoadResult {
  requests: number
  errors: number
  perSecond: number
  p99: number
  healthP99: number
  healthCount: number
  /** Every call id posted, and how many POSTs answered 201 (stored) for it. */
  created: Map<number, number>
  /** Latencies of requests that started inside `window` (ms since the run began), when one was given. */
  windowLatencies: number[]
  /** The same, searches and call POSTs apart (on SQLite only writes wait for an import). */
  windowByKind: Record<'search' | 'call', number[]>
}

/** A call as Talk reports it. */
const talkCall = (id: number) => ({
  id, direction: 'out', to: `+44 7700 9${String(id % 100000).padStart(5, '0')}`, from: null, answered: true,
  callStart: '2026-11-30 09:00:00', talkStart: '2026-11-30 09:00:04', callEnd: '2026-11-30 09:02:00',
  duration: 116, comment: null, recordUrl: null, reason: { name: 'Sale', logicalName: 'SALE' },
})

/**
 * `agents` agents for `seconds` against `urls` (agent i uses urls[i % n]): 80 % searches of the
 * mix, 20 % call POSTs of which 10 % repeat an earlier call; a probe asks the first URL's
 * `/api/health` every 200 ms. `during` runs beside the load and its span is the `window`.
 */
export async function runLoad(urls: string[], { agents = 50, seconds, callIdBase, during }: { agents?: number, seconds: number, callIdBase: number, during?: () => Promise<void> }): Promise<LoadResult> {
  const started = performance.now()
  const deadline = started + seconds * 1000
  const latencies: number[] = []
  const windowLatencies: number[] = []
  const windowByKind: LoadResult['windowByKind'] = { search: [], call: [] }
  const health: number[] = []
  const created = new Map<number, number>()
  let errors = 0
  let nextCall = callIdBase
  let window: [number, number] | null = null
  let random = 12345
  // A fixed pseudo-random sequence, so every run sends the same mix.
  const next = () => (random = (random * 1103515245 + 12345) % 2147483648) / 2147483648

  async function request(kind: 'search' | 'call', url: string, init?: RequestInit): Promise<number> {
    const begin = performance.now()
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
      await res.arrayBuffer()
      if (res.status >= 400) errors++
      return res.status
    }
    catch {
      errors++
      return 0
    }
    finally {
      const end = performance.now()
      latencies.push(end - begin)
      if (window && begin - started >= window[0] && begin - started <= window[1]) {
        windowLatencies.push(end - begin)
        windowByKind[kind].push(end - begin)
      }
    }
  }

  async function agent(index: number): Promise<void> {
    const base = urls[index % urls.length]!
    while (performance.now() < deadline) {
      if (next() < 0.8) {
        const q = ALL_QUERIES[Math.floor(next() * ALL_QUERIES.length)]!
        await request('search', `${base}/api/contacts?q=${encodeURIComponent(q)}`)
        continue
      }
      const repeat = next() < 0.1 && nextCall > callIdBase
      const id = repeat ? callIdBase + Math.floor(next() * (nextCall - callIdBase)) : nextCall++
      created.set(id, created.get(id) ?? 0)
      const status = await request('call', `${base}/api/calls`, { method: 'POST', body: JSON.stringify(talkCall(id)), headers: { 'content-type': 'application/json' } })
      if (status === 201) created.set(id, created.get(id)! + 1)
    }
  }

  async function probe(): Promise<void> {
    while (performance.now() < deadline) {
      const begin = performance.now()
      try {
        await (await fetch(`${urls[0]}/api/health`, { signal: AbortSignal.timeout(10_000) })).arrayBuffer()
      }
      catch {
        // A probe that fails still counts its time.
      }
      const took = performance.now() - begin
      health.push(took)
      await new Promise<void>(resolve => setTimeout(resolve, Math.max(0, 200 - took)))
    }
  }

  async function beside(): Promise<void> {
    if (!during) return
    // Starts once the load has settled for a second, and marks its span.
    await new Promise<void>(resolve => setTimeout(resolve, 1000))
    const from = performance.now() - started
    await during()
    window = [from, performance.now() - started]
  }

  const besideDone = beside()
  // The window is open while `during` runs: mark it as such until it ends.
  if (during) window = [1000, Number.POSITIVE_INFINITY]
  await Promise.all([...Array.from({ length: agents }, (_, i) => agent(i)), probe()])
  await besideDone
  const elapsed = (performance.now() - started) / 1000
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p99: percentile(latencies, 99),
    healthP99: percentile(health, 99),
    healthCount: health.length,
    created,
    windowLatencies,
    windowByKind,
  }
}
