/** One CSV record and the line of the file it starts on (1-based). */
export interface CsvRecord {
  line: number
  cells: string[]
  /** Set when the record breaks RFC 4180 (an unclosed quote, text after a closing quote). */
  problem?: string
}

/**
 * Parses RFC 4180 CSV: comma-separated, `"` quotes cells holding commas, quotes (doubled)
 * or line breaks; CRLF or LF line ends. Line numbers count physical lines, so a quoted cell
 * spanning two lines moves the next record's line number by two, as an editor shows it.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let line = 1
  let i = 0
  while (i < text.length) {
    const record: CsvRecord = { line, cells: [] }
    let cell = ''
    for (;;) {
      if (text[i] === '"' && cell === '') {
        i++
        let closed = false
        while (i < text.length) {
          const ch = text[i]!
          if (ch === '"') {
            if (text[i + 1] === '"') {
              cell += '"'
              i += 2
              continue
            }
            i++
            closed = true
            break
          }
          if (ch === '\n') line++
          cell += ch
          i++
        }
        if (!closed) record.problem ??= 'has a quoted cell that is never closed'
        else if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          record.problem ??= 'has text after a closing quote'
          while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++]
        }
      }
      else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') record.problem ??= 'has a quote inside an unquoted cell'
          cell += text[i++]
        }
      }
      record.cells.push(cell)
      cell = ''
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    if (text[i] === '\r') i++
    if (text[i] === '\n') i++
    line++
    records.push(record)
  }
  return records
}

// Spreadsheets run a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/

/** Prefixes `'` to a cell a spreadsheet would run as a formula. */
export function escapeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell
}

/** Removes the `'` that `escapeFormula` added, so an exported file imports back unchanged. */
export function unescapeFormula(cell: string): string {
  return cell.startsWith('\'') && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
}

/** Quotes a cell when it holds a comma, quote or line break (RFC 4180). */
export function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell
}

/** One CSV line (CRLF-terminated) from cells that are already formula-escaped as needed. */
export function csvLine(cells: string[]): string {
  return `${cells.map(quoteCell).join(',')}\r\n`
}
