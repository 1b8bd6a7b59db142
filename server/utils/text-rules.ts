/**
 * What text the API stores: every string round-trips exactly or is refused with a 400 naming
 * the field, never cut or changed on the way. Per field, one of three rules (the table is in
 * docs/server.md, "Text"):
 *
 * - `single-line` (names, phones, company, email, call numbers, times, reasons, URLs): no
 *   control characters, no line breaks of any kind (CR, LF, U+2028, U+2029).
 * - `multi-line` (contact notes): line breaks and tabs, no other control characters.
 * - `verbatim` (SMS text, a call's comment: what the agent wrote, kept as written): everything
 *   but NUL.
 *
 * Everywhere: no NUL (PostgreSQL text cannot hold it, and SQLite hands it back cut), and no lone
 * UTF-16 surrogate (`"\ud800"` survives `JSON.parse`, but UTF-8 cannot store it: it would come
 * back as U+FFFD).
 */

/** How much of the control range a field keeps. */
export type TextRule = 'single-line' | 'multi-line' | 'verbatim'

// In a `u` regex a surrogate pair is one code point, so this matches lone halves only.
const LONE_SURROGATE = /\p{Cs}/u
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001F\u007F\u2028\u2029]/
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_BUT_TAB_OR_NEWLINE = /[\u0000-\u0008\u000B-\u001F\u007F]/

/** Why `text` cannot be stored under `rule` (a reason for a 400), or `null` when it can be stored exactly as it is. */
export function textProblem(text: string, rule: TextRule): string | null {
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)'
  if (text.includes('\u0000')) return 'must not contain NUL characters'
  switch (rule) {
    case 'single-line':
      return CONTROL_OR_LINE_BREAK.test(text) ? 'must not contain control characters or line breaks' : null
    case 'multi-line':
      return CONTROL_BUT_TAB_OR_NEWLINE.test(text) ? 'must not contain control characters other than tabs and line breaks' : null
    case 'verbatim':
      return null
    default:
      return rule satisfies never
  }
}
