import { defineEventHandler, setResponseStatus } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { parseCallInput, recordCall } from '../../utils/calls'
import { readJsonBody } from '../../utils/http-body'

/** POST /api/calls (a Talk `completed` call): 201 when stored, 200 with the stored row for a repeat. */
export default defineEventHandler(async (event) => {
  const input = parseCallInput(await readJsonBody(event))
  const { created, call } = await recordCall((await useApiDatabase(event)).db, input)
  setResponseStatus(event, created ? 201 : 200)
  return call
})
