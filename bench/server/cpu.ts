/**
 * Where the CPU of a load run goes: the server process (with its SQLite threads), its PostgreSQL
 * backends, the load generator (this process) and everything else on the machine, read from
 * /proc before and after. On a machine with few cores this tells whether a latency target is
 * out of reach: requests/s x CPU per request cannot exceed the cores.
 */
import { cpus } from 'node:os'
import { readFileSync } from 'node:fs'
import pg from 'pg'

// /proc reports CPU time in clock ticks; Linux uses 100 per second.
const MS_PER_TICK = 10

/** CPU time (user + system, every thread) a process has used so far, in ms; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK
  }
  catch {
    return 0
  }
}

/** Busy CPU time of the whole machine so far, in ms (all cores). */
function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  return ticks.slice(0, 8).reduce((sum, value, index) => index === 3 || index === 4 ? sum : sum + value, 0) * MS_PER_TICK
}

/** The 1-minute load average now. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
}

/** The PostgreSQL backends whose connections carry `applicationName`. */
export async function backendPids(url: string, applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName])
    return rows.map(row => Number(row.pid))
  }
  finally {
    await client.end()
  }
}

/** CPU per request of one load run, by whom, and the machine around it. */
export interface CpuAccount {
  /** ms of CPU per request in the server process (its SQLite threads included). */
  server: number
  /** ms of CPU per request in the server's PostgreSQL backends (0 on SQLite). */
  database: number
  /** ms of CPU per request in the load generator (this process). */
  generator: number
  /** Cores busy with anything else on the machine meanwhile (other work, the kernel), on average. */
  otherCores: number
  /** Cores the machine has. */
  cores: number
}

/**
 * Starts counting; the returned function ends the count for `requests` requests. Backends are
 * looked up at both ends (the pool may open more during the run; one that closed meanwhile is
 * missed).
 */
export async function countCpu(serverPid: number, backends: () => Promise<number[]>): Promise<(requests: number) => Promise<CpuAccount>> {
  const backendsBefore = new Map((await backends()).map(pid => [pid, processCpuMs(pid)]))
  const serverBefore = processCpuMs(serverPid)
  const generatorBefore = process.cpuUsage()
  const machineBefore = machineBusyMs()
  const started = performance.now()
  return async (requests) => {
    const server = processCpuMs(serverPid) - serverBefore
    const used = process.cpuUsage(generatorBefore)
    const generator = (used.user + used.system) / 1000
    const machine = machineBusyMs() - machineBefore
    const wall = performance.now() - started
    const database = (await backends()).reduce((sum, pid) => sum + processCpuMs(pid) - (backendsBefore.get(pid) ?? 0), 0)
    const per = (ms: number) => ms / Math.max(1, requests)
    return { server: per(server), database: per(database), generator: per(generator), otherCores: Math.max(0, machine - server - database - generator) / wall, cores: cpus().length }
  }
}
