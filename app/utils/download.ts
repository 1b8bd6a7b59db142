/** Offers `text` (or bytes as the server sent them, a byte order mark included) to the browser as a downloaded file. */
export function downloadText(filename: string, text: string | Blob, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(typeof text === 'string' ? new Blob([text], { type }) : text)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  // Revoke on the next task so the download has started.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
