import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { vi } from 'vitest'
import { freePort } from '../support/dashboard-app'

const root = resolve(import.meta.dirname, '../../..')

/** A production dashboard server that a test can stop and start again on the same port (same database). */
export interface RestartableDashboard {
  /** `http://localhost:<port>`, the same across restarts. */
  url: string
  /** Kills the server process and waits until it is gone. */
  stop: () => Promise<void>
  /** Starts it again on the same port with the same environment. */
  start: () => Promise<void>
  /** Output of the current process (for failure messages). */
  output: () => string
}

/** Starts the built dashboard on localhost (a free port) and keeps what is needed to restart it. */
export async function startRestartableDashboard(outputDir: string, env: Record<string, string>): Promise<RestartableDashboard> {
  const port = await freePort()
  const url = `http://localhost:${port}`
  let child: ChildProcess | null = null
  let log = ''

  async function start() {
    log = ''
    const proc = spawn(process.execPath, [join(outputDir, 'server/index.mjs')], {
      cwd: root,
      env: { ...process.env, ...env, NODE_ENV: 'production', HOST: 'localhost', NITRO_HOST: 'localhost', PORT: String(port), NITRO_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    try {
      await vi.waitFor(async () => {
        if (proc.exitCode !== null) throw new Error('exited')
        const res = await fetch(`${url}/api/health`)
        if (res.status >= 500 && res.status !== 503) throw new Error(`health ${res.status}`)
      }, { timeout: 20_000, interval: 100 })
    }
    catch {
      proc.kill()
      throw new Error(`dashboard server did not start:\n${log}`)
    }
  }

  function stop() {
    return new Promise<void>((done) => {
      const proc = child
      child = null
      if (!proc || proc.exitCode !== null) return done()
      proc.once('exit', () => done())
      proc.kill()
    })
  }

  await start()
  return { url, start, stop, output: () => log }
}
