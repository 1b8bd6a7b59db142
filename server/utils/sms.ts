import type { Selectable } from 'kysely'
import { badRequest } from './api-errors'
import { readEpochMillis } from './epoch-time'
import { MAX_ROW_ID } from './query-params'
import { findContactIdByPhone } from './contacts'
import { normalizePhone, phoneProblem, phoneSuffix } from './phone'
import { textProblem } from './text-rules'
import type { Db, SmsTable } from './database-schema'

/** A text message the agent sent, as the API returns it. */
export interface SmsRecord {
  id: number
  /** Talk's id of the call the text was sent from, if any. */
  callId: number | null
  contactId: number | null
  number: string | null
  text: string
  sentAt: string
}

/** A validated POST /api/sms body. */
export interface SmsInput {
  text: string
  callId: number | null
  contactId: number | null
  number: string | null
  /** When the agent sent it (ISO 8601): the body's `sentAt` (epoch ms) if given, else when the server received it. */
  sentAt: string
}

type SmsRow = Pick<Selectable<SmsTable>, typeof COLUMNS[number]>

/** The longest text accepted; SMS concatenation tops out far below this. */
export const MAX_SMS_LENGTH = 2000

const COLUMNS = ['id', 'call_id', 'contact_id', 'number', 'text', 'sent_at'] as const

function toSms(row: SmsRow): SmsRecord {
  return {
    id: Number(row.id),
    callId: row.call_id == null ? null : Number(row.call_id),
    contactId: row.contact_id == null ? null : Number(row.contact_id),
    number: row.number,
    text: row.text,
    sentAt: row.sent_at,
  }
}

function optionalId(value: unknown, field: string, max: number): number | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw badRequest(field, 'must be a non-negative whole number')
  if (value > max) throw badRequest(field, `must be at most ${max}`)
  return value
}

/** Validates `{ sms, callId?, contactId?, number?, sentAt? }`; throws a 400 naming the field. */
export function parseSmsInput(body: unknown): SmsInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body', 'must be a JSON object')
  const { sms, callId, contactId, number, sentAt } = body as Record<string, unknown>
  if (sms === undefined || sms === null) throw badRequest('sms', 'is required')
  if (typeof sms !== 'string') throw badRequest('sms', 'must be a string')
  if (!sms.trim()) throw badRequest('sms', 'is required')
  if (sms.length > MAX_SMS_LENGTH) throw badRequest('sms', `must be at most ${MAX_SMS_LENGTH} characters`)
  // What the agent wrote is kept as written, so only what no engine can store is refused.
  const textIssue = textProblem(sms, 'verbatim')
  if (textIssue) throw badRequest('sms', textIssue)
  let phone: string | null = null
  if (number !== undefined && number !== null) {
    if (typeof number !== 'string') throw badRequest('number', 'must be a string')
    const problem = phoneProblem(number)
    if (problem) throw badRequest('number', problem)
    phone = number.trim()
  }
  return {
    text: sms,
    callId: optionalId(callId, 'callId', Number.MAX_SAFE_INTEGER),
    contactId: optionalId(contactId, 'contactId', MAX_ROW_ID),
    number: phone,
    sentAt: readEpochMillis(sentAt, 'sentAt') ?? new Date().toISOString(),
  }
}

/**
 * Stores a text. Its contact is the one named, else the contact of its call, else the one
 * its number matches; a text whose call is stored later is linked then (activity-links.ts).
 */
export async function recordSms(db: Db, input: SmsInput): Promise<SmsRecord> {
  let { contactId, number } = input
  if (contactId !== null && !(await db.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst())) {
    throw badRequest('contactId', 'no contact has this id')
  }
  if (input.callId !== null) {
    const call = await db.selectFrom('calls').select(['contact_id', 'number']).where('id', '=', input.callId).executeTakeFirst()
    if (call) {
      number ??= call.number
      if (contactId === null && call.contact_id != null) contactId = Number(call.contact_id)
    }
  }
  const normalized = number !== null && phoneProblem(number) === null ? normalizePhone(number) : null
  contactId ??= await findContactIdByPhone(db, normalized)
  const row = await db.insertInto('sms').values({
    call_id: input.callId, contact_id: contactId, number, number_normalized: normalized,
    number_suffix: normalized && phoneSuffix(normalized), text: input.text, sent_at: input.sentAt,
  }).returning(COLUMNS).executeTakeFirstOrThrow()
  return toSms(row)
}

/** The newest texts of a contact: linked to it, sent from one of its calls, or to a matching number. */
export async function smsOfContact(db: Db, contactId: number, phoneNormalized: string, limit: number): Promise<SmsRecord[]> {
  const suffix = phoneSuffix(phoneNormalized)
  const rows = await db.selectFrom('sms').select(COLUMNS)
    .where(eb => eb.or([
      eb('contact_id', '=', contactId), eb('number_normalized', '=', phoneNormalized), eb('number_suffix', '=', suffix),
      eb('call_id', 'in', eb.selectFrom('calls').select('id')
        .where(inner => inner.or([inner('contact_id', '=', contactId), inner('number_normalized', '=', phoneNormalized), inner('number_suffix', '=', suffix)]))),
    ]))
    .orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
  return rows.map(toSms)
}
