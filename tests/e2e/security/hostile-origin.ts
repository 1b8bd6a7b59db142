import type { IncomingMessage, ServerResponse } from 'node:http'
import { startTestServer } from '../../support/http'

/** One message the recorder page received: who sent it and what. */
export interface RecordedMessage {
  origin: string
  data: unknown
}

/** A web site on an origin nobody trusts: blank pages to script from tests, and a page that records every message it receives. */
export interface HostileOrigin {
  /** E.g. `http://127.0.0.1:41234` (another port than the simulator: another origin). */
  origin: string
  /** An empty page, scripted by the tests through Playwright. */
  blankUrl: string
  /** A page that reports every `message` it receives back to this server. */
  recorderUrl: string
  /** What recorder pages received so far, in order. */
  received: () => RecordedMessage[]
  close: () => Promise<void>
}

// Sends its whole log with every message, so the newest report holds everything received before
// it even if the requests finish out of order.
const RECORDER_JS = `
var log = []
window.addEventListener('message', function (event) {
  var data
  try { data = JSON.parse(JSON.stringify(event.data)) } catch (e) { data = String(event.data) }
  log.push({ origin: event.origin, data: data })
  fetch('/log', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(log) })
})
document.title = 'recorder ready'
`

const page = (title: string, body = '') => `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>${body}</html>`

/** Starts the hostile origin on 127.0.0.1 (a free port). */
export async function startHostileOrigin(): Promise<HostileOrigin> {
  let received: RecordedMessage[] = []
  const server = await startTestServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const send = (type: string, body: string) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body)
    if (path === '/log' && req.method === 'POST') {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        const log = JSON.parse(body) as RecordedMessage[]
        if (log.length > received.length) received = log
        res.writeHead(204).end()
      })
      return
    }
    if (path === '/blank.html') return send('text/html; charset=utf-8', page('Not Talk'))
    if (path === '/recorder.html') return send('text/html; charset=utf-8', page('recorder', '<script src="/recorder.js"></script>'))
    if (path === '/recorder.js') return send('text/javascript', RECORDER_JS)
    res.writeHead(404).end()
  })
  return {
    origin: server.url,
    blankUrl: `${server.url}/blank.html`,
    recorderUrl: `${server.url}/recorder.html`,
    received: () => [...received],
    close: server.close,
  }
}
