import { recordCall } from '../../server/utils/calls'
import { insertContacts } from '../../server/utils/contacts'
import type { Db } from '../../server/utils/database-schema'
import { openDatabase } from '../../server/utils/db'
import { demoContacts } from '../../server/utils/demo-contacts'
import type { ContactInput } from '../../server/utils/contact-input'

/** Contacts and stored calls the dashboard benchmarks run against. */
export const SEEDED_CONTACTS = 100_000
export const SEEDED_CALLS = 100_000

/** Varied contacts built from the demo generator (names repeat with a counter, numbers never repeat). */
function manyContacts(count: number): ContactInput[] {
  const base = demoContacts()
  return Array.from({ length: count }, (_, i) => {
    const model = base[i % base.length]!
    return { ...model, name: `${model.name} ${i}`, phone: `+44 7700 ${String(100000 + i).slice(-6)}${String(i).padStart(4, '0').slice(-2)}` }
  })
}

/** Completed calls as Talk reports them, one a minute going back in time, some to seeded contacts. */
async function insertCalls(db: Db, count: number): Promise<void> {
  const newest = Date.UTC(2026, 10, 24, 9, 0, 0)
  for (let i = 0; i < count; i++) {
    const at = new Date(newest - i * 60_000).toISOString().replace('T', ' ').slice(0, 19)
    const number = `+44 7700 ${String(100000 + (i * 7) % SEEDED_CONTACTS).slice(-6)}${String((i * 7) % SEEDED_CONTACTS).padStart(4, '0').slice(-2)}`
    const answered = i % 4 !== 0
    await recordCall(db, {
      completedAt: new Date(newest - i * 60_000 + 65_000).toISOString(),
      call: {
        id: 1_000_000 + i, direction: i % 3 ? 'out' : 'in', to: i % 3 ? number : '+358401234567', from: i % 3 ? null : number,
        answered, callStart: at, talkStart: answered ? at : null, callEnd: at, duration: answered ? 60 + (i % 300) : 0,
        comment: i % 5 ? null : 'Call back next week', recordUrl: answered ? `https://recordings.leaddesk.com/${i}.mp3` : null,
        reason: answered ? { name: 'Sale', logicalName: 'SALE' } : { name: 'No answer', logicalName: 'NO_ANSWER' },
      },
    })
  }
}

/** Creates the SQLite file with the schema, `SEEDED_CONTACTS` contacts and `SEEDED_CALLS` calls; returns how long it took (ms). */
export async function seedDashboardDatabase(file: string): Promise<number> {
  const start = performance.now()
  const app = await openDatabase({ url: null, file, seed: false })
  try {
    await app.db.transaction().execute(trx => insertContacts(trx, manyContacts(SEEDED_CONTACTS)))
    await app.db.transaction().execute(trx => insertCalls(trx, SEEDED_CALLS))
  }
  finally {
    await app.close()
  }
  return performance.now() - start
}
