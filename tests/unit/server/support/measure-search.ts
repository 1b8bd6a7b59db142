/**
 * Measures contact search on 100,000 contacts: `npx jiti tests/unit/server/support/measure-search.ts`
 * (SQLite in a temp file; also PostgreSQL when TEST_DATABASE_URL is set). Prints one line per query.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseSchema } from '../../../../server/utils/database-schema'
import { insertContacts, listContacts } from '../../../../server/utils/contacts'
import { openDatabase } from '../../../../server/utils/db'
import { demoContacts } from '../../../../server/utils/demo-contacts'
import type { ContactInput } from '../../../../server/utils/contact-input'

/** 100,000 varied contacts built from the demo generator (names repeat, numbers do not). */
export function manyContacts(count: number): ContactInput[] {
  const base = demoContacts()
  return Array.from({ length: count }, (_, i) => {
    const model = base[i % base.length]!
    return { ...model, name: `${model.name} ${i}`, phone: `+44 7700 ${String(100000 + i).slice(-6)}${String(i).padStart(4, '0').slice(-2)}` }
  })
}

const QUERIES = ['', 'virtanen', 'virt', 'a', '0', 'mikko virtanen', '+44 7700 1234', '07700 12', 'nobody', 'harbour']

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const result = await work()
  return [result, performance.now() - start]
}

async function measure(name: string, db: Kysely<DatabaseSchema>, count: number) {
  const contacts = manyContacts(count)
  const [, insertMs] = await time(() => db.transaction().execute(trx => insertContacts(trx, contacts)))
  console.log(`${name}: inserted ${count} contacts in ${Math.round(insertMs)} ms`)
  for (const q of QUERIES) {
    await listContacts(db, { q, limit: 50, offset: 0 })
    const runs: number[] = []
    let total = 0
    for (let i = 0; i < 5; i++) {
      const [page, ms] = await time(() => listContacts(db, { q, limit: 50, offset: 0 }))
      total = page.total
      runs.push(ms)
    }
    runs.sort((a, b) => a - b)
    console.log(`${name}: q=${JSON.stringify(q).padEnd(18)} total=${String(total).padStart(6)} median ${runs[2]!.toFixed(1)} ms (first page of 50, with the count)`)
  }
}

const COUNT = Number(process.env.CONTACTS ?? 100_000)
const dir = mkdtempSync(join(tmpdir(), 'leaddesk-talk-measure-'))
try {
  const sqlite = await openDatabase({ url: null, file: join(dir, 'measure.sqlite'), seed: false })
  await measure('sqlite', sqlite.db, COUNT)
  await sqlite.close()
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const schema = `measure_${Date.now()}`
    const pg = await openDatabase({ url, file: '', schema, seed: false })
    try {
      await measure('postgresql', pg.db, COUNT)
    }
    finally {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(pg.db)
      await pg.close()
    }
  }
}
finally {
  rmSync(dir, { recursive: true, force: true })
}
