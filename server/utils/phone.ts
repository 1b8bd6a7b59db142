/**
 * Phone numbers as the dashboard stores, matches and shows them.
 *
 * Matching rule, first that applies: numbers are the same line when libphonenumber-js reads
 * both as the same E.164 number (a national number is read in the default region,
 * `LEADDESK_TALK_DEFAULT_REGION`); when either cannot be read that way (a national number
 * without a default region, a short number), when their normalised forms are equal, or when
 * both have at least 9 digits and their last 9 digits are equal. The last-9-digits rule pairs
 * national and international forms of the numbers numbering plans cannot place: its known
 * cost is that two countries' numbers sharing the last 9 digits also match.
 */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min'
import type { CountryCode } from 'libphonenumber-js/min'

/** How many trailing digits the national/international equivalence compares. */
export const PHONE_SUFFIX_DIGITS = 9

/** Normalises a number for storage and matching: drops spaces, dashes, dots and parentheses; `00` becomes `+`. */
export function normalizePhone(input: string): string {
  const compact = input.trim().replace(/[\s\-.()]/g, '')
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact
}

/** Tells why `input` is not an acceptable phone number, or `null` when it is (2-20 digits, optional leading +). */
export function phoneProblem(input: string): string | null {
  const normalized = normalizePhone(input)
  if (!normalized) return 'is empty'
  if (!/^\+?\d+$/.test(normalized)) return 'may contain only digits, an optional leading +, spaces, dashes, dots and parentheses'
  const digits = normalized.replace('+', '').length
  if (digits < 2 || digits > 20) return 'must have 2 to 20 digits'
  return null
}

/** The key of the national/international equivalence: the last 9 digits, or `null` for shorter numbers. */
export function phoneSuffix(normalized: string): string | null {
  const digits = normalized.replace(/\D/g, '')
  return digits.length >= PHONE_SUFFIX_DIGITS ? digits.slice(-PHONE_SUFFIX_DIGITS) : null
}

/** Whether two numbers reach the same line under the matching rule above. */
export function samePhone(a: string, b: string): boolean {
  const left = normalizePhone(a)
  const right = normalizePhone(b)
  if (left === right) return left !== ''
  const suffix = phoneSuffix(left)
  return suffix !== null && suffix === phoneSuffix(right)
}

// ITU country codes form a prefix code, so at most one of these matches a number's start.
// Only used to offer the national form in search; matching never depends on this list.
const COUNTRY_CODES = ['1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49', '351', '352', '353', '354', '356', '357', '358', '359', '370', '371', '372', '380', '420', '421']

/** The digit strings a phone search may start with: all digits, the last 9 digits and the national form (0 + the digits after the country code). */
export function phoneSearchForms(normalized: string): string[] {
  const digits = normalized.replace(/\D/g, '')
  const forms = new Set(digits ? [digits] : [])
  const suffix = phoneSuffix(normalized)
  if (suffix) forms.add(suffix)
  if (normalized.startsWith('+')) {
    const code = COUNTRY_CODES.find(cc => digits.startsWith(cc))
    forms.add(`0${code ? digits.slice(code.length) : suffix ?? digits}`)
  }
  return [...forms]
}

/** The region national numbers are read in (`LEADDESK_TALK_DEFAULT_REGION`, e.g. `FI`), or `undefined` when unset or unknown. */
export function defaultRegion(): CountryCode | undefined {
  const region = process.env.LEADDESK_TALK_DEFAULT_REGION?.trim().toUpperCase()
  return region && isSupportedCountry(region) ? region : undefined
}

/** Reads a number as libphonenumber-js does, or `undefined` when it is not a possible number. */
function parsePhone(input: string, region: CountryCode | undefined) {
  const parsed = parsePhoneNumberFromString(input, region)
  return parsed?.isPossible() ? parsed : undefined
}

/** The number in E.164 (`+358400326411`), reading a national number in `region`; `null` when it cannot be placed. */
export function phoneE164(input: string, region = defaultRegion()): string | null {
  return parsePhone(normalizePhone(input), region)?.number ?? null
}

/** The number as the dashboard shows it everywhere: international format (`+358 40 0326411`), or as given when it cannot be placed. */
export function formatPhone(input: string, region = defaultRegion()): string {
  return parsePhone(normalizePhone(input), region)?.formatInternational() ?? input.trim()
}
