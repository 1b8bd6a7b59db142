import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { simulatorAssets } from './build'
import { DEFAULT_STANDALONE_FRAME_ANCESTORS, simulatorPagePolicy } from './headers'

/** A running simulator server. */
export interface SimulatorServer {
  /** The simulator page, e.g. `http://127.0.0.1:4400/` (ends with '/'). */
  url: string
  /** The page's origin, to add to `allowedOrigins`. */
  origin: string
  close(): Promise<void>
}

/** Where the simulator server listens, and who may frame its page. */
export interface SimulatorServerOptions {
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** CSP `frame-ancestors` sources of the page; default: any app on localhost or 127.0.0.1, any port. */
  frameAncestors?: readonly string[]
}

/** Serves the simulator (index.html, simulator.js, jwks.json) from memory over plain HTTP on `host`:`port` (a free port by default). */
export async function startSimulatorServer({ host = '127.0.0.1', port = 0, frameAncestors = DEFAULT_STANDALONE_FRAME_ANCESTORS }: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const pagePolicy = simulatorPagePolicy(frameAncestors)
  const assets = new Map((await simulatorAssets()).map(asset => [`/${asset.path}`, asset]))
  assets.set('/', assets.get('/index.html')!)

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname
    const asset = assets.get(path)
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(asset ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(asset ? 'method not allowed' : 'not found')
      return
    }
    res.writeHead(200, {
      'content-type': asset.contentType,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(asset.path === 'index.html' ? { 'content-security-policy': pagePolicy } : {}),
      // The key set is public; any page or server may fetch it to verify simulator tokens.
      ...(asset.path === 'jwks.json' ? { 'access-control-allow-origin': '*' } : {}),
    })
    res.end(req.method === 'HEAD' ? undefined : asset.body)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const { port: actualPort } = server.address() as AddressInfo
  const shownHost = host.includes(':') ? `[${host}]` : host
  const origin = `http://${shownHost}:${actualPort}`
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve, reject) => {
      // Browsers keep connections alive; without this, close() would wait for them.
      server.closeAllConnections()
      server.close(error => error ? reject(error) : resolve())
    }),
  }
}
