import { defineEventHandler, setResponseStatus } from 'h3'
import { useApiDatabase } from '../utils/api-database'
import { readJsonBody } from '../utils/http-body'
import { parseSmsInput, recordSms } from '../utils/sms'

/** POST /api/sms `{ sms, callId?, contactId?, number?, sentAt? }`: 201 with the stored text. */
export default defineEventHandler(async (event) => {
  const input = parseSmsInput(await readJsonBody(event))
  const sms = await recordSms((await useApiDatabase(event)).db, input)
  setResponseStatus(event, 201)
  return sms
})
