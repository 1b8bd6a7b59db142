import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatTalkTime, isTalkError, parseTalkTime, tryParseTalkTime } from '../../../protocol'

function timeError(run: () => unknown) {
  try {
    const value = run()
    throw new Error(`expected invalid-time, got ${String(value)}`)
  }
  catch (error) {
    expect(isTalkError(error, 'invalid-time')).toBe(true)
    return error as Error
  }
}

describe('parseTalkTime', () => {
  it('reads a Talk timestamp as the agent\'s local time', () => {
    expect(parseTalkTime('2024-05-06 07:08:09')).toBe(new Date(2024, 4, 6, 7, 8, 9).getTime())
  })

  it('accepts the spec\'s "yyyy mm-dd" typo, an ISO T separator and surrounding spaces', () => {
    const expected = new Date(2024, 4, 6, 7, 8, 9).getTime()
    expect(parseTalkTime('2024 05-06 07:08:09')).toBe(expected)
    expect(parseTalkTime('2024-05-06T07:08:09')).toBe(expected)
    expect(parseTalkTime(' 2024-05-06 07:08:09\n')).toBe(expected)
  })

  it('accepts leap days, midnight and the last second of a day', () => {
    expect(parseTalkTime('2024-02-29 12:00:00')).toBe(new Date(2024, 1, 29, 12).getTime())
    expect(parseTalkTime('2024-12-31 00:00:00')).toBe(new Date(2024, 11, 31).getTime())
    expect(parseTalkTime('2024-12-31 23:59:59')).toBe(new Date(2024, 11, 31, 23, 59, 59).getTime())
  })

  it.each([
    '2024-02-30 00:00:00',
    '2023-02-29 12:00:00',
    '2024-04-31 10:00:00',
    '2024-13-01 00:00:00',
    '2024-00-10 00:00:00',
    '2024-05-06 25:00:00',
    '2024-05-06 24:00:00',
    '2024-05-06 12:60:00',
    '2024-05-06 12:00:60',
    '2024-05-06',
    '2024-05-06 7:08:09',
    '2024-05-06 07:08:09Z',
    '2024-05-06 07:08:09+02:00',
    '2024-05-06 07:08:09.123',
    '06.05.2024 07:08:09',
    'garbage',
    '',
  ])('throws invalid-time for %j instead of returning NaN', (text) => {
    expect(timeError(() => parseTalkTime(text)).message).toContain(JSON.stringify(text))
  })

  it('throws invalid-time for values that are not strings', () => {
    for (const value of [null, undefined, 1714979289000, {}, Object.create(null)]) timeError(() => parseTalkTime(value as string))
  })
})

describe('tryParseTalkTime', () => {
  it('returns null for a missing or invalid timestamp and the time for a valid one', () => {
    expect(tryParseTalkTime(null)).toBeNull()
    expect(tryParseTalkTime(undefined)).toBeNull()
    expect(tryParseTalkTime('2024-02-30 00:00:00')).toBeNull()
    expect(tryParseTalkTime('2024-05-06 07:08:09')).toBe(new Date(2024, 4, 6, 7, 8, 9).getTime())
  })
})

describe('formatTalkTime', () => {
  it('writes local time in Talk\'s format', () => {
    expect(formatTalkTime(new Date(2024, 0, 2, 3, 4, 5, 678).getTime())).toBe('2024-01-02 03:04:05')
  })

  it('throws invalid-time for times with no Talk form', () => {
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, new Date(10_000, 0, 1).getTime(), 8.64e15 + 1]) timeError(() => formatTalkTime(ms))
  })

  it('round-trips with parseTalkTime for any date', () => {
    const date = fc.date({ min: new Date(1970, 0, 1), max: new Date(9999, 11, 31), noInvalidDate: true })
    fc.assert(fc.property(date, (d) => {
      const text = formatTalkTime(d.getTime())
      expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      const parsed = parseTalkTime(text)
      expect(formatTalkTime(parsed)).toBe(text)
      // Whole seconds, and the same instant up to the hour a DST change repeats.
      expect(Math.abs(parsed % 1000)).toBe(0)
      expect(Math.abs(parsed - Math.floor(d.getTime() / 1000) * 1000)).toBeLessThanOrEqual(3_600_000)
    }))
  })
})

describe('Talk times in Europe/Helsinki', () => {
  const savedZone = process.env.TZ
  // Node applies a changed TZ at once, so these run in a zone with real history.
  beforeAll(() => void (process.env.TZ = 'Europe/Helsinki'))
  afterAll(() => {
    if (savedZone === undefined) delete process.env.TZ
    else process.env.TZ = savedZone
  })

  it('reads and writes a time under the historical offset of +1:39:49, seconds included', () => {
    const noon = Date.UTC(1900, 0, 1, 10, 20, 11)
    expect(parseTalkTime('1900-01-01 12:00:00')).toBe(noon)
    expect(formatTalkTime(noon)).toBe('1900-01-01 12:00:00')
  })

  it('rejects a local time skipped by the change to summer time, and reads the hour after it', () => {
    expect(timeError(() => parseTalkTime('2024-03-31 03:30:00')).message).toContain('2024-03-31 03:30:00')
    expect(parseTalkTime('2024-03-31 04:30:00')).toBe(Date.UTC(2024, 2, 31, 1, 30))
  })

  it('reads years before 100 as written, not as 19xx', () => {
    expect(formatTalkTime(parseTalkTime('0024-02-29 12:00:00'))).toBe('0024-02-29 12:00:00')
    expect(formatTalkTime(parseTalkTime('0000-02-29 00:00:00'))).toBe('0000-02-29 00:00:00')
  })
})
