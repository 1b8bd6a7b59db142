import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize } from 'node:path'

/** The environment of a production build or server: without the test runner's markers, which would switch Nuxt to test mode. */
export function productionEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NUXT_TELEMETRY_DISABLED: '1', ...extra }
  for (const key of Object.keys(env)) if (key === 'TEST' || key.startsWith('VITEST')) delete env[key]
  return env
}

/** Runs a command in `cwd` to completion; resolves with its output, rejects with the output's tail when it fails. */
export function run(command: string, args: string[], { cwd, env = productionEnv() }: { cwd: string, env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk))
    child.on('error', fail)
    child.on('exit', code => code === 0 ? done(output) : fail(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${output.slice(-6000)}`)))
  })
}

/** A long-running child process that said where it listens. */
export interface ListeningProcess {
  port: number
  child: ChildProcess
  stop: () => Promise<void>
}

/**
 * Starts a server process and resolves once its output matches `listening` (whose first group is
 * the port); rejects with the output if it exits first.
 */
export function startListening(command: string, args: string[], { cwd, env, listening }: { cwd: string, env: NodeJS.ProcessEnv, listening: RegExp }): Promise<ListeningProcess> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk
      const port = listening.exec(output)?.[1]
      if (port) {
        child.stdout!.off('data', onData)
        child.stderr!.off('data', onData)
        done({ port: Number(port), child, stop: () => stopProcess(child) })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('error', fail)
    child.on('exit', code => fail(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)))
  })
}

/** Stops a child process and waits until it has exited. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    child.once('exit', () => done())
    child.kill('SIGTERM')
  })
}

/** Starts a built Nuxt server (`.output/server/index.mjs`) on a free port of 127.0.0.1. */
export function startNuxtOutput(outputDir: string, env: NodeJS.ProcessEnv = {}): Promise<ListeningProcess> {
  return startListening(process.execPath, [join(outputDir, 'server/index.mjs')], {
    cwd: outputDir,
    env: productionEnv({ NITRO_HOST: '127.0.0.1', NITRO_PORT: '0', ...env }),
    listening: /Listening on http:\/\/[^:]+:(\d+)/,
  })
}

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml' }

/** Serves a built static app (Vite's dist) with index.html for `/`. */
export function serveDir(dir: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = normalize(join(dir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dir)) return void res.writeHead(403).end()
    readFile(file).then(
      body => res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end('not found'),
    )
  }
}
