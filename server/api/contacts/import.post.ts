import { defineEventHandler } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { importContactsCsv } from '../../utils/contacts-csv'
import { readCsvBody } from '../../utils/http-body'

/** POST /api/contacts/import (text/csv): imports the good rows, reports the bad ones by line. */
export default defineEventHandler(async (event) => {
  const text = await readCsvBody(event)
  return importContactsCsv(await useApiDatabase(event), text)
})
