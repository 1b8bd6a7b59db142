import type { TimelineEntry } from './api-types'
import { rowFromServerCall } from './call-rows'
import type { CallRow } from './call-rows'

/** One line of a contact's timeline, ready to render. */
export type TimelineItem
  = | { kind: 'call', key: string, at: number | null, call: CallRow }
    | { kind: 'sms', key: string, at: number | null, text: string }

function readTime(v: string | null | undefined): number | null {
  if (!v) return null
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : t
}

/** Reads the server's timeline entries (calls and SMS, newest first) into renderable items; malformed ones are skipped. */
export function toTimelineItems(entries: readonly TimelineEntry[]): TimelineItem[] {
  const items: TimelineItem[] = []
  for (const entry of entries) {
    if (entry.kind === 'sms' && entry.sms) {
      items.push({ kind: 'sms', key: `sms-${entry.sms.id}`, at: readTime(entry.at), text: String(entry.sms.text ?? '') })
    }
    else if (entry.kind === 'call' && entry.call) {
      const call = rowFromServerCall(entry.call)
      if (call) items.push({ kind: 'call', key: `call-${call.id}`, at: readTime(entry.at) ?? call.at, call })
    }
  }
  return items
}
