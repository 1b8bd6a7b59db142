/**
 * The dashboard's one CSV dialect, for the server (contacts import and export) and the browser
 * (the call log download) alike: RFC 4180 through csv-parse and csv-stringify, CRLF line
 * ends, and the formula guard spreadsheets need.
 */
import type { Options as ParseOptions } from 'csv-parse'
import type { Options as StringifyOptions } from 'csv-stringify'
// The browser build carries its own Buffer shim, so the same import runs in the dashboard page and on the server.
import { stringify } from 'csv-stringify/browser/esm/sync'

// Spreadsheets run a cell starting with one of these as a formula (CSV injection): a phone
// such as `-40-300-0005` or `+1-1` is arithmetic to them too. Some read the full-width forms
// (＝ ＋ － ＠) like the ASCII ones.
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/

/** Prefixes `'` to a cell a spreadsheet would run as a formula (every column: phones too). */
export function escapeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell
}

/** Removes the `'` that `escapeFormula` added, so an exported file imports back unchanged. */
export function unescapeFormula(cell: string): string {
  return cell.startsWith('\'') && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
}

/** How every CSV is written: CRLF line ends, and quotes around a cell with a comma, a quote or any line break. */
export const CSV_WRITE_OPTIONS = {
  record_delimiter: '\r\n',
  // csv-stringify quotes the record delimiter itself (CRLF); a lone CR or LF in a cell needs quotes too.
  quoted_match: /[\r\n]/,
} as const satisfies StringifyOptions

/** How every CSV is read: BOM or not, CRLF, LF or CR line ends, blank lines skipped, rows of any length (checked by the caller). */
export const CSV_READ_OPTIONS = {
  bom: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_column_count: true,
  skip_empty_lines: true,
} as const satisfies ParseOptions

/** One cell of a download: text that a spreadsheet would run as a formula gets a leading `'`. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value == null) return ''
  return typeof value === 'string' ? escapeFormula(value) : String(value)
}

/** A whole CSV document from a header row and data rows (cells formula-guarded). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return stringify([header.map(csvCell), ...rows.map(row => row.map(csvCell))], CSV_WRITE_OPTIONS)
}
