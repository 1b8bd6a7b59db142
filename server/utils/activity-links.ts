/**
 * Keeps `calls.contact_id` and `sms.contact_id` in step with the contacts table. A call is
 * linked when it is stored; these statements link the calls and texts that arrived before
 * their contact existed, and release them when a contact goes away or changes its number.
 * The choice of contact follows phone.ts: an exact number first, then the last-9-digits
 * equivalence, then the oldest contact.
 */
import type { Database } from 'db0'
import { execute } from './sql'

// Exact number first, then the last-9-digits equivalence; the oldest contact wins a tie.
const MATCHING_CONTACT = (table: 'calls' | 'sms') => `COALESCE(
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_normalized = ${table}.number_normalized),
  (SELECT MIN(c.id) FROM contacts c WHERE c.phone_suffix = ${table}.number_suffix))`

/** Links every unlinked call and text to the contact its number (or, for a text, its call) belongs to. */
export async function relinkActivity(db: Database): Promise<void> {
  await execute(db, `UPDATE calls SET contact_id = ${MATCHING_CONTACT('calls')}
    WHERE contact_id IS NULL AND number_normalized IS NOT NULL`)
  await execute(db, `UPDATE sms SET contact_id = COALESCE(
      (SELECT calls.contact_id FROM calls WHERE calls.id = sms.call_id),
      ${MATCHING_CONTACT('sms')})
    WHERE contact_id IS NULL AND (call_id IS NOT NULL OR number_normalized IS NOT NULL)`)
}

/** Releases the calls and/or texts linked to a contact. */
export async function unlinkActivity(db: Database, contactId: number, what: { calls: boolean, sms: boolean }): Promise<void> {
  if (what.calls) await execute(db, 'UPDATE calls SET contact_id = NULL WHERE contact_id = ?', [contactId])
  if (what.sms) await execute(db, 'UPDATE sms SET contact_id = NULL WHERE contact_id = ?', [contactId])
}
