import { defineEventHandler } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { listContacts } from '../../utils/contacts'
import { queryString, readPaging } from '../../utils/query-params'

/** GET /api/contacts?q=&limit=&offset=: one page of contacts matching `q`, ordered by name. */
export default defineEventHandler(async (event) => {
  const q = queryString(event, 'q') ?? ''
  const paging = readPaging(event)
  return listContacts((await useApiDatabase(event)).db, { q: q.slice(0, 200), ...paging })
})
