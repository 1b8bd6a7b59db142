import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../../..')

/** Compiles the library into dist/ (`npm run build:package`), which the fixture apps import as users do. */
export function buildPackage(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(root, 'node_modules/unbuild/dist/cli.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    child.on('error', fail)
    child.on('exit', code => (code === 0 ? done() : fail(new Error(`package build failed (${code}):\n${log.slice(-4000)}`))))
  })
}
