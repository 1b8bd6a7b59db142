import { defineEventHandler } from 'h3'
import { notFound } from '../../utils/api-errors'
import { useApiDatabase } from '../../utils/api-database'
import { contactTimeline } from '../../utils/contact-timeline'
import { getContact } from '../../utils/contacts'
import { readIdParam } from '../../utils/query-params'

/** GET /api/contacts/:id: the contact and its `timeline` of calls and texts, newest first. */
export default defineEventHandler(async (event) => {
  const id = readIdParam(event, 'contact')
  const db = (await useApiDatabase(event)).db
  const contact = await getContact(db, id)
  if (!contact) throw notFound(`No contact with id ${id}`)
  return { ...contact, timeline: await contactTimeline(db, contact) }
})
