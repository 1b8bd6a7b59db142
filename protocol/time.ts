import { TalkError } from './errors'

// Talk's documented format is "yyyy-mm-dd hh:mm:ss" (the spec's `disconnected` example has a
// typo, "yyyy mm-dd"; we accept that too, and an ISO "T" separator). Talk gives no time zone:
// the reading chosen here is the agent's local time, which is what the Talk UI shows them.
const TALK_TIME = /^(\d{4})[- ](\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/

/** Parses a Talk timestamp ("yyyy-mm-dd hh:mm:ss", local time) to epoch milliseconds; throws `TalkError('invalid-time')`. */
export function parseTalkTime(text: string): number {
  const m = typeof text === 'string' ? TALK_TIME.exec(text.trim()) : null
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number]
    const date = new Date(y, mo - 1, d, h, mi, s)
    // Date rolls 2024-02-30 over to March; a round trip catches every impossible date.
    if (date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d
      && date.getHours() === h && date.getMinutes() === mi && date.getSeconds() === s) return date.getTime()
  }
  throw new TalkError('invalid-time', `Not a Talk timestamp ("yyyy-mm-dd hh:mm:ss"): ${JSON.stringify(String(text).slice(0, 40))}`)
}

/** Parses a Talk timestamp, or returns `null` for a missing or invalid one. */
export function tryParseTalkTime(text: string | null | undefined): number | null {
  if (text == null) return null
  try {
    return parseTalkTime(text)
  }
  catch {
    return null
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Formats epoch milliseconds as a Talk timestamp ("yyyy-mm-dd hh:mm:ss", local time). */
export function formatTalkTime(ms: number): string {
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) throw new TalkError('invalid-time', `Not a valid time: ${ms}`)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
