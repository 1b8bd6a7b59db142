import { importJWK, SignJWT } from 'jose'
import { SIMULATOR_DEV_PRIVATE_JWK, SIMULATOR_JWT_ALGORITHM, SIMULATOR_JWT_AUDIENCE, SIMULATOR_JWT_ISSUER, SIMULATOR_KEY_ID } from './dev-key'

/** How long a simulator token is valid, in seconds. */
export const SIMULATOR_JWT_LIFETIME_SECONDS = 5 * 60

let signingKey: ReturnType<typeof importJWK> | undefined

/** Signs the token the simulator answers `getJwt` with: ES256, `aud: 'cti'`, `sub` = agent name, valid five minutes. */
export async function signSimulatorJwt(agent: string, nowMs: number = Date.now()): Promise<string> {
  // WebCrypto exists only in secure contexts (https:, localhost); elsewhere this rejects and the page reports an error event.
  signingKey ??= importJWK(SIMULATOR_DEV_PRIVATE_JWK, SIMULATOR_JWT_ALGORITHM)
  const key = await signingKey.catch((error: unknown) => {
    signingKey = undefined
    throw error
  })
  const issuedAt = Math.floor(nowMs / 1000)
  return new SignJWT({})
    .setProtectedHeader({ alg: SIMULATOR_JWT_ALGORITHM, kid: SIMULATOR_KEY_ID, typ: 'JWT' })
    .setIssuer(SIMULATOR_JWT_ISSUER)
    .setAudience(SIMULATOR_JWT_AUDIENCE)
    .setSubject(agent)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + SIMULATOR_JWT_LIFETIME_SECONDS)
    .sign(key)
}
