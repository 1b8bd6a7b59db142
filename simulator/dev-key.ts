/**
 * PUBLIC DEVELOPMENT KEY — NEVER USE IN PRODUCTION.
 *
 * The simulator signs its `jwt` tokens in the browser, so its private key ships inside the
 * simulator page and is published in this repository: anyone can mint tokens with it. A
 * server may trust `SIMULATOR_PUBLIC_JWKS` only in development, to exercise the same
 * verification path it uses for real LeadDesk tokens. Real Talk tokens are signed by
 * LeadDesk with keys that are never published.
 */

/** Key id of the development key, carried in every simulator token header. */
export const SIMULATOR_KEY_ID = 'talk-simulator-dev-1'

/** Issuer (`iss`) of every simulator token. */
export const SIMULATOR_JWT_ISSUER = 'nuxt-leaddesk-talk-simulator'

/** Audience (`aud`) of every simulator token, as Talk's tokens have. */
export const SIMULATOR_JWT_AUDIENCE = 'cti'

/** Signing algorithm of the development key. */
export const SIMULATOR_JWT_ALGORITHM = 'ES256'

/** A public JSON Web Key (the subset this key uses). */
export interface SimulatorPublicJwk {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
  kid: string
  alg: 'ES256'
  use: 'sig'
}

/** The public half of the development key. */
export const SIMULATOR_PUBLIC_JWK: SimulatorPublicJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'SMcqMKVBnZOMI7GYNQPGiNxoc60JwYS8606k8Nt8fr0',
  y: 'KwGuYScJxWMajFfwt_GF2eT1McL5rXvlzBH5HppJ2Gg',
  kid: SIMULATOR_KEY_ID,
  alg: SIMULATOR_JWT_ALGORITHM,
  use: 'sig',
}

/** The JWK set a server fetches (or imports) to verify simulator tokens; also served as `jwks.json`. */
export const SIMULATOR_PUBLIC_JWKS: { keys: SimulatorPublicJwk[] } = { keys: [SIMULATOR_PUBLIC_JWK] }

/** The private half of the development key: public knowledge, development only (see the top of this file). */
export const SIMULATOR_DEV_PRIVATE_JWK = {
  ...SIMULATOR_PUBLIC_JWK,
  d: '9ah7PyQ9h-8ouMmPxmwDROtvX90B1X8hiGhht9kiCEQ',
}
