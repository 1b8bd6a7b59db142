/** Returns the URL when it is an absolute `https:` URL (safe to link to), otherwise `null`. */
export function httpsUrl(value: string | null | undefined): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    // Talk payloads are untrusted: `javascript:`, `data:` or plain `http:` links are never rendered.
    return url.protocol === 'https:' ? url.href : null
  }
  catch {
    return null
  }
}
