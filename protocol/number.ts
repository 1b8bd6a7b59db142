import { TalkError } from './errors'

/**
 * Normalises a phone number for the `call` command: spaces, dashes, dots and parentheses are
 * stripped; what remains must be 2-20 digits with an optional leading `+`. Throws
 * `TalkError('invalid-number')` otherwise, before anything is posted.
 */
export function normalizeTalkNumber(input: string | number): string {
  // A number input must be an integer: 1.5 would otherwise lose its dot and dial "15".
  const compact = (typeof input == 'string' || Number.isInteger(input) ? String(input) : '').replace(/[\s\-.()]/g, '')
  if (/^\+?\d{2,20}$/.test(compact)) return compact
  // The message never repeats the number: phone numbers are not logged.
  throw new TalkError('invalid-number', compact ? 'Not a phone number' : 'Empty phone number')
}
