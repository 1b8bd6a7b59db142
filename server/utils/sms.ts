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
  /** The client's name for this text: a repeat with the same key is the same text, stored once. */
  idempotencyKey: string | null
}

type SmsRow = Pick<Selectable<SmsTable>, typeof COLUMNS[number]>

/** The longest text accepted; SMS concatenation tops out far below this. */
export const MAX_SMS_LENGTH = 2000

/** What an idempotency key may look like: 1 to 128 letters, digits, `-`, `_`, `.` or `:` (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{1,128}$/

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

function optionalKey(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw badRequest('idempotencyKey', 'must be a string')
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) throw badRequest('idempotencyKey', 'must be 1 to 128 letters, digits, "-", "_", "." or ":"')
  return value
}

/** Validates `{ sms, callId?, contactId?, number?, sentAt?, idempotencyKey? }`; throws a 400 naming the field. */
export function parseSmsInput(body: unknown): SmsInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body', 'must be a JSON object')
  const { sms, callId, contactId, number, sentAt, idempotencyKey } = body as Record<string, unknown>
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
    idempotencyKey: optionalKey(idempotencyKey),
  }
}

const findByKey = (db: Db, key: string) => db.selectFrom('sms').select(COLUMNS).where('idempotency_key', '=', key).executeTakeFirst()

/**
 * Stores a text. Its contact is the one named, else the contact of its call, else the one
 * its number matches; a text whose call is stored later is linked then (activity-links.ts).
 * A text whose idempotency key is already stored is not stored again: the stored row is
 * returned with `created: false` (also when two requests with the key arrive together).
 */
export async function recordSms(db: Db, input: SmsInput): Promise<{ created: boolean, sms: SmsRecord }> {
  const key = input.idempotencyKey
  // Looked up first, so a repeat gets the stored row even if its contact has been deleted since.
  const earlier = key === null ? undefined : await findByKey(db, key)
  if (earlier) return { created: false, sms: toSms(earlier) }
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
    number_suffix: normalized && phoneSuffix(normalized), text: input.text, sent_at: input.sentAt, idempotency_key: key,
  }).onConflict(oc => oc.column('idempotency_key').doNothing()).returning(COLUMNS).executeTakeFirst()
  if (row) return { created: true, sms: toSms(row) }
  // Only a key can conflict: a request with the same key stored its row between our lookup and insert.
  return { created: false, sms: toSms((await findByKey(db, key!))!) }
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
