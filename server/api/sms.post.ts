import { defineEventHandler, setResponseStatus } from 'h3'
import { useApiDatabase } from '../utils/api-database'
import { readJsonBody } from '../utils/http-body'
import { parseSmsInput, recordSms } from '../utils/sms'

/**
 * POST /api/sms `{ sms, callId?, contactId?, number?, sentAt?, idempotencyKey? }`: 201 with the
 * stored text; 200 with the row stored earlier when `idempotencyKey` repeats one already stored.
 */
export default defineEventHandler(async (event) => {
  const input = parseSmsInput(await readJsonBody(event))
  const { created, sms } = await recordSms((await useApiDatabase(event)).db, input)
  setResponseStatus(event, created ? 201 : 200)
  return sms
})
