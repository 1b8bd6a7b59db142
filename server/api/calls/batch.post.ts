import { defineEventHandler } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { MAX_BATCH_BYTES, parseCallBatch, recordCallBatch } from '../../utils/call-batch'
import { readJsonBody } from '../../utils/http-body'

/** POST /api/calls/batch `{ calls: [...] }`: stores up to 50 Talk `completed` calls at once; 200 with one result per call, in order. */
export default defineEventHandler(async (event) => {
  const items = parseCallBatch(await readJsonBody(event, MAX_BATCH_BYTES))
  return { results: await recordCallBatch((await useApiDatabase(event)).db, items) }
})
