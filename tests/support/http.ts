import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A running test HTTP server. */
export interface TestServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string
  port: number
  close: () => Promise<void>
}

/** Starts an HTTP server on `host` (a free port unless given) that is closed cleanly even with keep-alive browsers attached. */
export async function startTestServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  { host = '127.0.0.1', port = 0 }: { host?: string, port?: number } = {},
): Promise<TestServer> {
  const server = createServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const actual = (server.address() as AddressInfo).port
  const shownHost = host === '127.0.0.1' ? '127.0.0.1' : host
  return {
    url: `http://${shownHost}:${actual}`,
    port: actual,
    close: () => new Promise<void>((resolve) => {
      // Chromium keeps connections alive; without this, close() waits for them forever.
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/** Serves fixed pages: path -> [content type, body]; everything else is 404. */
export function staticPages(pages: Record<string, [string, string]>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const page = pages[path]
    if (!page) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': page[0], 'cache-control': 'no-store' }).end(page[1])
  }
}
