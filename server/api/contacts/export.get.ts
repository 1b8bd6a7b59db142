import { defineEventHandler, sendStream, setResponseHeaders } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { exportContactsCsv } from '../../utils/contacts-csv'

/** GET /api/contacts/export: every contact as a CSV download (formula-escaped, see contacts-csv.ts), streamed. */
export default defineEventHandler(async (event) => {
  const { db } = await useApiDatabase(event)
  setResponseHeaders(event, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="contacts.csv"',
    'cache-control': 'no-store',
  })
  return sendStream(event, exportContactsCsv(db))
})
