import { defineEventHandler, sendNoContent } from 'h3'
import { notFound } from '../../utils/api-errors'
import { useApiDatabase } from '../../utils/api-database'
import { deleteContact } from '../../utils/contacts'
import { readIdParam } from '../../utils/query-params'

/** DELETE /api/contacts/:id: 204; the contact's calls and texts are kept, unlinked. */
export default defineEventHandler(async (event) => {
  const id = readIdParam(event, 'contact')
  if (!(await deleteContact((await useApiDatabase(event)).db, id))) throw notFound(`No contact with id ${id}`)
  return sendNoContent(event, 204)
})
