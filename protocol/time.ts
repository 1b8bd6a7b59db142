import { TalkError } from './errors'

// Talk's documented format is "yyyy-mm-dd hh:mm:ss" (the spec's `disconnected` example has a
// typo, "yyyy mm-dd"; we accept that too, and an ISO "T" separator). Talk gives no time zone:
// the reading chosen here is the agent's local time, which is what the Talk UI shows them.
const TALK_TIME = /^(\d{4})[- ](\d\d-\d\d)[ T](\d\d:\d\d:\d\d)$/

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

// ISO "yyyy-mm-ddThh:mm:ss" of the local wall-clock time at `ms`. Date's own getters, not
// `getTimezoneOffset()`, which drops the seconds of historical offsets (Helsinki was +1:39:49).
function localIso(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

const invalid = (what: unknown) => new TalkError('invalid-time', `Not a Talk time: ${String(what).slice(0, 40)}`)

/** Parses a Talk timestamp ("yyyy-mm-dd hh:mm:ss", local time) to epoch milliseconds; throws `TalkError('invalid-time')`. */
export function parseTalkTime(text: string): number {
  const m = TALK_TIME.exec(typeof text == 'string' ? text.trim() : '')
  const iso = m && `${m[1]}-${m[2]}T${m[3]}`
  // A date-time without an offset is local time (ECMAScript). Date rolls 2024-02-30 over to
  // March: formatting the result back catches every impossible date (and a local time
  // skipped by a DST change).
  const ms = iso ? new Date(iso).getTime() : NaN
  if (ms == ms && localIso(ms) == iso) return ms
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
  const iso = localIso(ms)
  // Only years 0000-9999 have a Talk form (an invalid time gives "NaN-...").
  if (/^\d{4}-/.test(iso)) return iso.replace('T', ' ')
  throw invalid(ms)
}
