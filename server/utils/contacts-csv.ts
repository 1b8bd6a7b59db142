/**
 * Contacts as CSV: `name,phone,company,email,notes`, UTF-8.
 *
 * Export escaping: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a
 * spreadsheet shows it as text instead of running it. The phone column is the exception when
 * it holds a valid phone number (digits, spaces, dashes, dots, parentheses, one leading +):
 * such a cell cannot call a function, and `+358 40 123 4567` must stay dialable. Stored phones
 * are always valid, so in practice phones are never escaped. Import strips that `'` again,
 * so an exported file imports back unchanged.
 */
import type { Database } from 'db0'
import { badRequest, fieldProblem } from './api-errors'
import type { ContactInput } from './contact-input'
import { parseContactInput } from './contact-input'
import { allContacts, insertContacts } from './contacts'
import { relinkActivity } from './activity-links'
import { csvLine, escapeFormula, parseCsv, unescapeFormula } from './csv'
import { withTransaction } from './db-connection'
import { phoneProblem } from './phone'

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

/** Checks every row and returns the good ones and the errors; throws a 400 when the header is unusable. */
export function readContactsCsv(text: string): { rows: ContactInput[], errors: ImportError[] } {
  const records = parseCsv(text)
  const header = records.shift()
  const columns = header?.cells.map(cell => cell.trim().toLowerCase()) ?? []
  for (const required of ['name', 'phone']) {
    if (!columns.includes(required)) throw badRequest('header', `needs the columns ${CSV_COLUMNS.join(',')} (missing "${required}")`)
  }
  const duplicate = columns.find((column, index) => column && columns.indexOf(column) !== index)
  if (duplicate) throw badRequest('header', `names the column "${duplicate}" twice`)

  const rows: ContactInput[] = []
  const errors: ImportError[] = []
  const report = (error: ImportError) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(error)
  }
  for (const record of records) {
    if (record.cells.length === 1 && record.cells[0]!.trim() === '') continue
    if (record.problem) {
      report({ line: record.line, field: 'row', reason: record.problem })
      continue
    }
    if (record.cells.length !== columns.length) {
      report({ line: record.line, field: 'row', reason: `has ${record.cells.length} cells, the header has ${columns.length}` })
      continue
    }
    const values: Record<string, string> = {}
    columns.forEach((column, index) => {
      if (column) values[column] = unescapeFormula(record.cells[index]!)
    })
    try {
      rows.push(parseContactInput(values))
    }
    catch (error) {
      const problem = fieldProblem(error)
      if (!problem) throw error
      report({ line: record.line, ...problem })
    }
  }
  return { rows, errors }
}

/** Imports the good rows of a CSV in one transaction (all of them or none) and reports the bad ones by line. */
export async function importContactsCsv(db: Database, text: string): Promise<ImportResult> {
  const { rows, errors } = readContactsCsv(text)
  if (rows.length > 0) {
    await withTransaction(db, async () => {
      await insertContacts(db, rows)
      await relinkActivity(db)
    })
  }
  return { imported: rows.length, errors }
}

/** The CSV cells of one contact, formula-escaped except for a valid phone number. */
export function contactCsvCells(contact: ContactInput): string[] {
  return CSV_COLUMNS.map((column) => {
    const value = contact[column] ?? ''
    return column === 'phone' && phoneProblem(value) === null ? value : escapeFormula(value)
  })
}

/** Every contact as a UTF-8 CSV with a BOM (so spreadsheet programs read the letters ä, ö, å right). */
export async function exportContactsCsv(db: Database): Promise<string> {
  const parts = ['\uFEFF', csvLine([...CSV_COLUMNS])]
  for await (const batch of allContacts(db)) {
    for (const contact of batch) parts.push(csvLine(contactCsvCells(contact)))
  }
  return parts.join('')
}
