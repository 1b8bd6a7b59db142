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
    complete = true
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

const notUtf8 = () => badRequest('body', 'is not UTF-8 text; save the file as UTF-8 CSV')

/** Decodes an upload as UTF-8 (a BOM is dropped); throws a 400 when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  }
  catch {
    throw notUtf8()
  }
}

/** Reads a JSON body of at most 64 kB; 413 when larger, 400 `{ field: 'body' }` when not JSON. */
export async function readJsonBody(event: H3Event, limit = MAX_JSON_BYTES): Promise<unknown> {
  const text = decodeUtf8(await readBodyBytes(event, limit))
  if (!text.trim()) throw badRequest('body', 'is empty; send a JSON object')
  try {
    return JSON.parse(text)
  }
  catch {
    throw badRequest('body', 'is not valid JSON')
  }
}
