import { Buffer } from 'node:buffer'
import { createError, getRequestHeader, setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import { badRequest } from './api-errors'

/** The largest JSON body accepted (64 kB). */
export const MAX_JSON_BYTES = 64 * 1024
/**
 * The largest CSV upload accepted (64 MB): room for a million contacts (a million lines of
 * name, phone and company take about 40 MB). The import streams, so memory does not grow with it.
 */
export const MAX_CSV_BYTES = 64 * 1024 * 1024

function tooLarge(limit: number) {
  return createError({
    statusCode: 413,
    statusMessage: 'Payload Too Large',
    message: `The request body is larger than ${limit} bytes`,
    data: { field: 'body', reason: `must be at most ${limit} bytes` },
  })
}

/** At most one log line per this many milliseconds about aborted uploads. */
const ABORTED_UPLOAD_LOG_INTERVAL_MS = 60_000

let abortedUploads = { loggedAt: Number.NEGATIVE_INFINITY, unreported: 0 }

/** Logs an aborted upload as one short line, at most once a minute, counting the ones it did not report. */
function reportAbortedUpload(method: string, path: string): void {
  const now = Date.now()
  if (now - abortedUploads.loggedAt < ABORTED_UPLOAD_LOG_INTERVAL_MS) {
    abortedUploads.unreported++
    return
  }
  const more = abortedUploads.unreported ? ` (and ${abortedUploads.unreported} more since the last report)` : ''
  console.warn(`[leaddesk-talk] A client stopped sending its request body midway: ${method} ${path.split('?')[0]!.slice(0, 100)}${more}`)
  abortedUploads = { loggedAt: now, unreported: 0 }
}

function uploadAborted() {
  return createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'The request body stopped before its end', data: { field: 'body', reason: 'stopped before its end' } })
}

// Some hosts (serverless adapters) hand the body over already read.
function presetBody(event: H3Event): Buffer | null {
  const preset = (event.node.req as { body?: unknown }).body
  if (typeof preset === 'string' || preset instanceof Uint8Array) return Buffer.from(preset)
  return null
}

/**
 * The raw body as it arrives, refusing more than `limit` bytes with a 413: first by the
 * declared Content-Length (nothing is read), then by counting the bytes that arrive (a
 * chunked upload or a lying header). The rest of an oversized upload is discarded, never
 * buffered, and the connection is closed after the answer.
 */
export async function* readBodyChunks(event: H3Event, limit: number): AsyncGenerator<Buffer> {
  const declared = Number(getRequestHeader(event, 'content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) {
    setResponseHeader(event, 'connection', 'close')
    throw tooLarge(limit)
  }
  const preset = presetBody(event)
  if (preset) {
    if (preset.length > limit) throw tooLarge(limit)
    yield preset
    return
  }
  const req = event.node.req
  let size = 0
  let complete = false
  try {
    // destroyOnReturn: false keeps the socket, so an answer (413, 400) can still be sent on it.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limit) throw tooLarge(limit)
      yield chunk
    }
    // A stream destroyed before it was read ends without an error: only `complete` tells a cut body from a whole one.
    if (!req.complete) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
    complete = true
  }
  catch (error) {
    // A client that gave up (closed the tab, lost the network) is not a server error: no stack, one short line now and then.
    if (req.readableAborted || (error as { code?: unknown }).code === 'ECONNRESET') {
      reportAbortedUpload(event.method, event.path)
      throw uploadAborted()
    }
    throw error
  }
  finally {
    if (!complete) {
      // Stopped early (too large, or the reader gave up): discard the rest and close after answering.
      setResponseHeader(event, 'connection', 'close')
      req.resume()
    }
  }
}

/** Reads the whole raw body, at most `limit` bytes (see `readBodyChunks`). */
export async function readBodyBytes(event: H3Event, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of readBodyChunks(event, limit)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** Decodes a JSON body as UTF-8 (a BOM is dropped); throws a 400 when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  }
  catch {
    throw badRequest('body', 'is not UTF-8 text (JSON bodies must be UTF-8)')
  }
}

/**
 * Refuses a body not sent as one of `types` with 415, before reading it: a page on another site
 * can only send `text/plain`, form or multipart bodies without asking first, so a write that
 * accepted any type would be open to it. Parameters are allowed; a charset must be UTF-8 unless
 * `anyCharset` (a body whose encoding is read from its bytes).
 */
export function requireContentType(event: H3Event, types: readonly string[], options: { anyCharset?: boolean } = {}): void {
  const header = getRequestHeader(event, 'content-type') ?? ''
  const [type = '', ...parameters] = header.split(';').map(part => part.trim().toLowerCase())
  const charset = parameters.find(parameter => parameter.startsWith('charset='))?.slice(8).replace(/"/g, '')
  if (types.includes(type) && (options.anyCharset || charset === undefined || charset === 'utf-8' || charset === 'utf8')) return
  const got = header ? header.slice(0, 100) : 'no Content-Type'
  throw createError({
    statusCode: 415,
    statusMessage: 'Unsupported Media Type',
    message: `Send the body as ${types.join(' or ')} (UTF-8); got ${got}`,
    data: { field: 'content-type', reason: `must be ${types.join(' or ')}` },
  })
}

/** Reads a JSON body (`application/json`, else 415) of at most 64 kB; 413 when larger, 400 `{ field: 'body' }` when not JSON. */
export async function readJsonBody(event: H3Event, limit = MAX_JSON_BYTES): Promise<unknown> {
  requireContentType(event, ['application/json'])
  const text = decodeUtf8(await readBodyBytes(event, limit))
  if (!text.trim()) throw badRequest('body', 'is empty; send a JSON object')
  try {
    return JSON.parse(text)
  }
  catch {
    throw badRequest('body', 'is not valid JSON')
  }
}
