/** Where the page can learn who embeds it, most trustworthy first. */
export interface ParentOriginSources {
  /** `location.ancestorOrigins` (Chromium, Safari): set by the browser, cannot be forged. */
  ancestorOrigins?: ArrayLike<string> | null
  /** `document.referrer`: the embedding page's URL unless its referrer policy hides it. */
  referrer?: string | null
  /** The `parentOrigin` query parameter: the fallback for browsers with neither of the above. */
  query?: string | null
}

function httpOrigin(value: string | null | undefined): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  }
  catch {
    return null
  }
}

/**
 * The exact origin of the embedding page, or `null` when it cannot be known (then nothing is
 * posted). Talk posts to its parent's exact origin, never to '*'; a wrong guess is harmless
 * because the browser drops a message whose target origin does not match the parent.
 */
export function resolveParentOrigin({ ancestorOrigins, referrer, query }: ParentOriginSources): string | null {
  return httpOrigin(ancestorOrigins?.[0]) ?? httpOrigin(referrer) ?? httpOrigin(query)
}
