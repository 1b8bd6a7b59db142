#!/usr/bin/env node
/**
 * `npx nuxt-leaddesk-talk-simulator [--port 4400] [--host 127.0.0.1] [--frame-ancestors …]`: serves the LeadDesk Talk
 * simulator for developing a Talk integration without a LeadDesk account. PORT and HOST in the
 * environment work too; the flags win.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_STANDALONE_FRAME_ANCESTORS, isFrameAncestorSource } from './headers'
import { startSimulatorServer } from './server'

const USAGE = `Usage: nuxt-leaddesk-talk-simulator [--port <port>] [--host <host>] [--frame-ancestors <sources>]

Serves the LeadDesk Talk simulator (default http://127.0.0.1:4400/).
  --port, -p          port to listen on (env PORT; 0 picks a free one)
  --host              interface to listen on (env HOST; default 127.0.0.1, loopback only)
  --frame-ancestors   who may frame the page: CSP sources separated by spaces or commas
                      (default: ${DEFAULT_STANDALONE_FRAME_ANCESTORS.join(' ')};
                      e.g. "https://app.example.com", or "*" for any site)
  --help, -h          show this help`

/** Reads the port from `--port` or `PORT`; a clear error names a bad value. */
function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value.trim()) || port > 65_535) throw new Error(`--port: "${value}" is not a port number (0 to 65535)`)
  return port
}

/** Reads `--frame-ancestors`; a clear error names a source CSP would not take. */
function parseFrameAncestors(value: string | undefined): readonly string[] {
  if (value === undefined) return DEFAULT_STANDALONE_FRAME_ANCESTORS
  const sources = value.split(/[\s,]+/).filter(Boolean).map(source => /^(self|none)$/i.test(source) ? `'${source.toLowerCase()}'` : source)
  const bad = sources.find(source => !isFrameAncestorSource(source))
  if (bad !== undefined || sources.length === 0) throw new Error(`--frame-ancestors: "${bad ?? value}" is not a frame-ancestors source ('self', 'none', *, or an origin such as https://app.example.com or http://localhost:*)`)
  return sources
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'port': { type: 'string', short: 'p' },
      'host': { type: 'string' },
      'frame-ancestors': { type: 'string' },
      'help': { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const port = parsePort(values.port ?? process.env.PORT ?? '4400')
  const host = values.host ?? process.env.HOST ?? '127.0.0.1'
  const server = await startSimulatorServer({ host, port, frameAncestors: parseFrameAncestors(values['frame-ancestors']) })

  console.log(`LeadDesk Talk simulator: ${server.url}`)
  console.log(`  auto-login:      ${server.url}?agent=Alice&lang=en`)
  console.log(`  callee answers:  ${server.url}?agent=Alice&answerAfter=2000`)
  console.log(`  JWKS (dev key):  ${server.url}jwks.json`)
  console.log('')
  console.log('Embed it like Talk, and trust its origin:')
  console.log(`  createTalk({ src: '${server.url}?agent=Alice', allowedOrigins: ['${server.origin}'] })`)
  console.log('')
  console.log('Press Ctrl+C to stop.')

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().then(() => process.exit(0))
    })
  }
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code
  const message = code === 'EADDRINUSE'
    ? 'that port is in use: pick another with --port'
    : error instanceof Error ? error.message : String(error)
  console.error(`nuxt-leaddesk-talk-simulator: ${message}\n\n${USAGE}`)
  process.exit(1)
})
