import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIMULATOR_PUBLIC_JWKS } from '../../../simulator/dev-key'
import { writeSimulator } from '../../../simulator/build'
import { startSimulatorServer } from '../../../simulator/server'
import type { SimulatorServer } from '../../../simulator/server'

describe('writeSimulator', () => {
  it('writes a page with relative asset URLs, its script and the public key set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'talk-sim-'))
    try {
      await writeSimulator(join(dir, 'nested'))
      const html = await readFile(join(dir, 'nested', 'index.html'), 'utf8')
      expect(html).toContain('src="./simulator.js"')
      expect(html).not.toMatch(/(src|href)="\//)
      expect((await readFile(join(dir, 'nested', 'simulator.js'), 'utf8')).length).toBeGreaterThan(1000)
      expect(JSON.parse(await readFile(join(dir, 'nested', 'jwks.json'), 'utf8'))).toEqual(SIMULATOR_PUBLIC_JWKS)
    }
    finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('startSimulatorServer', () => {
  let server: SimulatorServer
  beforeAll(async () => {
    server = await startSimulatorServer()
  })
  afterAll(() => server.close())

  it('serves the page, script and key set uncached at a URL ending with a slash', async () => {
    expect(server.url).toBe(`${server.origin}/`)
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    for (const [path, type] of [['', 'text/html'], ['simulator.js', 'text/javascript'], ['jwks.json', 'application/json']]) {
      const response = await fetch(new URL(path!, server.url))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain(type)
      expect(response.headers.get('cache-control')).toBe('no-store')
      await response.arrayBuffer()
    }
  })

  it('lets apps on this machine frame the page, on any port, and no other site', async () => {
    const policy = (await fetch(server.url)).headers.get('content-security-policy')
    expect(policy).toMatch(/; frame-ancestors 'self' http:\/\/localhost:\* http:\/\/127\.0\.0\.1:\* https:\/\/localhost:\* https:\/\/127\.0\.0\.1:\*$/)
    const open = await startSimulatorServer({ frameAncestors: ['https://app.example.com'] })
    try {
      expect((await fetch(open.url)).headers.get('content-security-policy')).toMatch(/; frame-ancestors https:\/\/app\.example\.com$/)
    }
    finally {
      await open.close()
    }
    await expect(startSimulatorServer({ frameAncestors: ['https://a.example; script-src *'] })).rejects.toThrow(/Not a frame-ancestors source/)
  })

  it('answers 404 for anything else', async () => {
    const response = await fetch(new URL('../package.json', server.url))
    expect(response.status).toBe(404)
    await response.arrayBuffer()
  })
})
