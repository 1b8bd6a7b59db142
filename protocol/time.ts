import { TalkError } from './errors'

// Talk's documented format is "yyyy-mm-dd hh:mm:ss" (the spec's `disconnected` example has a
// typo, "yyyy mm-dd"; we accept that too, and an ISO "T" separator). Talk gives no time zone:
// the reading chosen here is the agent's local time, which is what the Talk UI shows them.
const TALK_TIME = /^(\d{4})[- ](\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)$/

// The local wall-clock fields of a date, in the order a Talk time writes them. Date's own
// getters, not `getTimezoneOffset()`, which drops the seconds of historical offsets
// (Helsinki was +1:39:49).
const localFields = (date: Date) => [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()]

const invalid = (what: unknown) => new TalkError('invalid-time', `Not a Talk time: ${String(what).slice(0, 40)}`)

/** Parses a Talk timestamp ("yyyy-mm-dd hh:mm:ss", local time) to epoch milliseconds; throws `TalkError('invalid-time')`. */
export function parseTalkTime(text: string): number {
  const fields = TALK_TIME.exec(typeof text == 'string' ? text.trim() : '')?.slice(1).map(Number)
  if (fields) {
    // Setters, not `new Date(y, m, d...)`, which reads years 0-99 as 1900-1999. Date rolls
    // 2024-02-30 over to March, and a local time skipped by a DST change to the next hour:
    // reading the fields back catches every impossible date and time.
    const date = new Date(0)
    date.setFullYear(fields[0]!, fields[1]! - 1, fields[2])
    date.setHours(fields[3]!, fields[4], fields[5])
    if (localFields(date).every((field, i) => field == fields[i])) return date.getTime()
  }
  throw invalid(typeof text == 'string' ? JSON.stringify(text) : typeof text)
}

/** Parses a Talk timestamp, or returns `null` for a missing or invalid one. */
export function tryParseTalkTime(text: string | null | undefined): number | null {
  try {
    return parseTalkTime(text!)
  }
  catch {
    return null
  }
}

/** Formats epoch milliseconds as a Talk timestamp ("yyyy-mm-dd hh:mm:ss", local time). */
export function formatTalkTime(ms: number): string {
  const f = localFields(new Date(ms)).map((field, i) => String(field).padStart(i ? 2 : 4, '0'))
  // Only years 0000-9999 have a Talk form (an invalid time gives "NaN").
  if (/^\d{4}$/.test(f[0]!)) return `${f[0]}-${f[1]}-${f[2]} ${f[3]}:${f[4]}:${f[5]}`
  throw invalid(ms)
}
