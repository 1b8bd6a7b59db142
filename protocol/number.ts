import { TalkError } from './errors'

/**
 * Normalises a phone number for the `call` command: spaces, dashes, dots and parentheses are
 * stripped; what remains must be 2-20 digits with an optional leading `+`. Throws
 * `TalkError('invalid-number')` otherwise, before anything is posted.
 */
export function normalizeTalkNumber(input: string | number): string {
  const text = typeof input === 'number' && Number.isFinite(input) ? String(input) : input
  const compact = typeof text === 'string' ? text.replace(/[\s\-.()]/g, '') : ''
  if (/^\+?\d{2,20}$/.test(compact)) return compact
  throw new TalkError('invalid-number', compact ? 'Not a phone number: only digits, an optional leading +, spaces, dashes and parentheses are allowed' : 'The phone number is empty')
}
