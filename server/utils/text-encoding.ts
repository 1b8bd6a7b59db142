/**
 * Which text encoding an uploaded file uses, decided from its bytes (never from what the
 * browser or a header claims), and the file re-encoded as UTF-8 as it streams.
 *
 * - A byte order mark decides: UTF-8, UTF-16 LE or UTF-16 BE.
 * - Without one, the first byte outside ASCII decides: the start of a valid UTF-8 sequence
 *   means UTF-8, anything else Windows-1252 (what Excel writes as "CSV" on Western Windows).
 *   Both encodings agree on every ASCII byte before it, so the decision never has to look at
 *   the whole file, and a file that is ASCII throughout is UTF-8.
 * - Decoding is strict: invalid UTF-8 or UTF-16 after that point is refused with a 400, so no
 *   U+FFFD ever reaches the database. Windows-1252 decodes every byte; its table is written out
 *   here because decoders differ on 0x80–0x9F (Node's `TextDecoder('windows-1252')` gives the
 *   C1 controls U+0080–U+009F instead of €, ’, – and the rest).
 */
import { badRequest } from './api-errors'

/** The encodings an upload is read in; `utf-8-bom` is UTF-8 that starts with a byte order mark. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'

// WHATWG Encoding Standard, index windows-1252: the characters of 0x80–0x9F (0x81, 0x8D, 0x8F,
// 0x90 and 0x9D are unassigned and map to the C1 control of the same number).
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F'
  + '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178'

/** Decodes Windows-1252 bytes (every byte is a character: nothing can fail). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), byte => byte >= 0x80 && byte < 0xA0 ? CP1252_HIGH.charCodeAt(byte - 0x80) : byte)
    text += String.fromCharCode(...codes)
  }
  return text
}

/** How long the UTF-8 sequence starting with `lead` is, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  return lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
}

/** Whether `bytes` from `at` hold one complete, valid UTF-8 sequence; `null` when the bytes end first. */
function validSequenceAt(bytes: Uint8Array, at: number): boolean | null {
  const length = sequenceLength(bytes[at]!)
  if (length === 0) return false
  if (at + length > bytes.length) return null
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length))
    return true
  }
  catch {
    return false
  }
}

/**
 * Decides the encoding from the start of a file; `null` while the bytes seen so far cannot tell
 * (all ASCII, or a possible byte order mark or UTF-8 sequence cut short). `complete`: there are
 * no more bytes, so what is seen decides.
 */
export function detectEncoding(bytes: Uint8Array, complete = false): { encoding: TextEncodingName, bomLength: number } | null {
  const [a, b, c] = bytes
  if (a === 0xEF && b === 0xBB && c === 0xBF) return { encoding: 'utf-8-bom', bomLength: 3 }
  if (a === 0xFF && b === 0xFE) return { encoding: 'utf-16le', bomLength: 2 }
  if (a === 0xFE && b === 0xFF) return { encoding: 'utf-16be', bomLength: 2 }
  if (!complete && bytes.length < 3 && (a === 0xEF || a === 0xFF || a === 0xFE)) return null
  const first = bytes.findIndex(byte => byte >= 0x80)
  if (first === -1) return complete ? { encoding: 'utf-8', bomLength: 0 } : null
  const valid = validSequenceAt(bytes, first)
  if (valid === null && !complete) return null
  return { encoding: valid ? 'utf-8' : 'windows-1252', bomLength: 0 }
}

const notText = (encoding: TextEncodingName) => badRequest('body', `is not valid ${encoding === 'utf-8' || encoding === 'utf-8-bom' ? 'UTF-8' : 'UTF-16'} text throughout (it starts as ${encoding}); save the file again in one encoding`)

/** `a` and `b` as one array. */
function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const joined = new Uint8Array(a.length + b.length)
  joined.set(a)
  joined.set(b, a.length)
  return joined
}

/**
 * Passes an upload on as UTF-8 bytes, whatever it was written in; `onEncoding` hears the
 * encoding as soon as it is decided (at the latest when the upload ends). ASCII before the
 * decision passes through at once (it reads the same either way), so memory stays flat. Throws
 * a 400 at the first bytes that are invalid in the decided encoding.
 */
export async function* toUtf8Chunks(chunks: AsyncIterable<Uint8Array>, onEncoding: (encoding: TextEncodingName) => void): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder()
  let pending: Uint8Array = new Uint8Array(0)
  let atStart = true
  let decided: TextEncodingName | null = null
  let decode: (bytes: Uint8Array, last: boolean) => string = () => ''

  function use(encoding: TextEncodingName) {
    decided = encoding
    onEncoding(encoding)
    if (encoding === 'windows-1252') return void (decode = bytes => decodeWindows1252(bytes))
    const decoder = new TextDecoder(encoding === 'utf-16le' || encoding === 'utf-16be' ? encoding : 'utf-8', { fatal: true, ignoreBOM: true })
    decode = (bytes, last) => decoder.decode(bytes, { stream: !last })
  }

  function convert(bytes: Uint8Array, last: boolean): Uint8Array {
    try {
      return encoder.encode(decode(bytes, last))
    }
    catch {
      throw notText(decided!)
    }
  }

  /** Moves what can be decided out of `pending`: the ASCII before the first other byte, then (once decidable) the rest, converted. */
  function* advance(complete: boolean): Generator<Uint8Array> {
    if (atStart) {
      const bom = detectEncoding(pending.subarray(0, 3), complete || pending.length >= 3)
      if (!bom && pending.length < 3 && !complete) return
      atStart = false
      if (bom?.bomLength) {
        use(bom.encoding)
        pending = pending.subarray(bom.bomLength)
        return
      }
    }
    const first = pending.findIndex(byte => byte >= 0x80)
    if (first === -1) {
      if (pending.length) yield pending
      pending = new Uint8Array(0)
      return
    }
    if (first > 0) yield pending.subarray(0, first)
    pending = pending.subarray(first)
    const valid = validSequenceAt(pending, 0)
    if (valid === null && !complete) return
    use(valid ? 'utf-8' : 'windows-1252')
  }

  for await (const chunk of chunks) {
    if (decided) {
      yield convert(chunk, false)
      continue
    }
    pending = join(pending, chunk)
    yield* advance(false)
    if (decided) {
      yield convert(pending, false)
      pending = new Uint8Array(0)
    }
  }
  if (!decided) {
    yield* advance(true)
    if (!decided) use('utf-8')
  }
  yield convert(pending, true)
}
