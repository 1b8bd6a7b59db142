import { defineEventHandler } from 'h3'
import { useApiDatabase } from '../utils/api-database'
import { databaseKind } from '../utils/db'
import { selectRow } from '../utils/sql'

/** GET /api/health: `{ ok: true, database }` once the database answers; 503 otherwise. */
export default defineEventHandler(async (event) => {
  const db = await useApiDatabase(event)
  await selectRow(db, 'SELECT 1 AS ok')
  return { ok: true, database: databaseKind(db) }
})
