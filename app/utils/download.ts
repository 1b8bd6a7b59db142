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
