import { defineEventHandler, setResponseHeader } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { importContactsCsv } from '../../utils/contacts-csv'
import { MAX_CSV_BYTES, readBodyChunks, requireContentType } from '../../utils/http-body'
import { toUtf8Chunks } from '../../utils/text-encoding'
import type { TextEncodingName } from '../../utils/text-encoding'
import { IMPORT_RETRY_AFTER_SECONDS, importsBusy, useImportSlots } from '../../utils/import-slots'

/**
 * POST /api/contacts/import (text/csv, up to 64 MB): imports the good rows, reports the bad ones
 * by line and names the encoding read from the bytes; 429 while too many imports run.
 */
export default defineEventHandler(async (event) => {
  // Any declared charset: the bytes decide the encoding (text-encoding.ts); spreadsheets often declare none or the wrong one.
  requireContentType(event, ['text/csv'], { anyCharset: true })
  const slots = useImportSlots()
  const release = slots.take()
  if (!release) {
    setResponseHeader(event, 'retry-after', IMPORT_RETRY_AFTER_SECONDS)
    setResponseHeader(event, 'connection', 'close')
    throw importsBusy(slots.max)
  }
  try {
    const { db } = await useApiDatabase(event)
    let encoding: TextEncodingName = 'utf-8'
    const result = await importContactsCsv(db, toUtf8Chunks(readBodyChunks(event, MAX_CSV_BYTES), (found) => {
      encoding = found
    }))
    return { ...result, encoding }
  }
  finally {
    release()
  }
})
