import { decodeJwtClaims } from './jwt'

/** What the dashboard's API authentication needs from its surroundings (injected for tests). */
export interface ApiAuthDeps {
  /** Asks Talk for a fresh JWT (the `getJwt` command). */
  requestJwt: () => Promise<string>
  /** Current time in ms. */
  now?: () => number
}

/** Refresh this long before `exp`, so a token never expires on the way to the server. */
const REFRESH_MARGIN_MS = 30_000

/**
 * Keeps the Talk JWT that `/api/**` needs when the server has agent authentication on.
 * The token lives only in this closure: never in state, storage or logs. Until the server
 * first answers 401 with a Bearer challenge, no token is requested at all, so dashboards
 * without authentication never send `getJwt`.
 */
export function createApiAuth({ requestJwt, now = Date.now }: ApiAuthDeps) {
  let required = false
  let token: string | null = null
  let expiresAt = 0
  let pending: Promise<string> | null = null

  function fetchToken(): Promise<string> {
    pending ??= requestJwt()
      .then((jwt) => {
        const exp = decodeJwtClaims(jwt)?.exp
        token = jwt
        expiresAt = typeof exp === 'number' ? exp * 1000 : now() + 60_000
        return jwt
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  return {
    /** The Authorization header value for the next API request, or `null` while the server asks for none. */
    async header(): Promise<string | null> {
      if (!required) return null
      const jwt = token && now() < expiresAt - REFRESH_MARGIN_MS ? token : await fetchToken()
      return `Bearer ${jwt}`
    },
    /** Records a 401 Bearer challenge; returns whether a retry with a fresh token makes sense. */
    challenged(wwwAuthenticate: string | null): boolean {
      if (!wwwAuthenticate || !/^Bearer\b/i.test(wwwAuthenticate)) return false
      const hadToken = token !== null
      required = true
      token = null
      // A rejected token is worth one retry with a new one; no token at all always is.
      return !hadToken || /invalid_token/.test(wwwAuthenticate)
    },
  }
}

/** Tells whether a request goes to the dashboard's own API (and so may need the Talk JWT). */
export function isApiRequest(request: unknown): boolean {
  const url = typeof request === 'string' ? request : request instanceof Request ? request.url : ''
  try {
    const parsed = new URL(url, globalThis.location?.href ?? 'http://localhost/')
    return parsed.origin === (globalThis.location?.origin ?? parsed.origin) && parsed.pathname.startsWith('/api/') && parsed.pathname !== '/api/health'
  }
  catch {
    return false
  }
}
