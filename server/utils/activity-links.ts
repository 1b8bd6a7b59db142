/**
 * Keeps `calls.contact_id` and `sms.contact_id` in step with the contacts table. A call is
 * linked when it is stored; these statements link the calls and texts that arrived before
 * their contact existed, and release them when a contact goes away or changes its number.
 * The choice of contact is the rule of `contactsByPhone` (contacts.ts) written as SQL over the
 * stored forms: the same E.164 number first, then, where either side has none, an exact number,
 * then the last-9-digits equivalence; the oldest contact wins a tie.
 */
import { sql } from 'kysely'
import type { Db } from './database-schema'

// Texts keep no E.164 form: an exact number, then the last-9-digits equivalence.
const matchingTextContact = sql<number | null>`COALESCE(
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_normalized = sms.number_normalized),
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_suffix = sms.number_suffix))`

const matchingCallContact = sql<number | null>`COALESCE(
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_e164 = calls.number_e164),
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_normalized = calls.number_normalized AND (c.phone_e164 IS NULL OR calls.number_e164 IS NULL)),
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_suffix = calls.number_suffix AND (c.phone_e164 IS NULL OR calls.number_e164 IS NULL)))`

/**
 * Links every unlinked call and text to the contact its number (or, for a text, its call) belongs
 * to. Only rows that find a contact are written: the others (calls from unknown numbers pile up)
 * would be rewritten to the same NULL and, on PostgreSQL, locked until the transaction ends, so
 * a repeated POST of such a call would wait for a whole import.
 */
export async function relinkActivity(db: Db): Promise<void> {
  await db.updateTable('calls').set({ contact_id: matchingCallContact })
    .where('contact_id', 'is', null).where('number_normalized', 'is not', null)
    .where(sql<boolean>`${matchingCallContact} IS NOT NULL`).execute()
  const smsContact = sql<number | null>`COALESCE((SELECT calls.contact_id FROM calls WHERE calls.id = sms.call_id), ${matchingTextContact})`
  await db.updateTable('sms').set({ contact_id: smsContact })
    .where('contact_id', 'is', null).where(eb => eb.or([eb('call_id', 'is not', null), eb('number_normalized', 'is not', null)]))
    .where(sql<boolean>`${smsContact} IS NOT NULL`).execute()
}

/** Releases the calls and/or texts linked to a contact. */
export async function unlinkActivity(db: Db, contactId: number, what: { calls: boolean, sms: boolean }): Promise<void> {
  if (what.calls) await db.updateTable('calls').set({ contact_id: null }).where('contact_id', '=', contactId).execute()
  if (what.sms) await db.updateTable('sms').set({ contact_id: null }).where('contact_id', '=', contactId).execute()
}
