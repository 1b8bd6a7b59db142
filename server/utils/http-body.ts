import { Buffer } from 'node:buffer'
import { createError, getRequestHeader, setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import { badRequest } from './api-errors'

/** The largest JSON body accepted (64 kB). */
export const MAX_JSON_BYTES = 64 * 1024
/** The largest CSV upload accepted (5 MB). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024

function tooLarge(limit: number) {
  return createError({
    statusCode: 413,
    statusMessage: 'Payload Too Large',
    message: `The request body is larger than ${limit} bytes`,
    data: { field: 'body', reason: `must be at most ${limit} bytes` },
  })
}

/**
 * Reads the raw body, refusing more than `limit` bytes with a 413: first by the declared
 * Content-Length (nothing is read), then by counting the bytes that arrive (a chunked upload
 * or a lying header). The rest of an oversized upload is discarded, never buffered.
 */
export async function readBodyBytes(event: H3Event, limit: number): Promise<Buffer> {
  const declared = Number(getRequestHeader(event, 'content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) {
    setResponseHeader(event, 'connection', 'close')
    throw tooLarge(limit)
  }
  const req = event.node.req
  // Some hosts (serverless adapters) hand the body over already read.
  const preset = (req as { body?: unknown }).body
  if (typeof preset === 'string' || preset instanceof Uint8Array) {
    const bytes = typeof preset === 'string' ? Buffer.from(preset) : Buffer.from(preset)
    if (bytes.length > limit) throw tooLarge(limit)
    return bytes
  }
  return await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        // Keep draining so the 413 can be sent, then close the connection.
        req.resume()
        setResponseHeader(event, 'connection', 'close')
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** Decodes an upload as UTF-8 (a BOM is dropped); throws a 400 when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  }
  catch {
    throw badRequest('body', 'is not UTF-8 text; save the file as UTF-8 CSV')
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

/** Reads a CSV upload of at most 5 MB as text (UTF-8, BOM or not); 413 when larger, 400 when not UTF-8. */
export async function readCsvBody(event: H3Event, limit = MAX_CSV_BYTES): Promise<string> {
  return decodeUtf8(await readBodyBytes(event, limit))
}
