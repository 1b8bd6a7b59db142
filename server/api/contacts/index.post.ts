import { defineEventHandler, setResponseStatus } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { parseContactInput } from '../../utils/contact-input'
import { createContact } from '../../utils/contacts'
import { readJsonBody } from '../../utils/http-body'

/** POST /api/contacts `{ name, phone, company?, email?, notes? }`: 201 with the new contact. */
export default defineEventHandler(async (event) => {
  const input = parseContactInput(await readJsonBody(event))
  const contact = await createContact((await useApiDatabase(event)).db, input)
  setResponseStatus(event, 201)
  return contact
})
