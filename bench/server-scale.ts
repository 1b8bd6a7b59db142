/**
 * The dashboard server at call-centre scale, on SQLite and (with BENCH_DATABASE_URL or
 * TEST_DATABASE_URL) PostgreSQL: search at 100k and 1M contacts, 50 agents beside the server
 * of the baseline commit (one connection behind one lock) measured in the same run, an import
 * under load, a 1M-line import, and two instances on one PostgreSQL.
 *
 * BENCH_SCALE_CONTACTS (default 1 000 000), BENCH_SCALE_BASE (100 000) and
 * BENCH_SCALE_SECONDS (60) make it smaller while working on it.
 */
import { cpus } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { MAX_CSV_BYTES } from '../server/utils/http-body'
import { backendPids, countCpu, loadAverage } from './server/cpu'
import type { CpuAccount } from './server/cpu'
import { importContacts, runLoad, searchTimings } from './server/load'
import type { LoadResult } from './server/load'
import { BASELINE_COMMIT, benchDirectory, buildBaseline, buildCurrent, startServer } from './server/servers'
import type { RunningServer } from './server/servers'
import { describeTimings, formatCount, formatMs, percentile } from './stats'
import type { BenchModule, BenchRow } from './types'

const LARGE = Number(process.env.BENCH_SCALE_CONTACTS ?? 1_000_000)
const BASE = Number(process.env.BENCH_SCALE_BASE ?? 100_000)
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 60)
// Rounds of the whole query mix per size (21 queries each).
const ROUNDS = 15

type Engine = 'sqlite' | 'postgresql'

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

function describeLoad(result: LoadResult): string {
  return `${formatCount(result.perSecond)} req/s · p99 ${formatMs(result.p99)} · ${result.errors} errors / ${formatCount(result.requests)} · health p99 ${formatMs(result.healthP99)} (n=${result.healthCount})`
}

/**
 * CPU per request by whom, and what it implies: the machine's cores serve at most cores / (CPU
 * per request) requests a second, and 50 agents that each wait for their answer then wait at
 * least 50 / that rate on average.
 */
function describeCpu(cpu: CpuAccount, agents = 50): string {
  const total = cpu.server + cpu.database + cpu.generator
  const ceiling = cpu.cores * 1000 / total
  const parts = [`server ${cpu.server.toFixed(2)}`, ...cpu.database > 0 ? [`PostgreSQL ${cpu.database.toFixed(2)}`] : [], `load generator ${cpu.generator.toFixed(2)}`]
  return `CPU/request ${parts.join(' + ')} = ${total.toFixed(2)} ms: ${cpu.cores} cores serve <= ${formatCount(ceiling)} req/s, ${agents} agents then wait >= ${formatMs(agents / ceiling * 1000)} on average · other work on the machine ${cpu.otherCores.toFixed(2)} cores`
}

/** A load run with its CPU accounted for (the server, its PostgreSQL backends when `applicationName`, this process). */
async function measuredLoad(server: RunningServer, backends: () => Promise<number[]>, ...args: Parameters<typeof runLoad>): Promise<{ result: LoadResult, cpu: CpuAccount }> {
  const stop = await countCpu(server.pid, backends)
  const result = await runLoad(...args)
  return { result, cpu: await stop(result.requests + result.healthCount) }
}

/** What makes a server use one database: a SQLite file, or a PostgreSQL schema of its own (created here). */
async function databaseFor(engine: Engine, dir: string, name: string, url: string | undefined): Promise<Record<string, string>> {
  if (engine === 'sqlite') return { LEADDESK_TALK_DB_FILE: join(dir, `${name}.sqlite`) }
  const schema = `bench_${name}_${Date.now().toString(36)}`
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA "${schema}"`)
  }
  finally {
    await client.end()
  }
  const target = new URL(url!)
  target.searchParams.set('options', `-c search_path=${schema}`)
  // Names the server's connections, so the bench finds its backends' CPU time.
  target.searchParams.set('application_name', schema)
  return { DATABASE_URL: target.toString(), BENCH_SCHEMA: schema }
}

async function dropSchema(url: string | undefined, env: Record<string, string>): Promise<void> {
  if (!url || !env.BENCH_SCHEMA) return
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${env.BENCH_SCHEMA}" CASCADE`)
  }
  finally {
    await client.end()
  }
}

async function storedCalls(url: string, env: Record<string, string>, from: number): Promise<{ rows: number, distinct: number }> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL ?? url })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string, d: string }>('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM calls WHERE id >= $1', [from])
    return { rows: Number(rows[0]!.n), distinct: Number(rows[0]!.d) }
  }
  finally {
    await client.end()
  }
}

async function engineRows(engine: Engine, outputs: { current: string, baseline: string }, dir: string, url: string | undefined): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const label = (what: string) => `${engine}: ${what}`
  const servers: RunningServer[] = []
  const envs: Record<string, string>[] = []
  const start = async (output: string, env: Record<string, string>) => {
    const server = await startServer(output, env)
    servers.push(server)
    return server
  }
  const database = async (name: string) => {
    const env = await databaseFor(engine, dir, name, url)
    envs.push(env)
    return env
  }
  const backendsOf = (env: Record<string, string>) => async () => env.BENCH_SCHEMA ? await backendPids(url!, env.BENCH_SCHEMA) : []
  rows.push({ what: label('machine'), measured: `${cpus().length} cores, load average ${loadAverage().toFixed(2)} at the start`, comparison: '', target: '', pass: null })
  try {
    // Search at BASE, then 50 agents on this tree's server and on the baseline's, each with BASE contacts.
    const currentEnv = await database('current')
    const current = await start(outputs.current, currentEnv)
    await importContacts(current.url, 0, BASE)
    const small = await searchTimings(current.url, ROUNDS)
    rows.push({ what: label(`search, query mix, 1 agent @${formatCount(BASE)}`), measured: describeTimings(small), comparison: '', target: 'p95 < 50 ms', pass: percentile(small, 95) < 50 })

    const baselineEnv = await database('baseline')
    const baseline = await start(outputs.baseline, baselineEnv)
    // Its uploads are limited to 5 MB: the same contacts in parts of 40 000 lines.
    for (let from = 0; from < BASE; from += 40_000) await importContacts(baseline.url, from, Math.min(BASE, from + 40_000))
    const loadBefore = loadAverage()
    const { result: before, cpu: cpuBefore } = await measuredLoad(baseline, backendsOf(baselineEnv), [baseline.url], { seconds: SECONDS, callIdBase: 10_000_000 })
    await baseline.stop()
    const { result: after, cpu: cpuAfter } = await measuredLoad(current, backendsOf(currentEnv), [current.url], { seconds: SECONDS, callIdBase: 20_000_000 })
    rows.push({
      what: label(`50 agents ${SECONDS} s (80 % search, 20 % calls, 10 % repeats) @${formatCount(BASE)}`),
      measured: `${describeLoad(after)} · ${describeCpu(cpuAfter)}`,
      comparison: `${BASELINE_COMMIT} single lock: ${describeLoad(before)} · ${describeCpu(cpuBefore)} (req/s x${(after.perSecond / before.perSecond).toFixed(1)}) · load average ${loadBefore.toFixed(2)} before, ${loadAverage().toFixed(2)} after`,
      target: '0 errors, p99 < 250 ms, health p99 < 100 ms',
      pass: after.errors === 0 && after.p99 < 250 && after.healthP99 < 100,
    })

    // BASE more contacts imported while the agents work.
    const rssBefore = current.rss()
    let rssPeak = rssBefore
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, current.rss())), 100)
    let imported = { imported: 0, bytes: 0, ms: 0 }
    const { result: under, cpu: cpuUnder } = await measuredLoad(current, backendsOf(currentEnv), [current.url], { seconds: SECONDS, callIdBase: 30_000_000, during: async () => {
      imported = await importContacts(current.url, BASE, 2 * BASE)
    } })
    clearInterval(sampler)
    const windowP99 = percentile(under.windowLatencies, 99)
    const growth = rssPeak - rssBefore
    rows.push({
      what: label(`${formatCount(BASE)}-line import (${megabytes(imported.bytes)}) while 50 agents work`),
      measured: `agents p99 ${formatMs(windowP99)} during the import (n=${under.windowLatencies.length}: searches ${formatMs(percentile(under.windowByKind.search, 99))}, call POSTs ${formatMs(percentile(under.windowByKind.call, 99))}), ${under.errors} errors · RSS +${megabytes(growth)} · import ${(imported.ms / 1000).toFixed(1)} s`,
      comparison: `whole run: ${describeLoad(under)} · ${describeCpu(cpuUnder)} · load average ${loadAverage().toFixed(2)} after`,
      target: 'p99 < 250 ms, RSS growth < 100 MB',
      pass: imported.imported === BASE && windowP99 < 250 && growth < 100 * 1024 * 1024,
    })

    if (engine === 'postgresql') {
      // A second instance on the same database; agents alternate between the two.
      const second = await start(outputs.current, currentEnv)
      const both = await runLoad([current.url, second.url], { seconds: SECONDS, callIdBase: 40_000_000 })
      const ids = [...both.created.entries()]
      const storedOnce = ids.every(([, created]) => created === 1)
      const stored = await storedCalls(url!, currentEnv, 40_000_000)
      rows.push({
        what: label(`two instances on one PostgreSQL, 50 agents ${SECONDS} s`),
        measured: `${formatCount(ids.length)} calls posted (repeats spread over both): ${stored.rows} rows, ${stored.distinct} distinct; each created once: ${storedOnce ? 'yes' : 'no'} · ${describeLoad(both)}`,
        comparison: '',
        target: 'every call stored exactly once',
        pass: storedOnce && stored.rows === ids.length && stored.distinct === ids.length && both.errors === 0,
      })
      await second.stop()
    }
    await current.stop()

    // LARGE contacts in one upload into a fresh database, then the same search mix.
    const largeEnv = await database('large')
    const large = await start(outputs.current, largeEnv)
    const bulk = await importContacts(large.url, 0, LARGE)
    rows.push({
      what: label(`${formatCount(LARGE)}-line import, one request`),
      measured: `${formatCount(bulk.imported)} contacts, ${megabytes(bulk.bytes)} in ${(bulk.ms / 1000).toFixed(1)} s`,
      comparison: `body limit ${megabytes(MAX_CSV_BYTES)}`,
      target: 'completes within the body limit',
      pass: bulk.imported === LARGE && bulk.bytes <= MAX_CSV_BYTES,
    })
    const big = await searchTimings(large.url, ROUNDS)
    const ratio = percentile(big, 95) / percentile(small, 95)
    rows.push({
      what: label(`search, query mix, 1 agent @${formatCount(LARGE)}`),
      measured: describeTimings(big),
      comparison: `@${formatCount(BASE)} p95 ${formatMs(percentile(small, 95))} (x${ratio.toFixed(2)})`,
      target: 'p95 < 50 ms, <= 1.5x @100k',
      pass: percentile(big, 95) < 50 && ratio <= 1.5,
    })
    return rows
  }
  finally {
    for (const server of servers) await server.stop()
    for (const env of envs) await dropSchema(url, env)
  }
}

/** The server-scale rows (heavy: select with `--only server-scale`). */
export const serverScale: BenchModule = {
  name: 'server-scale',
  async run() {
    const { dir, remove } = benchDirectory()
    try {
      console.error(`[bench] server-scale: building this tree and ${BASELINE_COMMIT} in ${dir}`)
      const [current, baseline] = await Promise.all([buildCurrent(join(dir, 'current')), buildBaseline(join(dir, 'baseline'))])
      const url = (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)?.trim() || undefined
      const rows = await engineRows('sqlite', { current, baseline }, dir, undefined)
      if (url) rows.push(...await engineRows('postgresql', { current, baseline }, dir, url))
      else rows.push({ what: 'postgresql', measured: 'n/a: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to measure PostgreSQL', comparison: '', target: '', pass: null })
      return rows
    }
    finally {
      remove()
    }
  },
}
