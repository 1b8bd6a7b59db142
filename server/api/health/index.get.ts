import { defineEventHandler } from 'h3'
import { useApiDatabase } from '../../utils/api-database'

/**
 * GET /api/health (liveness): `{ ok: true, database }` once the database has been opened; 503
 * when it cannot be. It sends no query, so it answers at once however busy the database is.
 */
export default defineEventHandler(async (event) => {
  const { kind } = await useApiDatabase(event)
  return { ok: true, database: kind }
})
