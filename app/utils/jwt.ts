/** The claims of a JWT that the settings page shows. */
export interface JwtClaims {
  sub?: string
  aud?: string | string[]
  iat?: number
  exp?: number
  [claim: string]: unknown
}

/** Decodes the payload of a JWT without verifying it (display only), or returns `null` for a malformed token. */
export function decodeJwtClaims(token: string): JwtClaims | null {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), c => c.charCodeAt(0)))
    const claims: unknown = JSON.parse(json)
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims as JwtClaims : null
  }
  catch {
    return null
  }
}

/** Shows only the start of a token, so it can be recognised but not copied from the screen. */
export function maskToken(token: string): string {
  return `${token.slice(0, 8)}…`
}
