import type { Database, Primitive } from 'db0'
import { parseTalkEvent } from '../../protocol/index'
import type { TalkCompletedCall } from '../../protocol/index'
import { badRequest } from './api-errors'
import { findContactIdByPhone } from './contacts'
import { readEpochMillis } from './epoch-time'
import { normalizePhone, phoneProblem, phoneSuffix } from './phone'
import { prefixUpperBound, queryPrefixes } from './search-terms'
import { selectRow, selectRows, toNumber } from './sql'

/** A completed call as the API returns it; `id` is Talk's call id. */
export interface CallRecord {
  id: number
  direction: 'in' | 'out'
  /** The customer's number: `to` of an outbound call, `from` of an inbound one. */
  number: string | null
  contactId: number | null
  contactName: string | null
  answered: boolean
  callStart: string | null
  talkStart: string | null
  callEnd: string | null
  duration: number | null
  comment: string | null
  recordUrl: string | null
  reason: { name: string, logicalName: string | null } | null
  /** When wrap-up ended (ISO 8601): the body's `completedAt` (epoch ms) if given, else when the server received it. */
  completedAt: string
  receivedAt: string
}

/** A page of calls, newest first. */
export interface CallPage {
  items: CallRecord[]
  total: number
  limit: number
  offset: number
}

/** Filters of the call list. */
export interface CallFilter {
  limit: number
  offset: number
  direction?: 'in' | 'out'
  answered?: boolean
  /** Digits match inside the number; words match the linked contact's name and company like the contact search. */
  q?: string
}

interface CallRow {
  id: unknown
  direction: 'in' | 'out'
  number: string | null
  contact_id: unknown
  contact_name: string | null
  answered: unknown
  call_start: string | null
  talk_start: string | null
  call_end: string | null
  duration: unknown
  comment: string | null
  record_url: string | null
  reason_name: string | null
  reason_logical_name: string | null
  completed_at: string
  received_at: string
}

const SELECT_CALLS = `SELECT k.id, k.direction, k.number, k.contact_id, c.name AS contact_name, k.answered, k.call_start,
  k.talk_start, k.call_end, k.duration, k.comment, k.record_url, k.reason_name, k.reason_logical_name, k.completed_at, k.received_at
  FROM calls k LEFT JOIN contacts c ON c.id = k.contact_id`

// Longest text kept per call field; Talk's own limits are lower, this only stops abuse.
const MAX_TEXT = 2000

function toCall(row: CallRow): CallRecord {
  return {
    id: toNumber(row.id),
    direction: row.direction,
    number: row.number,
    contactId: row.contact_id == null ? null : toNumber(row.contact_id),
    contactName: row.contact_name,
    answered: toNumber(row.answered) === 1,
    callStart: row.call_start,
    talkStart: row.talk_start,
    callEnd: row.call_end,
    duration: row.duration == null ? null : toNumber(row.duration),
    comment: row.comment,
    recordUrl: row.record_url,
    reason: row.reason_name == null ? null : { name: row.reason_name, logicalName: row.reason_logical_name },
    completedAt: row.completed_at,
    receivedAt: row.received_at,
  }
}

/** A validated call ready to store. */
export interface CallInput {
  call: TalkCompletedCall
  completedAt: string
}

/**
 * Validates a POST /api/calls body: a Talk `completed` call object, checked by the same
 * validator the browser bridge uses, plus an optional `completedAt` (epoch ms).
 */
export function parseCallInput(body: unknown): CallInput {
  const parsed = parseTalkEvent({ action: 'completed', call: body })
  if (!parsed.ok) {
    const field = parsed.error.path.replace(/^completed\.call\.?/, '') || 'body'
    throw badRequest(field, parsed.error.code === 'invalid-field' ? `expected ${parsed.error.expected}, got ${parsed.error.received}` : 'must be a JSON object')
  }
  if (parsed.value.action !== 'completed') throw badRequest('body', 'must be a completed call')
  const call = parsed.value.call
  if (!Number.isSafeInteger(call.id) || call.id < 0) throw badRequest('id', 'must be a non-negative whole number')
  for (const field of ['to', 'from', 'callStart', 'talkStart', 'callEnd', 'comment', 'recordUrl'] as const) {
    if ((call[field]?.length ?? 0) > MAX_TEXT) throw badRequest(field, `must be at most ${MAX_TEXT} characters`)
  }
  const completedAt = readEpochMillis((body as { completedAt?: unknown }).completedAt, 'completedAt') ?? new Date().toISOString()
  return { call, completedAt }
}

/** Reads one stored call, or `null`. */
export async function getCall(db: Database, id: number): Promise<CallRecord | null> {
  const row = await selectRow<CallRow>(db, `${SELECT_CALLS} WHERE k.id = ?`, [id])
  return row ? toCall(row) : null
}

/**
 * Stores a completed call once per Talk call id and links it to the contact whose number
 * it is. A repeat (Talk retries, two open dashboards) changes nothing and returns the stored row.
 */
export async function recordCall(db: Database, { call, completedAt }: CallInput): Promise<{ created: boolean, call: CallRecord }> {
  const number = call.direction === 'out' ? call.to : call.from
  // Talk may report a withheld number as text; such a call is stored but matches nobody.
  const normalized = number !== null && phoneProblem(number) === null ? normalizePhone(number) : null
  const contactId = await findContactIdByPhone(db, normalized)
  const values: Primitive[] = [
    call.id, call.direction, number, normalized, normalized && phoneSuffix(normalized), contactId, call.answered ? 1 : 0,
    call.callStart, call.talkStart, call.callEnd, call.duration, call.comment, call.recordUrl,
    call.reason?.name ?? null, call.reason?.logicalName ?? null, completedAt, new Date().toISOString(),
  ]
  const inserted = await selectRows(db,
    `INSERT INTO calls (id, direction, number, number_normalized, number_suffix, contact_id, answered, call_start, talk_start,
       call_end, duration, comment, record_url, reason_name, reason_logical_name, completed_at, received_at)
     VALUES (${values.map(() => '?').join(', ')})
     ON CONFLICT (id) DO NOTHING RETURNING id`, values)
  const stored = await getCall(db, call.id)
  return { created: inserted.length > 0, call: stored! }
}

/** Lists calls newest first, with the linked contact's name. */
export async function listCalls(db: Database, filter: CallFilter): Promise<CallPage> {
  const conditions: string[] = []
  const params: Primitive[] = []
  if (filter.direction) {
    conditions.push('k.direction = ?')
    params.push(filter.direction)
  }
  if (filter.answered !== undefined) {
    conditions.push('k.answered = ?')
    params.push(filter.answered ? 1 : 0)
  }
  const q = filter.q?.trim() ?? ''
  if (q) {
    const phone = normalizePhone(q)
    if (/^\+?\d+$/.test(phone)) {
      conditions.push('k.number_normalized LIKE ?')
      params.push(`%${phone.replace('+', '')}%`)
    }
    else {
      for (const prefix of queryPrefixes(q)) {
        const upper = prefixUpperBound(prefix)
        conditions.push(`k.contact_id IN (SELECT contact_id FROM contact_terms WHERE term >= ?${upper === null ? '' : ' AND term < ?'})`)
        params.push(prefix)
        if (upper !== null) params.push(upper)
      }
    }
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''
  const rows = await selectRows<CallRow>(db, `${SELECT_CALLS} ${where} ORDER BY k.completed_at DESC, k.id DESC LIMIT ? OFFSET ?`,
    [...params, filter.limit, filter.offset])
  const count = await selectRow<{ n: unknown }>(db, `SELECT COUNT(*) AS n FROM calls k ${where}`, params)
  return { items: rows.map(toCall), total: toNumber(count?.n ?? 0), limit: filter.limit, offset: filter.offset }
}

/** The newest calls of a contact: linked to it, or from a number that matches its phone. */
export async function callsOfContact(db: Database, contactId: number, phoneNormalized: string, limit: number): Promise<CallRecord[]> {
  const rows = await selectRows<CallRow>(db,
    `${SELECT_CALLS} WHERE k.contact_id = ? OR k.number_normalized = ? OR k.number_suffix = ?
     ORDER BY k.completed_at DESC, k.id DESC LIMIT ?`,
    [contactId, phoneNormalized, phoneSuffix(phoneNormalized), limit])
  return rows.map(toCall)
}
