import { describe, expect, it } from 'vitest'
import { formatPhone, normalizePhone, phoneE164, phoneProblem, phoneSearchForms, phoneSuffix, samePhone } from '../../../server/utils/phone'

describe('phone numbers', () => {
  it('normalises by dropping punctuation and turning 00 into +', () => {
    expect(normalizePhone(' +358 (40) 123-45.67 ')).toBe('+358401234567')
    expect(normalizePhone('0046 70-174 06 05')).toBe('+46701740605')
    expect(normalizePhone('040 123 4567')).toBe('0401234567')
  })

  it('accepts 2 to 20 digits with an optional leading + and says why anything else is refused', () => {
    expect(phoneProblem('+358 40 123 4567')).toBeNull()
    expect(phoneProblem('112')).toBeNull()
    expect(phoneProblem('')).toBe('is empty')
    expect(phoneProblem('1')).toMatch(/2 to 20 digits/)
    expect(phoneProblem('1'.repeat(21))).toMatch(/2 to 20 digits/)
    expect(phoneProblem('040 CALL ME')).toMatch(/only digits/)
    expect(phoneProblem('++358401234567')).toMatch(/only digits/)
    expect(phoneProblem('040+123')).toMatch(/only digits/)
  })

  it('treats national and international forms of one number as the same line', () => {
    expect(samePhone('040 123 4567', '+358 40 123 4567')).toBe(true)
    expect(samePhone('07700 900123', '+44 7700 900123')).toBe(true)
    expect(samePhone('070-174 06 05', '0046 70 174 06 05')).toBe(true)
    expect(samePhone('040 123 4567', '040 123 4568')).toBe(false)
    // Short numbers only match exactly: 8 digits are too few for the suffix rule.
    expect(samePhone('1234 5678', '+358 1234 5678')).toBe(false)
    expect(samePhone('112', '112')).toBe(true)
    expect(phoneSuffix('+358401234567')).toBe('401234567')
    expect(phoneSuffix('12345678')).toBeNull()
  })

  it('offers the international, national and subscriber digits for search', () => {
    expect(phoneSearchForms('+358401234567')).toEqual(['358401234567', '401234567', '0401234567'])
    expect(phoneSearchForms('+447700900123')).toEqual(['447700900123', '700900123', '07700900123'])
    expect(phoneSearchForms('0401234567')).toEqual(['0401234567', '401234567'])
  })
})

describe('numbers read with libphonenumber-js', () => {
  it('places national numbers in the default region and international ones anywhere', () => {
    expect(phoneE164('040 032 6411', 'FI')).toBe('+358400326411')
    expect(phoneE164('00358 40 032 6411', 'FI')).toBe('+358400326411')
    expect(phoneE164('+358 (40) 032-6411')).toBe('+358400326411')
    // A Helsinki landline: 8 national digits, where the last-9-digits rule cannot pair the two forms.
    expect(phoneE164('09 123 4567', 'FI')).toBe(phoneE164('+358 9 123 4567'))
    expect(phoneE164('040 032 6411', undefined)).toBeNull()
    expect(phoneE164('12', 'FI')).toBeNull()
  })

  it('shows every number in one international format, and what it cannot place as given', () => {
    expect(formatPhone('+358400326411')).toBe('+358 40 0326411')
    expect(formatPhone('040 032 6411', 'FI')).toBe('+358 40 0326411')
    expect(formatPhone('+46701740605')).toBe('+46 70 174 06 05')
    expect(formatPhone(' 040 032 6411 ', undefined)).toBe('040 032 6411')
  })
})
