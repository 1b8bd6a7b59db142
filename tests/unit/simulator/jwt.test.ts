import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { SIMULATOR_PUBLIC_JWKS } from '../../../simulator/dev-key'
import { signSimulatorJwt } from '../../../simulator/jwt'

describe('simulator JWT', () => {
  it('signs a five-minute ES256 token for the agent that verifies against the published key set', async () => {
    const token = await signSimulatorJwt('Alice')
    const { payload } = await jwtVerify(token, createLocalJWKSet(SIMULATOR_PUBLIC_JWKS), { audience: 'cti', issuer: 'nuxt-leaddesk-talk-simulator' })
    expect(payload.sub).toBe('Alice')
    expect(payload.exp! - payload.iat!).toBe(300)
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: SIMULATOR_PUBLIC_JWKS.keys[0]!.kid })
  })

  it('issues tokens that are rejected once five minutes have passed', async () => {
    const token = await signSimulatorJwt('Alice', Date.now() - 6 * 60_000)
    await expect(jwtVerify(token, createLocalJWKSet(SIMULATOR_PUBLIC_JWKS), { audience: 'cti' })).rejects.toThrow(/exp/)
  })

  it('publishes only the public half of the development key', () => {
    expect(SIMULATOR_PUBLIC_JWKS.keys).toHaveLength(1)
    expect(SIMULATOR_PUBLIC_JWKS.keys[0]).not.toHaveProperty('d')
  })
})
