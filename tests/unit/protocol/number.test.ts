import { describe, expect, it } from 'vitest'
import { isTalkError, normalizeTalkNumber } from '../../../protocol'

describe('normalizeTalkNumber', () => {
  it.each([
    ['+358 40 123 4567', '+358401234567'],
    ['040-123 45 67', '0401234567'],
    ['(09) 1234.567', '091234567'],
    ['+1 (555) 010-0000', '+15550100000'],
    ['\t0401234567\n', '0401234567'],
    ['112', '112'],
    ['12', '12'],
  ])('turns %j into %j', (input, expected) => {
    expect(normalizeTalkNumber(input)).toBe(expected)
  })

  it('accepts an integer and writes it as digits', () => {
    expect(normalizeTalkNumber(358401234567)).toBe('358401234567')
  })

  it.each([
    ['', 'empty'],
    ['  - ()', 'only separators'],
    ['040 123 ABC', 'letters'],
    ['tel:0401234567', 'a URI'],
    ['1', 'too short'],
    ['+1', 'too short after the +'],
    ['123456789012345678901', 'too long'],
    ['12+34', 'a + that is not leading'],
    ['++358401234567', 'two +'],
    ['0401234567;ext=1', 'an extension'],
  ])('rejects %j (%s) with invalid-number', (input) => {
    expect(() => normalizeTalkNumber(input)).toThrow(expect.objectContaining({ code: 'invalid-number' }))
  })

  it('rejects numbers that are not integers, and values that are not numbers or strings', () => {
    for (const input of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21, null, undefined, {}, ['0401234567']]) {
      let thrown: unknown
      try {
        normalizeTalkNumber(input as string)
      }
      catch (error) {
        thrown = error
      }
      expect(isTalkError(thrown, 'invalid-number')).toBe(true)
    }
  })

  it('never repeats the number in the error, so it cannot end up in logs', () => {
    expect(() => normalizeTalkNumber('040 SECRET 99')).toThrow(expect.not.objectContaining({ message: expect.stringContaining('SECRET') }))
  })
})
