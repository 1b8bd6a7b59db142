import { connect } from 'node:net'
import type { H3Error } from 'h3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startApiServer } from './support/api-app'
import { backends } from './support/backends'

/**
 * Sends the headers and part of a body on a real socket, then ends the connection: the server
 * reads the start of the upload and then finds the client gone, as with a closed tab.
 */
function abortedUpload(url: string, path: string, type: string): Promise<void> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${type}\r\nContent-Length: 50000\r\n\r\n${'name,phone\nHalf Way,+358401234567\n'.repeat(20)}`)
    })
    let answer = ''
    socket.on('data', (data: Buffer) => (answer += data.toString()))
    socket.on('error', () => {})
    socket.on('close', () => resolve())
    socket.setTimeout(10_000, () => reject(new Error(`the server kept the connection open: ${path} ${answer.slice(0, 200)}`)))
  })
}

describe('aborted uploads', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('logs clients that stop mid-upload as one short line, never a stack, however many there are', { timeout: 60_000 }, async () => {
    const { app, drop } = await backends[0]!.create()
    const errors: H3Error[] = []
    const server = await startApiServer(async () => app, { onError: error => void errors.push(error) })
    const logged: string[] = []
    for (const level of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    try {
      const targets = [['/api/contacts/import', 'text/csv'], ['/api/contacts', 'application/json'], ['/api/calls/batch', 'application/json']] as const
      const total = 1000
      for (let start = 0; start < total; start += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => {
          const [path, type] = targets[(start + i) % targets.length]!
          return abortedUpload(server.url, path, type)
        }))
      }
      await expect.poll(() => errors.length, { timeout: 20_000 }).toBe(total)
      // 400 for a cut body; 429 for an import refused up front while two others still run (LEADDESK_TALK_MAX_IMPORTS).
      expect(errors.filter(error => error.unhandled || (error.statusCode !== 400 && error.statusCode !== 429))).toEqual([])

      const lines = logged.flatMap(entry => entry.split('\n'))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^\[leaddesk-talk\] A client stopped sending its request body midway: POST \/api\/(contacts\/import|contacts|calls\/batch)$/)
      expect(Buffer.byteLength(logged.join('\n'))).toBeLessThan(200)

      // Nothing half-read was stored, and the server answers the next client as usual.
      expect((await (await fetch(`${server.url}/api/contacts?limit=1`)).json()).total).toBe(0)
      const created = await fetch(`${server.url}/api/contacts`, { method: 'POST', body: JSON.stringify({ name: 'After Aborts', phone: '+358 40 111 2222' }), headers: { 'content-type': 'application/json' } })
      expect(created.status).toBe(201)
    }
    finally {
      await server.close()
      await drop()
    }
  })
})
