import { tryParseTalkTime } from '../../protocol/index'
import type { TalkCompletedCall } from '../../protocol/index'

/** One row of the call log, whether it came from this browser's history or from the server. */
export interface CallRow {
  id: number
  /** When the call started ringing (or ended, when that is all we know), epoch ms. */
  at: number | null
  direction: 'in' | 'out' | null
  /** The other party's number. */
  number: string | null
  /** The number as the server shows every number; `null` until the server has the call. */
  numberDisplay: string | null
  contactId: number | null
  contactName: string | null
  answered: boolean
  duration: number | null
  reason: string | null
  comment: string | null
  recordUrl: string | null
  /** Why and when the call was lost before Talk completed it; `null` for a completed call. */
  interrupted: CallInterruption | null
  /** The agent's note (kept on the server). */
  note: string | null
}

/** Why a call was lost (see server/utils/calls.ts), where it was, and when (epoch ms). */
export interface CallInterruption {
  reason: 'page-closed' | 'frame-reloaded' | 'logged-out' | 'talk-restarted'
  phase: 'ringing' | 'connected' | 'wrap-up'
  at: number
}

type Loose = Record<string, unknown>

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null)
const pick = (o: Loose, ...keys: string[]): unknown => keys.map(k => o[k]).find(v => v !== undefined && v !== null)

/** Reads a timestamp that may be a Talk time string, an ISO string or epoch ms. */
function readTime(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v !== 'string' || !v) return null
  const talk = tryParseTalkTime(v)
  if (talk != null) return talk
  const iso = Date.parse(v)
  return Number.isNaN(iso) ? null : iso
}

/** Reads an interruption as the server or the outbox holds it; `null` for anything else. */
function readInterruption(v: unknown): CallInterruption | null {
  if (!v || typeof v !== 'object') return null
  const { reason, phase, at } = v as Loose
  const time = readTime(at)
  const reasons: unknown[] = ['page-closed', 'frame-reloaded', 'logged-out', 'talk-restarted']
  const phases: unknown[] = ['ringing', 'connected', 'wrap-up']
  return reasons.includes(reason) && phases.includes(phase) && time !== null ? { reason: reason as CallInterruption['reason'], phase: phase as CallInterruption['phase'], at: time } : null
}

/** Turns a completed Talk call (from the store's history, or an interrupted one waiting in the outbox) into a log row. */
export function rowFromTalkCall(call: TalkCompletedCall & { completedAt?: number, interrupted?: unknown }): CallRow {
  const interrupted = readInterruption(call.interrupted)
  return {
    id: call.id,
    at: readTime(call.callStart) ?? readTime(call.talkStart) ?? readTime(call.callEnd) ?? interrupted?.at ?? call.completedAt ?? null,
    direction: call.direction,
    number: call.direction === 'in' ? call.from : call.to,
    numberDisplay: null,
    contactId: null,
    contactName: null,
    answered: call.answered,
    duration: call.duration,
    reason: call.reason?.name ?? null,
    comment: call.comment,
    recordUrl: call.recordUrl,
    interrupted,
    note: null,
  }
}

/** Turns a call as the server stores it (camelCase or snake_case columns) into a log row; `null` without an id. */
export function rowFromServerCall(raw: Loose): CallRow | null {
  const id = num(pick(raw, 'id', 'call_id', 'callId', 'talk_id'))
  if (id == null) return null
  const direction = pick(raw, 'direction') === 'in' ? 'in' : pick(raw, 'direction') === 'out' ? 'out' : null
  const reasonValue = pick(raw, 'reason', 'reason_name', 'reasonName')
  const reason = reasonValue && typeof reasonValue === 'object' ? str((reasonValue as Loose).name) : str(reasonValue)
  const contact = raw.contact && typeof raw.contact === 'object' ? raw.contact as Loose : {}
  return {
    id,
    at: readTime(pick(raw, 'callStart', 'call_start', 'ring_start', 'ringStart', 'talkStart', 'talk_start', 'callEnd', 'call_end', 'created_at', 'createdAt')),
    direction,
    number: str(pick(raw, 'number', direction === 'in' ? 'from' : 'to', direction === 'in' ? 'from_number' : 'to_number')),
    numberDisplay: str(pick(raw, 'numberDisplay')),
    contactId: num(pick(raw, 'contact_id', 'contactId') ?? contact.id),
    contactName: str(pick(raw, 'contact_name', 'contactName', 'name') ?? contact.name),
    answered: pick(raw, 'answered') === true || pick(raw, 'answered') === 1 || pick(raw, 'answered') === '1',
    duration: num(pick(raw, 'duration')),
    reason,
    comment: str(pick(raw, 'comment')),
    recordUrl: str(pick(raw, 'recordUrl', 'record_url')),
    interrupted: readInterruption(raw.interrupted),
    note: str(pick(raw, 'note')),
  }
}

/** Merges live rows (this browser) with stored rows (server), one row per call id, newest first. */
export function mergeCallRows(live: readonly CallRow[], stored: readonly CallRow[]): CallRow[] {
  const byId = new Map<number, CallRow>()
  for (const row of stored) byId.set(row.id, row)
  for (const row of live) {
    const known = byId.get(row.id)
    // The server knows the contact, the display form and the note; this browser may know fresher wrap-up data. Keep both.
    // An interrupted record never hides a completed one: Talk's record wins on either side.
    if (known && row.interrupted && !known.interrupted) continue
    byId.set(row.id, known
      ? { ...row, contactId: known.contactId ?? row.contactId, contactName: known.contactName ?? row.contactName, numberDisplay: known.numberDisplay, note: known.note }
      : row)
  }
  return [...byId.values()].sort((a, b) => (b.at ?? 0) - (a.at ?? 0) || b.id - a.id)
}

/** The call-log filters an agent can set. */
export interface CallFilter {
  direction: '' | 'in' | 'out'
  answered: '' | 'yes' | 'no'
  text: string
}

/** True when a row passes the filters (text matches number, contact, reason or comment). */
export function matchesFilter(row: CallRow, filter: CallFilter): boolean {
  if (filter.direction && row.direction !== filter.direction) return false
  if (filter.answered === 'yes' && !row.answered) return false
  if (filter.answered === 'no' && row.answered) return false
  const q = filter.text.trim().toLowerCase()
  if (!q) return true
  const digits = q.replace(/\D/g, '')
  return [row.contactName, row.reason, row.comment, row.note, row.number, row.numberDisplay].some(v => v?.toLowerCase().includes(q))
    || (digits.length > 1 && !!row.number && row.number.replace(/\D/g, '').includes(digits))
}
