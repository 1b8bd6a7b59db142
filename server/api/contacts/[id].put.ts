import { defineEventHandler } from 'h3'
import { notFound } from '../../utils/api-errors'
import { useApiDatabase } from '../../utils/api-database'
import { parseContactPatch } from '../../utils/contact-input'
import { updateContact } from '../../utils/contacts'
import { readJsonBody } from '../../utils/http-body'
import { readIdParam } from '../../utils/query-params'

/** PUT /api/contacts/:id: changes the fields present in the body (all or some). */
export default defineEventHandler(async (event) => {
  const id = readIdParam(event, 'contact')
  const patch = parseContactPatch(await readJsonBody(event))
  const contact = await updateContact((await useApiDatabase(event)).db, id, patch)
  if (!contact) throw notFound(`No contact with id ${id}`)
  return contact
})
