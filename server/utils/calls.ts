import { sql } from 'kysely'
import type { ExpressionBuilder, Selectable } from 'kysely'
import { parseTalkEvent } from '../../protocol/index'
import type { TalkCompletedCall } from '../../protocol/index'
import { number as numberField, object, oneOf, SchemaIssue } from '../../protocol/schema'
import { badRequest } from './api-errors'
import { matchingIds } from './contact-search'
import { findContactIdByPhone } from './contacts'
import type { CallsTable, DatabaseSchema, Db } from './database-schema'
import { readEpochMillis } from './epoch-time'
import { formatPhone, normalizePhone, phoneE164, phoneProblem, phoneSuffix } from './phone'
import { searchWords } from './search-text'
import { textProblem } from './text-rules'
import type { TextRule } from './text-rules'

/** A completed call as the API returns it; `id` is Talk's call id. */
export interface CallRecord {
  id: number
  direction: 'in' | 'out'
  /** The customer's number: `to` of an outbound call, `from` of an inbound one. */
  number: string | null
  /** The number as the dashboard shows every number (phone.ts `formatPhone`). */
  numberDisplay: string | null
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
  /** Set while the call is known only from a page that lost it before Talk completed it (see `CallInterruption`). */
  interrupted: { reason: CallInterruption['reason'], phase: CallInterruption['phase'], at: string } | null
  /** The agent's note on the call, kept apart from Talk's `comment`. */
  note: string | null
  noteUpdatedAt: string | null
}

/**
 * Why and where a call was lost before Talk completed it: the page with Talk closed or reloaded
 * (`page-closed`), the Talk frame loaded a page that did not log in (`frame-reloaded`), Talk
 * logged out (`logged-out`) or logged in afresh (`talk-restarted`).
 */
export interface CallInterruption {
  reason: 'page-closed' | 'frame-reloaded' | 'logged-out' | 'talk-restarted'
  phase: 'ringing' | 'connected' | 'wrap-up'
  /** When it was lost (epoch ms in the body, ISO 8601 when stored). */
  at: string
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

type CallRow = Selectable<CallsTable> & { contact_name: string | null }

/** Calls with the linked contact's name. */
function selectCalls(db: Db) {
  return db.selectFrom('calls as k').leftJoin('contacts as c', 'c.id', 'k.contact_id').selectAll('k').select('c.name as contact_name')
}

type CallTextField = 'to' | 'from' | 'callStart' | 'talkStart' | 'callEnd' | 'comment' | 'recordUrl' | 'reason.name' | 'reason.logicalName'

/**
 * Every text field of a call: its longest accepted value (Talk's own limits are lower, these only
 * stop abuse) and its text rule (text-rules.ts). The comment is what the agent wrote: kept verbatim.
 */
export const CALL_TEXT_FIELDS: Readonly<Record<CallTextField, { max: number, rule: TextRule }>> = {
  'to': { max: 100, rule: 'single-line' },
  'from': { max: 100, rule: 'single-line' },
  'callStart': { max: 40, rule: 'single-line' },
  'talkStart': { max: 40, rule: 'single-line' },
  'callEnd': { max: 40, rule: 'single-line' },
  'comment': { max: 2000, rule: 'verbatim' },
  'recordUrl': { max: 2000, rule: 'single-line' },
  'reason.name': { max: 200, rule: 'single-line' },
  'reason.logicalName': { max: 200, rule: 'single-line' },
}

function callText(call: TalkCompletedCall, field: CallTextField): string | null {
  if (field === 'reason.name') return call.reason?.name ?? null
  if (field === 'reason.logicalName') return call.reason?.logicalName ?? null
  return call[field]
}

function toCall(row: CallRow): CallRecord {
  return {
    id: Number(row.id),
    direction: row.direction,
    number: row.number,
    numberDisplay: row.number === null ? null : formatPhone(row.number),
    contactId: row.contact_id == null ? null : Number(row.contact_id),
    contactName: row.contact_name,
    answered: Number(row.answered) === 1,
    callStart: row.call_start,
    talkStart: row.talk_start,
    callEnd: row.call_end,
    duration: row.duration == null ? null : Number(row.duration),
    comment: row.comment,
    recordUrl: row.record_url,
    reason: row.reason_name == null ? null : { name: row.reason_name, logicalName: row.reason_logical_name },
    completedAt: row.completed_at,
    receivedAt: row.received_at,
    interrupted: row.interrupted_at === null ? null : { reason: row.interrupted_reason as CallInterruption['reason'], phase: row.interrupted_phase as CallInterruption['phase'], at: row.interrupted_at },
    note: row.note,
    noteUpdatedAt: row.note_updated_at,
  }
}

/** A validated call ready to store. */
export interface CallInput {
  call: TalkCompletedCall
  completedAt: string
  /** Present for a call a page lost before Talk completed it: stored only until the completed record arrives. */
  interrupted?: CallInterruption
}

const interruption = object({
  reason: oneOf('page-closed', 'frame-reloaded', 'logged-out', 'talk-restarted'),
  phase: oneOf('ringing', 'connected', 'wrap-up'),
  at: numberField,
})

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
  for (const [field, { max, rule }] of Object.entries(CALL_TEXT_FIELDS) as [CallTextField, { max: number, rule: TextRule }][]) {
    const text = callText(call, field)
    if (text === null) continue
    if (text.length > max) throw badRequest(field, `must be at most ${max} characters`)
    const problem = textProblem(text, rule)
    if (problem) throw badRequest(field, problem)
  }
  const completedAt = readEpochMillis((body as { completedAt?: unknown }).completedAt, 'completedAt') ?? new Date().toISOString()
  const lost = (body as { interrupted?: unknown }).interrupted
  if (lost == null) return { call, completedAt }
  try {
    const { reason, phase, at } = interruption(lost)
    return { call, completedAt, interrupted: { reason, phase, at: readEpochMillis(at, 'interrupted.at')! } }
  }
  catch (error) {
    if (error instanceof SchemaIssue) throw badRequest(error.path ? `interrupted.${error.path}` : 'interrupted', `expected ${error.expected}, got ${error.received}`)
    throw error
  }
}

/** Reads one stored call, or `null`. */
export async function getCall(db: Db, id: number): Promise<CallRecord | null> {
  const row = await selectCalls(db).where('k.id', '=', id).executeTakeFirst()
  return row ? toCall(row) : null
}

/**
 * Stores a call once per Talk call id and links it to the contact whose number it is. A repeat
 * (Talk retries, two open dashboards, two instances at once) changes nothing and returns the
 * stored row: the primary key decides, in the database, which one is first. The one exception:
 * Talk's completed record replaces an interrupted one (what a page knew of a call it lost), so
 * a call has one row either way; an interrupted record never replaces anything.
 */
export async function recordCall(db: Db, { call, completedAt, interrupted }: CallInput): Promise<{ created: boolean, call: CallRecord }> {
  const number = call.direction === 'out' ? call.to : call.from
  // Talk may report a withheld number as text; such a call is stored but matches nobody.
  const normalized = number !== null && phoneProblem(number) === null ? normalizePhone(number) : null
  const talkFields = {
    direction: call.direction, number, number_normalized: normalized, number_suffix: normalized && phoneSuffix(normalized),
    number_e164: normalized && phoneE164(normalized), contact_id: await findContactIdByPhone(db, normalized), answered: call.answered ? 1 : 0,
    call_start: call.callStart, talk_start: call.talkStart, call_end: call.callEnd, duration: call.duration, comment: call.comment,
    record_url: call.recordUrl, reason_name: call.reason?.name ?? null, reason_logical_name: call.reason?.logicalName ?? null,
    completed_at: completedAt, received_at: new Date().toISOString(),
    interrupted_reason: interrupted?.reason ?? null, interrupted_phase: interrupted?.phase ?? null, interrupted_at: interrupted?.at ?? null,
  }
  const inserted = await db.insertInto('calls').values({ id: call.id, ...talkFields })
    .onConflict(oc => interrupted
      ? oc.column('id').doNothing()
      : oc.column('id').doUpdateSet(talkFields).where('calls.interrupted_at', 'is not', null))
    .returning('id').execute()
  const stored = await getCall(db, call.id)
  return { created: inserted.length > 0, call: stored! }
}

/** Lists calls newest first, with the linked contact's name. */
export async function listCalls(db: Db, filter: CallFilter): Promise<CallPage> {
  const q = filter.q?.trim() ?? ''
  const phone = normalizePhone(q)
  const digits = /^\+?\d+$/.test(phone)
  const words = q && !digits ? searchWords(q) : []
  // The agent's own words on a call (Talk's comment, the ending reason, the note) match as typed, beside the contact.
  const text = `%${q.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`
  const inText = (eb: ExpressionBuilder<DatabaseSchema & { k: CallsTable }, 'k'>) => eb.or(['k.comment', 'k.reason_name', 'k.note'].map(column => sql<boolean>`lower(${sql.ref(column)}) LIKE ${text} ESCAPE '\\'`))
  const matches = (eb: ExpressionBuilder<DatabaseSchema & { k: CallsTable }, 'k'>) => eb.and([
    ...filter.direction ? [eb('k.direction', '=', filter.direction)] : [],
    ...filter.answered !== undefined ? [eb('k.answered', '=', filter.answered ? 1 : 0)] : [],
    ...q && digits ? [eb('k.number_normalized', 'like', `%${phone.replace('+', '')}%`)] : [],
    ...words.length ? [eb.or([eb('k.contact_id', 'in', sql<number>`(${matchingIds(db, words, 'substring')})`), inText(eb)])] : [],
  ])
  const rows = await selectCalls(db).where(matches).orderBy('k.completed_at', 'desc').orderBy('k.id', 'desc').limit(filter.limit).offset(filter.offset).execute()
  const count = await db.selectFrom('calls as k').where(matches).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  return { items: rows.map(toCall), total: Number(count?.n ?? 0), limit: filter.limit, offset: filter.offset }
}

/** The newest calls of a contact: linked to it, or from a number that matches its phone. */
export async function callsOfContact(db: Db, contactId: number, phone: string, limit: number): Promise<CallRecord[]> {
  const rows = await selectCalls(db)
    .where(eb => eb.or([eb('k.contact_id', '=', contactId), ...numberMatches(eb, phone)]))
    .orderBy('k.completed_at', 'desc').orderBy('k.id', 'desc').limit(limit).execute()
  return rows.map(toCall)
}

/** Conditions on a call's number for the same line as `phone` (phone.ts; E.164 first, then the other rules where either side has none). */
function numberMatches(eb: ExpressionBuilder<DatabaseSchema & { k: CallsTable }, 'k'>, phone: string) {
  const normalized = normalizePhone(phone)
  const e164 = phoneE164(phone)
  const loose = eb.or([eb('k.number_normalized', '=', normalized), eb('k.number_suffix', '=', phoneSuffix(normalized))])
  return e164 ? [eb('k.number_e164', '=', e164), eb.and([eb('k.number_e164', 'is', null), loose])] : [loose]
}

/** The newest stored call from or to a number (any format), or `null`. */
export async function lastCallOfNumber(db: Db, phone: string): Promise<CallRecord | null> {
  const row = await selectCalls(db).where(eb => eb.or(numberMatches(eb, phone))).orderBy('k.completed_at', 'desc').orderBy('k.id', 'desc').limit(1).executeTakeFirst()
  return row ? toCall(row) : null
}

/** The longest note an agent can keep on a call, in characters. */
export const MAX_NOTE = 2000

/** Sets (or with `null` clears) the agent's note on a stored call; `null` when there is no such call. */
export async function setCallNote(db: Db, id: number, note: string | null): Promise<CallRecord | null> {
  const updated = await db.updateTable('calls').set({ note, note_updated_at: note === null ? null : new Date().toISOString() }).where('id', '=', id).returning('id').execute()
  return updated.length ? getCall(db, id) : null
}
