import { describe, expect, it } from 'vitest'
import { decodeWindows1252, detectEncoding, toUtf8Chunks } from '../../../server/utils/text-encoding'
import type { TextEncodingName } from '../../../server/utils/text-encoding'

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap(part => typeof part == 'string' ? [...new TextEncoder().encode(part)] : part))

/** Runs `toUtf8Chunks` over `chunks` and returns the text and the encoding it decided. */
async function convert(...chunks: Uint8Array[]): Promise<{ text: string, encoding: TextEncodingName | null }> {
  let encoding: TextEncodingName | null = null
  async function* source() {
    yield* chunks
  }
  const out: Uint8Array[] = []
  for await (const chunk of toUtf8Chunks(source(), (found) => {
    encoding = found
  })) out.push(chunk)
  return { text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(out)), encoding }
}

describe('the encoding of an upload, decided from its bytes', () => {
  it('follows a byte order mark', () => {
    expect(detectEncoding(bytes([0xEF, 0xBB, 0xBF], 'a'))).toEqual({ encoding: 'utf-8-bom', bomLength: 3 })
    expect(detectEncoding(bytes([0xFF, 0xFE, 0x61, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2 })
    expect(detectEncoding(bytes([0xFE, 0xFF, 0, 0x61]))).toEqual({ encoding: 'utf-16be', bomLength: 2 })
  })

  it('reads the first byte outside ASCII: a valid UTF-8 sequence is UTF-8, anything else Windows-1252', () => {
    expect(detectEncoding(bytes('name\nJ', [0xC3, 0xA4], 'rvinen'))).toEqual({ encoding: 'utf-8', bomLength: 0 })
    expect(detectEncoding(bytes('name\nJ', [0xE4], 'rvinen'))).toEqual({ encoding: 'windows-1252', bomLength: 0 })
    expect(detectEncoding(bytes('O', [0x92], 'Brien'))).toEqual({ encoding: 'windows-1252', bomLength: 0 })
    // An overlong form is no valid UTF-8.
    expect(detectEncoding(bytes([0xC0, 0xAF]))).toEqual({ encoding: 'windows-1252', bomLength: 0 })
  })

  it('waits while the bytes cannot tell, and calls an ASCII file UTF-8 once it ends', () => {
    expect(detectEncoding(bytes('name,phone'))).toBeNull()
    expect(detectEncoding(bytes('J', [0xC3]))).toBeNull()
    expect(detectEncoding(bytes([0xEF, 0xBB]))).toBeNull()
    expect(detectEncoding(bytes('name,phone'), true)).toEqual({ encoding: 'utf-8', bomLength: 0 })
  })

  it('decodes all of Windows-1252 as the WHATWG table has it, 0x80–0x9F included', () => {
    const high = Array.from({ length: 32 }, (_, i) => 0x80 + i)
    expect(decodeWindows1252(new Uint8Array(high))).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009Džÿ'.replace('ÿ', 'Ÿ'))
    expect(decodeWindows1252(bytes([0xE4, 0xF6, 0xE5, 0xFF, 0xA0]))).toBe('äöåÿ\u00A0')
    expect(decodeWindows1252(new Uint8Array(20_000).fill(0x41))).toHaveLength(20_000)
  })

  it('re-encodes a stream as UTF-8, whatever the chunk boundaries', async () => {
    expect(await convert(bytes('name\nJ', [0xE4]), bytes('rvinen ', [0x80]))).toEqual({ text: 'name\nJärvinen €', encoding: 'windows-1252' })
    expect(await convert(bytes('name\nJ', [0xC3]), bytes([0xA4], 'rvinen'))).toEqual({ text: 'name\nJärvinen', encoding: 'utf-8' })
    expect(await convert(bytes([0xEF]), bytes([0xBB, 0xBF], 'Åsa'))).toEqual({ text: 'Åsa', encoding: 'utf-8-bom' })
    expect(await convert(bytes([0xFF, 0xFE, 0xC5]), bytes([0, 0x73, 0]))).toEqual({ text: 'Ås', encoding: 'utf-16le' })
    expect(await convert(bytes('plain ascii'))).toEqual({ text: 'plain ascii', encoding: 'utf-8' })
    expect(await convert()).toEqual({ text: '', encoding: 'utf-8' })
  })

  it('refuses bytes that break the decided encoding later on, so no U+FFFD is made', async () => {
    await expect(convert(bytes('Å'), bytes('J', [0xE4]))).rejects.toMatchObject({ statusCode: 400, data: { field: 'body' } })
    await expect(convert(bytes([0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]))).rejects.toMatchObject({ statusCode: 400 })
  })
})
