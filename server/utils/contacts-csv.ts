/**
 * Contacts as CSV: `name,phone,company,email,notes`, read and written as streams so memory
 * stays flat whatever the file's size. Uploads reach this file as UTF-8 (text-encoding.ts
 * converts whatever the file was written in); exports are UTF-8 with a byte order mark.
 *
 * Import: the rows are checked as they arrive and the good ones staged in
 * `contact_import_rows` a batch at a time (short writes, between other requests' writes); at
 * the end one transaction moves them all into `contacts`, so an import lands whole or not at
 * all and never holds the database's writer while the upload is still coming in.
 *
 * Export escaping: every cell starting with `=`, `+`, `-`, `@`, tab, CR or LF (or a full-width
 * `=`, `+`, `-`, `@`) gets a leading `'` so a spreadsheet shows it as text instead of running it;
 * phones too (`+358 40 123 4567` becomes `'+358 40 123 4567`): a spreadsheet reads
 * `-40-300-0005` or `+1-1` as arithmetic and would show a different number. Import strips that
 * `'` again, so an exported file imports back unchanged.
 */
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parse } from 'csv-parse'
import type { CastingContext, CsvError } from 'csv-parse'
import { stringify } from 'csv-stringify'
import { CSV_READ_OPTIONS, CSV_WRITE_OPTIONS, escapeFormula, unescapeFormula } from './csv-format'
import { badRequest, fieldProblem } from './api-errors'
import type { ContactInput } from './contact-input'
import { parseContactInput } from './contact-input'
import { allContacts, contactColumns } from './contacts'
import type { Db } from './database-schema'
import { relinkActivity } from './activity-links'

/** The CSV columns, in export order. */
export const CSV_COLUMNS = ['name', 'phone', 'company', 'email', 'notes'] as const

/** A row the import skipped: its line in the file, the field and why. */
export interface ImportError {
  line: number
  field: string
  reason: string
}

/** What an import did. */
export interface ImportResult {
  imported: number
  errors: ImportError[]
}

/** At most this many row errors are reported; the count of skipped rows is still exact through `imported`. */
export const MAX_REPORTED_ERRORS = 1000

// Rows per staging INSERT (11 values each, far below both engines' parameter limits).
const STAGE_BATCH = 500
// Staged rows of an import that never finished (the process died) are removed after this long.
const STALE_STAGING_MS = 24 * 60 * 60 * 1000

const BROKEN_ROW: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'has a quoted cell that is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'has text after a closing quote',
  INVALID_OPENING_QUOTE: 'has a quote inside an unquoted cell',
}

/**
 * Tells which line of the file a record starts on. csv-parse reports where each record ends
 * (`info.bytes`) but counts a CRLF inside a quoted cell as two lines, so the lines are counted
 * here, from the bytes as they pass: a record starts on the first non-blank line at or after
 * the end of the one before it. Only the line starts not yet passed are kept.
 */
class LineTracker {
  private offset = 0
  private line = 1
  private atLineStart = true
  private lastWasCr = false
  // [offset, line] of each non-blank line start from `head` on; those before it are passed.
  private starts: [number, number][] = []
  private head = 0

  /** Notes the line starts in the next chunk of the file. */
  feed(chunk: Uint8Array): void {
    for (const byte of chunk) {
      const isBreak = byte === 0x0A || byte === 0x0D
      if (byte === 0x0A && this.lastWasCr) {
        // The LF of a CRLF: the line already ended at the CR.
      }
      else if (isBreak) {
        this.line++
        this.atLineStart = true
      }
      else if (this.atLineStart) {
        this.starts.push([this.offset, this.line])
        this.atLineStart = false
      }
      this.lastWasCr = byte === 0x0D
      this.offset++
    }
  }

  /** The line of the record that starts at or after byte `from`; later calls ask about later records. */
  lineOf(from: number): number {
    while (this.head < this.starts.length && this.starts[this.head]![0] < from) this.head++
    const line = this.starts[this.head]?.[1] ?? this.line
    if (this.head > 4096) {
      this.starts = this.starts.slice(this.head)
      this.head = 0
    }
    return line
  }
}

/**
 * Reads contacts from a CSV upload as it arrives and hands the good rows to `stage` in
 * batches. Throws a 400 when the bytes are not UTF-8 or the header is unusable; every bad row
 * is reported with the line it starts on (a quoted cell spanning lines counts them all).
 */
export async function readContactsCsv(bytes: AsyncIterable<Uint8Array>, stage: (rows: { line: number, input: ContactInput }[]) => Promise<void>): Promise<ImportResult> {
  const errors: ImportError[] = []
  const report = (error: ImportError) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(error)
  }
  const lines = new LineTracker()
  let recordEnd = 0
  let lastErrorLine = 0
  // Lines are worked out as csv-parse reads (on_record and 'skip' run in file order) and queued
  // for the loop below, which consumes the records later.
  const recordLines: number[] = []
  let nextRecord = 0
  const parser = parse({
    ...CSV_READ_OPTIONS,
    skip_records_with_error: true,
    on_record: (record, context) => {
      recordLines.push(lines.lineOf(recordEnd))
      // csv-parse passes its whole info object here; its typings list only the casting fields.
      recordEnd = (context as CastingContext & { bytes: number }).bytes
      return record
    },
  })
  parser.on('skip', (error: CsvError & { bytes?: number }) => {
    // csv-parse may report one broken record more than once as it recovers: one report per line.
    const line = lines.lineOf(recordEnd)
    if (line !== lastErrorLine) report({ line, field: 'row', reason: BROKEN_ROW[error.code] ?? 'is not valid CSV' })
    lastErrorLine = line
    recordEnd = Math.max(recordEnd, error.bytes ?? recordEnd)
  })
  async function* counted() {
    for await (const chunk of bytes) {
      lines.feed(chunk)
      yield chunk
    }
  }
  const feeding = pipeline(Readable.from(counted()), parser)
  // A failure of the source (too large, not UTF-8) also ends the loop below; this keeps it from going unhandled when the loop ends first.
  feeding.catch(() => undefined)
  let columns: string[] | null = null
  let batch: { line: number, input: ContactInput }[] = []
  let imported = 0
  for await (const record of parser as AsyncIterable<string[]>) {
    const line = recordLines[nextRecord++]!
    if (nextRecord > 4096) {
      recordLines.splice(0, nextRecord)
      nextRecord = 0
    }
    if (!columns) {
      columns = record.map(cell => cell.trim().toLowerCase())
      for (const required of ['name', 'phone']) {
        if (!columns.includes(required)) throw badRequest('header', `needs the columns ${CSV_COLUMNS.join(',')} (missing "${required}")`)
      }
      const duplicate = columns.find((column, index) => column && columns!.indexOf(column) !== index)
      if (duplicate) throw badRequest('header', `names the column "${duplicate}" twice`)
      continue
    }
    if (record.length === 1 && record[0]!.trim() === '') continue
    if (record.length !== columns.length) {
      report({ line, field: 'row', reason: `has ${record.length} cells, the header has ${columns.length}` })
      continue
    }
    const values: Record<string, string> = {}
    columns.forEach((column, index) => {
      if (column) values[column] = unescapeFormula(record[index]!)
    })
    try {
      batch.push({ line, input: parseContactInput(values) })
    }
    catch (error) {
      const problem = fieldProblem(error)
      if (!problem) throw error
      report({ line, ...problem })
    }
    if (batch.length >= STAGE_BATCH) {
      await stage(batch)
      imported += batch.length
      batch = []
    }
  }
  await feeding
  if (!columns) throw badRequest('header', `needs the columns ${CSV_COLUMNS.join(',')} (the file is empty)`)
  if (batch.length) {
    await stage(batch)
    imported += batch.length
  }
  return { imported, errors: errors.sort((a, b) => a.line - b.line) }
}

/**
 * Imports the good rows of a streamed CSV upload (UTF-8 bytes: see text-encoding.ts) in one
 * transaction (all of them or none) and reports the bad ones by line.
 */
export async function importContactsCsv(db: Db, bytes: AsyncIterable<Uint8Array>): Promise<ImportResult> {
  const importId = randomUUID()
  const stagedAt = new Date().toISOString()
  await db.deleteFrom('contact_import_rows').where('staged_at', '<', new Date(Date.now() - STALE_STAGING_MS).toISOString()).execute()
  try {
    const result = await readContactsCsv(bytes, async (rows) => {
      await db.insertInto('contact_import_rows')
        .values(rows.map(({ line, input }) => ({ import_id: importId, line, staged_at: stagedAt, ...contactColumns(input) })))
        .execute()
    })
    if (result.imported > 0) {
      await db.transaction().execute(async (trx) => {
        const now = new Date().toISOString()
        await trx.insertInto('contacts')
          .columns(['name', 'phone', 'phone_normalized', 'phone_suffix', 'phone_e164', 'company', 'email', 'notes', 'search_text', 'created_at', 'updated_at'])
          .expression(eb => eb.selectFrom('contact_import_rows')
            .select(['name', 'phone', 'phone_normalized', 'phone_suffix', 'phone_e164', 'company', 'email', 'notes', 'search_text'])
            .select([eb.val(now).as('created_at'), eb.val(now).as('updated_at')])
            .where('import_id', '=', importId).orderBy('line'))
          .execute()
        await trx.deleteFrom('contact_import_rows').where('import_id', '=', importId).execute()
        await relinkActivity(trx)
      })
    }
    return result
  }
  finally {
    // After a failure the staged rows are removed; after success this finds none.
    await db.deleteFrom('contact_import_rows').where('import_id', '=', importId).execute().catch(() => undefined)
  }
}

/** The CSV cells of one contact, each formula-escaped. */
export function contactCsvCells(contact: ContactInput): string[] {
  return CSV_COLUMNS.map(column => escapeFormula(contact[column] ?? ''))
}

/** Every contact as a stream of UTF-8 CSV with a BOM (so spreadsheet programs read ä, ö, å right), read from the database as it is sent. */
export function exportContactsCsv(db: Db): Readable {
  async function* records() {
    yield [...CSV_COLUMNS]
    for await (const batch of allContacts(db)) {
      for (const contact of batch) yield contactCsvCells(contact)
    }
  }
  const csv = stringify({ ...CSV_WRITE_OPTIONS, bom: true })
  const source = Readable.from(records())
  source.on('error', error => csv.destroy(error))
  return source.pipe(csv)
}
