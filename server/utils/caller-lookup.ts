import { badRequest } from './api-errors'
import { lastCallOfNumber } from './calls'
import type { CallRecord } from './calls'
import { findContactByPhone } from './contacts'
import type { Contact } from './contacts'
import type { Db } from './database-schema'
import { formatPhone, phoneE164, phoneProblem } from './phone'
import { textProblem } from './text-rules'

/** Who a number belongs to, as a ringing call or the contact form asks. */
export interface CallerLookup {
  /** The number as asked, in E.164 when it can be placed, and as the dashboard shows it. */
  number: { e164: string | null, display: string }
  /** The contact it belongs to (phone.ts matching), or `null`. */
  contact: Contact | null
  /** The newest stored call with that contact, or (without a contact) from or to that number. */
  lastCall: CallRecord | null
}

/** The longest number a lookup takes: as long as a call's number may be (calls.ts). */
export const MAX_LOOKUP_NUMBER = 100

/** Looks a number up in any format (national, international, spaces, `00`): its contact and their last call. */
export async function lookupCaller(db: Db, number: string): Promise<CallerLookup> {
  if (number.length > MAX_LOOKUP_NUMBER) throw badRequest('number', `must be at most ${MAX_LOOKUP_NUMBER} characters`)
  // The text rule first: the phone rule ignores what it reads as spacing, U+2028 included.
  const problem = textProblem(number, 'single-line') ?? phoneProblem(number)
  if (problem) throw badRequest('number', problem)
  const contact = await findContactByPhone(db, number)
  const lastCall = await lastCallOfNumber(db, contact?.phone ?? number)
  return { number: { e164: phoneE164(number), display: formatPhone(number) }, contact, lastCall }
}
