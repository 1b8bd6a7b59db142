import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { startSimulatorServer } from '../../simulator/server'
import type { SimulatorServer } from '../../simulator/server'
import { launchChromium } from '../../tests/support/browser'
import { ROOT } from '../bundle-size'
import { seedDashboardDatabase } from './seed'

/** The built dashboard running against a seeded database, the simulator as its Talk, and a browser. */
export interface DashboardSession {
  /** Dashboard base URL on `localhost`, no trailing slash. */
  url: string
  /** The build's `.output` directory (its `public/` holds the files the page loads). */
  outputDir: string
  simulator: SimulatorServer
  browser: Browser
  /** Seconds the build and the seeding took (they overlap). */
  setupSeconds: number
}

let shared: Promise<DashboardSession> | null = null
const cleanups: (() => Promise<void> | void)[] = []

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    child.on('error', reject)
    child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`dashboard build failed (${code}): ${log.slice(-1500)}`))))
  })
}

/** A port nothing listens on right now (on localhost). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, 'localhost', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.status < 500) return
    }
    catch {
      // Not listening yet: the next attempt follows the event loop turn the fetch failure took.
    }
    await new Promise<void>(resolve => setImmediate(resolve))
  }
  throw new Error(`the dashboard server did not start: ${log().slice(-1500)}`)
}

async function start(): Promise<DashboardSession> {
  const started = performance.now()
  // BENCH_DASHBOARD_DIR keeps the build and database between runs (while working on a row); otherwise a temp dir.
  const reuse = process.env.BENCH_DASHBOARD_DIR
  const dir = reuse ? resolve(reuse) : mkdtempSync(join(tmpdir(), 'leaddesk-talk-bench-'))
  if (!reuse) cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(dir, { recursive: true })
  const dbFile = join(dir, 'bench.sqlite')
  // A private build directory: the repository's .nuxt and .output stay untouched for everyone else.
  await Promise.all([
    reuse && existsSync(join(dir, '.output/server/index.mjs')) ? null : run(process.execPath, [join(ROOT, 'scripts/build-dashboard.mjs'), dir], { NODE_ENV: 'production' }),
    reuse && existsSync(dbFile) ? null : seedDashboardDatabase(dbFile),
  ])
  const outputDir = join(dir, '.output')

  const simulator = await startSimulatorServer({ host: '127.0.0.1' })
  cleanups.push(() => simulator.close())

  const port = await freePort()
  const url = `http://localhost:${port}`
  const child = spawn(process.execPath, [join(outputDir, 'server/index.mjs')], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: 'localhost', NITRO_HOST: 'localhost', PORT: String(port), NITRO_PORT: String(port),
      NUXT_PUBLIC_LEADDESK_TALK_SRC: `${simulator.url}?agent=Alice&lang=en`,
      NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS: JSON.stringify([simulator.origin]),
      LEADDESK_TALK_DB_FILE: dbFile,
      LEADDESK_TALK_SEED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  cleanups.push(() => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill()
  }))
  await waitUntilHealthy(url, child, () => log)

  const browser = await launchChromium()
  cleanups.push(() => browser.close())
  return { url, outputDir, simulator, browser, setupSeconds: (performance.now() - started) / 1000 }
}

/** The dashboard session shared by the dashboard rows: built, seeded and started on first use. */
export function dashboardSession(): Promise<DashboardSession> {
  shared ??= start()
  return shared
}

/** Stops the server, simulator and browser and deletes the build and database (safe to call when never started). */
export async function closeDashboardSession(): Promise<void> {
  shared = null
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup()
    }
    catch {
      // Keep cleaning up the rest: a browser that already exited must not leave the server running.
    }
  }
}
