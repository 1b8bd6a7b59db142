import { callsOfContact } from './calls'
import type { CallRecord } from './calls'
import type { Contact } from './contacts'
import type { Db } from './database-schema'
import { normalizePhone } from './phone'
import { smsOfContact } from './sms'
import type { SmsRecord } from './sms'

/** One entry of a contact's history: a call or a text, with the time it is sorted by. */
export type TimelineEntry
  = | { kind: 'call', at: string, call: CallRecord }
    | { kind: 'sms', at: string, sms: SmsRecord }

/** How many entries a contact's timeline shows. */
export const TIMELINE_LIMIT = 100

/** A contact's calls and texts, newest first (matched by contact id or by phone number). */
export async function contactTimeline(db: Db, contact: Contact, limit = TIMELINE_LIMIT): Promise<TimelineEntry[]> {
  const calls = await callsOfContact(db, contact.id, contact.phone, limit)
  const texts = await smsOfContact(db, contact.id, normalizePhone(contact.phone), limit)
  const entries: TimelineEntry[] = [
    ...calls.map(call => ({ kind: 'call' as const, at: call.completedAt, call })),
    ...texts.map(sms => ({ kind: 'sms' as const, at: sms.sentAt, sms })),
  ]
  // ISO 8601 UTC strings sort as text.
  return entries.sort((a, b) => a.at < b.at ? 1 : a.at > b.at ? -1 : 0).slice(0, limit)
}
