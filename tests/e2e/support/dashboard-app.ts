import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { inject, vi } from 'vitest'
import { startSimulatorServer } from '../../../simulator/server'
import type { SimulatorServer } from '../../../simulator/server'
import { buildDashboardOnce } from './dashboard-build'
import type { DashboardBuild } from './dashboard-build'

const root = resolve(import.meta.dirname, '../../..')

export type { DashboardBuild } from './dashboard-build'

/**
 * The dashboard build of this e2e run: global-setup builds it once (about half a minute) and
 * every suite shares it. `DASHBOARD_OUTPUT_DIR` reuses an existing `.output` instead.
 */
export async function buildDashboard(): Promise<DashboardBuild> {
  const reuse = process.env.DASHBOARD_OUTPUT_DIR
  if (reuse && existsSync(join(reuse, 'server/index.mjs'))) return { outputDir: reuse, dispose: () => {} }
  const shared = inject('dashboardOutputDir')
  if (shared) return { outputDir: shared, dispose: () => {} }
  return buildDashboardOnce()
}

/** Finds a free TCP port on localhost. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, 'localhost', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolvePromise(port))
    })
  })
}

/** A running production dashboard server. */
export interface DashboardServer {
  /** Base URL without a trailing slash, on `localhost`. */
  url: string
  port: number
  /** Output the server printed (for failure messages). */
  output: () => string
  close: () => Promise<void>
}

/**
 * Starts the built dashboard (`node .output/server/index.mjs`) with the given environment and
 * waits until it answers: on `localhost` (HOST set), or with `host: null` where the server
 * itself decides (no HOST or NITRO_HOST; its URL is then on 127.0.0.1).
 */
export async function startDashboard(outputDir: string, env: Record<string, string>, { host = 'localhost' }: { host?: string | null } = {}): Promise<DashboardServer> {
  const port = await freePort()
  const { HOST: _host, NITRO_HOST: _nitroHost, ...inherited } = process.env
  const child: ChildProcess = spawn(process.execPath, [join(outputDir, 'server/index.mjs')], {
    cwd: root,
    env: { ...inherited, ...env, NODE_ENV: 'production', ...host === null ? {} : { HOST: host, NITRO_HOST: host }, PORT: String(port), NITRO_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const url = `http://${host ?? '127.0.0.1'}:${port}`
  try {
    await vi.waitFor(async () => {
      if (child.exitCode !== null) throw new Error('exited')
      const res = await fetch(`${url}/api/health`)
      if (res.status >= 500 && res.status !== 503) throw new Error(`health ${res.status}`)
    }, { timeout: 20_000, interval: 100 })
  }
  catch {
    child.kill()
    throw new Error(`dashboard server did not start:\n${log}`)
  }
  return {
    url,
    port,
    output: () => log,
    close: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', () => done())
      child.kill()
    }),
  }
}

/** The built dashboard on localhost with a SQLite file of its own, its Talk the simulator on 127.0.0.1. */
export interface DashboardOnSimulator {
  app: DashboardServer
  sim: SimulatorServer
  /** Stops both servers and deletes the database and (if it was made for this suite) the build. */
  close: () => Promise<void>
}

/** Starts what most dashboard suites drive: the shared build against the simulator on another origin; `name` labels the temp directory, `env` adds settings. */
export async function startDashboardOnSimulator(name: string, env: Record<string, string> = {}): Promise<DashboardOnSimulator> {
  const [build, sim] = await Promise.all([buildDashboard(), startSimulatorServer({ host: '127.0.0.1' })])
  const dataDir = mkdtempSync(join(tmpdir(), `dashboard-${name}-`))
  const app = await startDashboard(build.outputDir, {
    NUXT_PUBLIC_LEADDESK_TALK_SRC: `${sim.url}?agent=Alice&lang=en`,
    NUXT_PUBLIC_LEADDESK_TALK_ALLOWED_ORIGINS: sim.origin,
    LEADDESK_TALK_DB_FILE: join(dataDir, 'dashboard.sqlite'),
    ...env,
  })
  return {
    app,
    sim,
    async close() {
      await app.close()
      await sim.close()
      rmSync(dataDir, { recursive: true, force: true })
      build.dispose()
    },
  }
}
