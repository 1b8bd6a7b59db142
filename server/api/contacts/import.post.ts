import { defineEventHandler, setResponseHeader } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { importContactsCsv } from '../../utils/contacts-csv'
import { MAX_CSV_BYTES, readBodyChunks, requireContentType, utf8Chunks } from '../../utils/http-body'
import { IMPORT_RETRY_AFTER_SECONDS, importsBusy, useImportSlots } from '../../utils/import-slots'

/** POST /api/contacts/import (text/csv, up to 64 MB): imports the good rows, reports the bad ones by line; 429 while too many imports run. */
export default defineEventHandler(async (event) => {
  requireContentType(event, ['text/csv'])
  const slots = useImportSlots()
  const release = slots.take()
  if (!release) {
    setResponseHeader(event, 'retry-after', IMPORT_RETRY_AFTER_SECONDS)
    setResponseHeader(event, 'connection', 'close')
    throw importsBusy(slots.max)
  }
  try {
    const { db } = await useApiDatabase(event)
    return await importContactsCsv(db, utf8Chunks(readBodyChunks(event, MAX_CSV_BYTES)))
  }
  finally {
    release()
  }
})
