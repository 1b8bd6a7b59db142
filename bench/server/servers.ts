/**
 * Dashboard servers for the server-scale rows: this tree's build, and the build of the commit
 * before the data layer was replaced (one db0 connection behind one lock), both started as
 * `node .output/server/index.mjs` the way an operator runs them.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../bundle-size'
import { freePort } from '../dashboard/session'

/** The commit whose server every figure is compared with (the last one on db0 behind one lock). */
export const BASELINE_COMMIT = 'e2bd8d6'

/** A running server process. */
export interface RunningServer {
  url: string
  pid: number
  /** Resident memory of the process now (bytes), from /proc. */
  rss: () => number
  stop: () => Promise<void>
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    child.on('error', reject)
    child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${log.slice(-1500)}`))))
  })
}

/** Builds this tree's dashboard into `dir` (every run: the tree may have changed). */
export async function buildCurrent(dir: string): Promise<string> {
  await run(process.execPath, [join(ROOT, 'scripts/build-dashboard.mjs'), dir], ROOT, { NODE_ENV: 'production' })
  return join(dir, '.output')
}

/**
 * Builds the baseline commit's dashboard into `dir`: its tree from `git archive`, this tree's
 * node_modules (same Nuxt) plus the two drivers it used and this tree no longer has.
 */
export async function buildBaseline(dir: string): Promise<string> {
  const output = join(dir, 'build/.output')
  if (existsSync(join(output, 'server/index.mjs'))) return output
  const tree = join(dir, 'tree')
  mkdirSync(tree, { recursive: true })
  execFileSync('sh', ['-c', `git archive ${BASELINE_COMMIT} | tar -x -C "${tree}"`], { cwd: ROOT })
  const pkg = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  // Node looks in tree/node_modules (this tree's) first, then in dir/node_modules (the old drivers).
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'))
  await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `db0@${pkg.dependencies.db0}`, `@libsql/client@${pkg.dependencies['@libsql/client']}`], dir)
  // Its tsconfig.json points at .nuxt/, which `nuxt prepare` writes (the build itself writes a private buildDir).
  await run(process.execPath, [join(ROOT, 'node_modules/nuxt/bin/nuxt.mjs'), 'prepare'], tree)
  await run(process.execPath, [join(tree, 'scripts/build-dashboard.mjs'), join(dir, 'build')], tree, { NODE_ENV: 'production' })
  return output
}

/** A temp directory for the bench, removed by the returned function unless BENCH_SERVER_DIR keeps it. */
export function benchDirectory(): { dir: string, remove: () => void } {
  const kept = process.env.BENCH_SERVER_DIR
  if (kept) {
    mkdirSync(kept, { recursive: true })
    return { dir: kept, remove: () => {} }
  }
  const dir = mkdtempSync(join(tmpdir(), 'leaddesk-talk-scale-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Starts `output`'s server on a free loopback port with `env` (database settings) and waits until it answers. */
export async function startServer(output: string, env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort()
  const child = spawn(process.execPath, [join(output, 'server/index.mjs')], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', NITRO_HOST: '127.0.0.1', PORT: String(port), NITRO_PORT: String(port), LEADDESK_TALK_SEED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)))
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start: ${log.slice(-1500)}`)
    try {
      // The first request opens the database and migrates it.
      if ((await fetch(`${url}/api/contacts?limit=1`)).status === 200) break
    }
    catch {
      // Not listening yet.
    }
    await new Promise<void>(resolve => setTimeout(resolve, 100))
  }
  return {
    url,
    pid: child.pid!,
    rss: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill()
    }),
  }
}
