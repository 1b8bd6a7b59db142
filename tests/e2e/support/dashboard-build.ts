import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../../..')

/** A dashboard build: the path of its `.output`, and how to delete it. */
export interface DashboardBuild {
  outputDir: string
  dispose: () => void
}

/** Builds the dashboard for production into a new temp directory (deleted by `dispose`). */
export async function buildDashboardOnce(): Promise<DashboardBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-build-'))
  const dispose = () => rmSync(dir, { recursive: true, force: true })
  try {
    await run(process.execPath, [join(root, 'scripts/build-dashboard.mjs'), dir])
  }
  catch (error) {
    dispose()
    throw error
  }
  return { outputDir: join(dir, '.output'), dispose }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    child.on('error', reject)
    child.on('exit', code => (code === 0 ? resolvePromise() : reject(new Error(`dashboard build failed (${code}):\n${log.slice(-4000)}`))))
  })
}
