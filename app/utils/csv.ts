// Spreadsheet apps run a cell starting with one of these as a formula ("CSV injection").
const FORMULA_LEAD = /^[=+\-@\t\r]/

/** Makes one CSV cell: formula-leading text gets a leading `'`, and quotes are added when needed. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value == null) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_LEAD.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Builds a CSV document (CRLF line ends, as RFC 4180 asks) from a header row and data rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [header, ...rows].map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** Offers `text` to the browser as a downloaded file. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  // Revoke on the next task so the download has started.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
