import { createError, defineEventHandler } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { checkReadiness } from '../../utils/readiness'

/** GET /api/health/ready (readiness): 200 `{ ok: true, database, checks }` while the database takes writes; 503 naming the failed checks otherwise. */
export default defineEventHandler(async (event) => {
  const app = await useApiDatabase(event)
  const readiness = await checkReadiness(app)
  if (!readiness.ok) {
    const failed = Object.entries(readiness.checks).filter(([, outcome]) => outcome !== 'ok').map(([name, outcome]) => `${name}: ${outcome}`)
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: `Not ready: ${failed.join('; ')}`, data: readiness })
  }
  return { ok: true, database: app.kind, checks: readiness.checks }
})
