import type { Database } from 'db0'
import { badRequest } from './api-errors'
import { readEpochMillis } from './epoch-time'
import { MAX_ROW_ID } from './query-params'
import { findContactIdByPhone } from './contacts'
import { normalizePhone, phoneProblem, phoneSuffix } from './phone'
import { selectRow, selectRows, toNumber } from './sql'

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

interface SmsRow {
  id: unknown
  call_id: unknown
  contact_id: unknown
  number: string | null
  text: string
  sent_at: string
}

/** The longest text accepted; SMS concatenation tops out far below this. */
export const MAX_SMS_LENGTH = 2000

/** What an idempotency key may look like: 1 to 128 letters, digits, `-`, `_`, `.` or `:` (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{1,128}$/

const COLUMNS = 'id, call_id, contact_id, number, text, sent_at'

function toSms(row: SmsRow): SmsRecord {
  return {
    id: toNumber(row.id),
    callId: row.call_id == null ? null : toNumber(row.call_id),
    contactId: row.contact_id == null ? null : toNumber(row.contact_id),
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

const findByKey = (db: Database, key: string) => selectRow<SmsRow>(db, `SELECT ${COLUMNS} FROM sms WHERE idempotency_key = ?`, [key])

/**
 * Stores a text. Its contact is the one named, else the contact of its call, else the one
 * its number matches; a text whose call is stored later is linked then (activity-links.ts).
 * A text whose idempotency key is already stored is not stored again: the stored row is
 * returned with `created: false` (also when two requests with the key arrive together).
 */
export async function recordSms(db: Database, input: SmsInput): Promise<{ created: boolean, sms: SmsRecord }> {
  const key = input.idempotencyKey
  // Looked up first, so a repeat gets the stored row even if its contact has been deleted since.
  const earlier = key === null ? null : await findByKey(db, key)
  if (earlier) return { created: false, sms: toSms(earlier) }
  let { contactId, number } = input
  if (contactId !== null && !(await selectRow(db, 'SELECT id FROM contacts WHERE id = ?', [contactId]))) {
    throw badRequest('contactId', 'no contact has this id')
  }
  if (input.callId !== null) {
    const call = await selectRow<{ contact_id: unknown, number: string | null }>(db, 'SELECT contact_id, number FROM calls WHERE id = ?', [input.callId])
    if (call) {
      number ??= call.number
      if (contactId === null && call.contact_id != null) contactId = toNumber(call.contact_id)
    }
  }
  const normalized = number !== null && phoneProblem(number) === null ? normalizePhone(number) : null
  contactId ??= await findContactIdByPhone(db, normalized)
  const [row] = await selectRows<SmsRow>(db,
    `INSERT INTO sms (call_id, contact_id, number, number_normalized, number_suffix, text, sent_at, idempotency_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
    [input.callId, contactId, number, normalized, normalized && phoneSuffix(normalized), input.text, input.sentAt, key])
  if (row) return { created: true, sms: toSms(row) }
  // Only a key can conflict: a request with the same key stored its row between our lookup and insert.
  return { created: false, sms: toSms((await findByKey(db, key!))!) }
}

/** The newest texts of a contact: linked to it, sent from one of its calls, or to a matching number. */
export async function smsOfContact(db: Database, contactId: number, phoneNormalized: string, limit: number): Promise<SmsRecord[]> {
  const suffix = phoneSuffix(phoneNormalized)
  const rows = await selectRows<SmsRow>(db,
    `SELECT ${COLUMNS} FROM sms WHERE contact_id = ? OR number_normalized = ? OR number_suffix = ?
       OR call_id IN (SELECT id FROM calls WHERE contact_id = ? OR number_normalized = ? OR number_suffix = ?)
     ORDER BY sent_at DESC, id DESC LIMIT ?`,
    [contactId, phoneNormalized, suffix, contactId, phoneNormalized, suffix, limit])
  return rows.map(toSms)
}
