import { createPublicKey } from 'node:crypto'
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose'
import type { JSONWebKeySet, JWK, JWTPayload, JWTVerifyGetKey } from 'jose'
import { SIMULATOR_JWT_ISSUER, SIMULATOR_PUBLIC_JWKS } from '../../simulator/dev-key'

declare module 'h3' {
  interface H3EventContext {
    /** The Talk agent (`sub` of the verified Talk JWT) when agent authentication is on. */
    agent?: string
  }
}

/** Agent authentication settings, from `LEADDESK_TALK_JWT_KEY`, `LEADDESK_TALK_JWKS_URL`, `LEADDESK_TALK_JWT_ISSUER`. */
export interface TalkAuthSettings {
  /** A public key: PEM (SPKI), a JWK or JWKS as JSON, or `simulator` for the simulator's published dev key. */
  key?: string
  /** A JWKS URL, fetched and cached. */
  jwksUrl?: string
  /** When set, only tokens with this `iss` pass. */
  issuer?: string
  /** `LEADDESK_TALK_ALLOW_SIMULATOR_KEY=true`: the development flag without which `key: 'simulator'` is refused. */
  allowSimulatorKey?: boolean
  /** The longest a token may live, in seconds: `exp` at most this far ahead, `iat` at most this long ago (default a day). */
  maxAgeSeconds?: number
}

/** Why a request was refused: the HTTP status and a short reason safe to show the agent. */
export class TalkAuthError extends Error {
  constructor(readonly statusCode: 401 | 500 | 503, message: string) {
    super(message)
    this.name = 'TalkAuthError'
  }
}

/** The shortcut value of `LEADDESK_TALK_JWT_KEY` that trusts the simulator's published dev key. */
export const SIMULATOR_KEY_SETTING = 'simulator'

/** Shown when the server trusts the simulator's key, whose private half is public. */
export const SIMULATOR_KEY_WARNING = '[leaddesk-talk] LEADDESK_TALK_JWT_KEY=simulator with LEADDESK_TALK_ALLOW_SIMULATOR_KEY=true: the API trusts the Talk simulator\'s PUBLISHED development key, so anyone can mint a token for it. Development only: never use this in production.'

/** The default of `LEADDESK_TALK_JWT_MAX_AGE`: a day, longer than any Talk session token lives. */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 24 * 60 * 60

/** Whether the settings trust a key anyone can sign with (the simulator's): as good as no sign-in. */
export function trustsPublishedKey(settings: TalkAuthSettings | null): boolean {
  return settings?.key === SIMULATOR_KEY_SETTING
}

/** Body message of a request without a token. */
export const MISSING_TOKEN_MESSAGE = 'Sign in to Talk: this API needs a Talk JWT (Authorization: Bearer …)'

// Only signatures made with a private key: a shared-secret (HS*) token could be minted by anyone holding the verification value.
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']
// Clocks of the Talk servers and ours may disagree by a few seconds.
const CLOCK_TOLERANCE_SECONDS = 30

/** Reads the agent authentication settings from the environment; `null` when it is off (no key and no JWKS URL). */
export function talkAuthSettingsFromEnv(env: Record<string, string | undefined> = process.env): TalkAuthSettings | null {
  const key = env.LEADDESK_TALK_JWT_KEY?.trim() || undefined
  const jwksUrl = env.LEADDESK_TALK_JWKS_URL?.trim() || undefined
  if (!key && !jwksUrl) return null
  const maxAge = env.LEADDESK_TALK_JWT_MAX_AGE?.trim()
  return {
    key,
    jwksUrl,
    issuer: env.LEADDESK_TALK_JWT_ISSUER?.trim() || undefined,
    allowSimulatorKey: /^(1|true|yes)$/i.test(env.LEADDESK_TALK_ALLOW_SIMULATOR_KEY?.trim() ?? ''),
    maxAgeSeconds: maxAge ? Number(maxAge) : undefined,
  }
}

/** Whether a request path (relative to the app's base URL, query included) needs a token: all of /api except /api/health. */
export function talkAuthRequired(path: string): boolean {
  const raw = path.split('?')[0] ?? ''
  if (raw === '/api/health' || raw === '/api/health/') return false
  // Judged on a normalised path so `/API/contacts`, `//api/…` or `/x/../api/…` cannot slip past;
  // the exemption above is exact, so it cannot be borrowed the same way.
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(raw.replace(/\\/g, '/').replace(/^\/+/, '/'), 'http://localhost').pathname)
  }
  catch {
    return true
  }
  const normalized = pathname.replace(/\/{2,}/g, '/').toLowerCase()
  return normalized === '/api' || normalized.startsWith('/api/')
}

/** The token of an `Authorization: Bearer <jwt>` header, or `null`. */
export function bearerToken(header: string | undefined | null): string | null {
  const match = /^Bearer[ \t]+([\w-]+\.[\w-]+\.[\w-]*)[ \t]*$/i.exec(header ?? '')
  return match?.[1] ?? null
}

function configError(reason: string): TalkAuthError {
  return new TalkAuthError(500, `Agent authentication is misconfigured: ${reason}`)
}

function isPrivateJwk(jwk: JWK): boolean {
  return ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some(member => member in jwk)
}

function checkPublicJwks(jwks: JSONWebKeySet): JSONWebKeySet {
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw configError('the key set has no keys')
  for (const jwk of jwks.keys) {
    if (!['RSA', 'EC', 'OKP'].includes(String(jwk.kty))) throw configError(`key type ${JSON.stringify(jwk.kty)} is not a public signing key (use RSA, EC or OKP)`)
    if (isPrivateJwk(jwk)) throw configError('the key holds private material; configure the public key only')
  }
  return jwks
}

function jwksFromKeySetting(key: string): JSONWebKeySet {
  if (key === SIMULATOR_KEY_SETTING) return SIMULATOR_PUBLIC_JWKS as unknown as JSONWebKeySet
  if (key.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(key)
    }
    catch {
      throw configError('LEADDESK_TALK_JWT_KEY starts with "{" but is not valid JSON')
    }
    const value = parsed as Partial<JSONWebKeySet> & JWK
    return checkPublicJwks(Array.isArray(value.keys) ? value as JSONWebKeySet : { keys: [value] })
  }
  // Environment files often carry a PEM on one line with literal "\n".
  const pem = key.replace(/\\n/g, '\n')
  if (/PRIVATE KEY/.test(pem)) throw configError('LEADDESK_TALK_JWT_KEY holds a private key; configure the public key only')
  if (!pem.includes('-----BEGIN')) throw configError('LEADDESK_TALK_JWT_KEY is neither a PEM public key, a JWK/JWKS JSON string, nor "simulator"')
  try {
    const publicKey = createPublicKey(pem)
    if (!['rsa', 'ec', 'ed25519'].includes(publicKey.asymmetricKeyType ?? '')) throw new Error('unsupported key type')
    return { keys: [publicKey.export({ format: 'jwk' }) as JWK] }
  }
  catch {
    throw configError('LEADDESK_TALK_JWT_KEY is not a readable RSA, EC or Ed25519 public key')
  }
}

/** A configured verifier: `verify(token)` resolves to the agent (`sub`) or rejects with a `TalkAuthError`. */
export interface TalkTokenVerifier {
  verify: (token: string) => Promise<string>
}

/** Builds the verifier for the settings; throws a 500 `TalkAuthError` naming what is wrong with them (never echoing a key). */
export function createTalkTokenVerifier(settings: TalkAuthSettings): TalkTokenVerifier {
  if (settings.key && settings.jwksUrl) throw configError('set LEADDESK_TALK_JWT_KEY or LEADDESK_TALK_JWKS_URL, not both')
  // Its private half ships in the simulator page: trusting it must be a deliberate development choice.
  if (settings.key === SIMULATOR_KEY_SETTING && !settings.allowSimulatorKey) {
    throw configError('LEADDESK_TALK_JWT_KEY=simulator trusts a published development key; set LEADDESK_TALK_ALLOW_SIMULATOR_KEY=true to use it in development')
  }
  const maxAge = settings.maxAgeSeconds ?? DEFAULT_TOKEN_MAX_AGE_SECONDS
  if (!Number.isSafeInteger(maxAge) || maxAge <= 0) throw configError('LEADDESK_TALK_JWT_MAX_AGE is not a positive whole number of seconds')
  let keys: JWTVerifyGetKey
  const remote = !settings.key
  if (settings.key) {
    const jwks = jwksFromKeySetting(settings.key)
    try {
      keys = createLocalJWKSet(jwks)
    }
    catch {
      throw configError('LEADDESK_TALK_JWT_KEY is not a valid JWK set')
    }
  }
  else {
    let url: URL
    try {
      url = new URL(settings.jwksUrl!)
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http')
    }
    catch {
      throw configError('LEADDESK_TALK_JWKS_URL is not an http(s) URL')
    }
    // jose caches the set, refetches when a token names an unknown key (key rotation), and rate-limits refetches.
    keys = createRemoteJWKSet(url, { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
  }
  // The simulator's tokens carry its issuer; pinning it keeps a stray token of another dev tool out.
  const issuer = settings.issuer ?? (settings.key === SIMULATOR_KEY_SETTING ? SIMULATOR_JWT_ISSUER : undefined)

  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          audience: 'cti',
          issuer,
          algorithms: ASYMMETRIC_ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'sub'],
        })
        checkLifetime(payload, maxAge)
        return agentOf(payload.sub)
      }
      catch (error) {
        throw error instanceof TalkAuthError ? error : toTalkAuthError(error, remote)
      }
    },
  }
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]/

/** The agent a token names: `sub` must be a non-empty string of at most 256 characters without control characters. */
function agentOf(sub: unknown): string {
  if (typeof sub !== 'string' || !sub.trim() || sub.length > 256 || CONTROL.test(sub)) throw new TalkAuthError(401, 'invalid sub claim')
  return sub
}

/** A token may not live longer than `maxAge` seconds: `exp` no further ahead, `iat` (when present) no longer ago. */
function checkLifetime(payload: JWTPayload, maxAge: number): void {
  const now = Math.floor(Date.now() / 1000)
  if (payload.exp! - now > maxAge + CLOCK_TOLERANCE_SECONDS) throw new TalkAuthError(401, 'token lives longer than LEADDESK_TALK_JWT_MAX_AGE allows')
  if (payload.iat !== undefined && now - payload.iat > maxAge + CLOCK_TOLERANCE_SECONDS) throw new TalkAuthError(401, 'token was issued too long ago')
  if (payload.iat !== undefined && payload.iat - now > CLOCK_TOLERANCE_SECONDS) throw new TalkAuthError(401, 'token not valid yet')
}

/** Maps a jose failure to the short reason the client sees; key-fetch trouble is the server's problem (503), not the token's. */
function toTalkAuthError(error: unknown, remote: boolean): TalkAuthError {
  const code = (error as { code?: unknown }).code
  const claim = (error as { claim?: unknown }).claim
  switch (code) {
    case 'ERR_JWT_EXPIRED': return new TalkAuthError(401, 'token expired')
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud') return new TalkAuthError(401, 'wrong audience')
      if (claim === 'iss') return new TalkAuthError(401, 'wrong issuer')
      if (claim === 'nbf' || claim === 'iat') return new TalkAuthError(401, 'token not valid yet')
      if ((error as { reason?: unknown }).reason === 'missing') return new TalkAuthError(401, `token has no ${String(claim)} claim`)
      return new TalkAuthError(401, `invalid ${String(claim)} claim`)
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new TalkAuthError(401, 'signature does not match the configured key')
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new TalkAuthError(401, 'token algorithm not allowed')
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new TalkAuthError(401, 'malformed token')
  }
  if (remote) return new TalkAuthError(503, 'Talk signing keys are unavailable; try again shortly')
  return new TalkAuthError(401, 'token could not be verified')
}
