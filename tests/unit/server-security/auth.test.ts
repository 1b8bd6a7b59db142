import type { IncomingMessage, ServerResponse } from 'node:http'
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose'
import type { JWK } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { SIMULATOR_DEV_PRIVATE_JWK, SIMULATOR_KEY_ID, SIMULATOR_PUBLIC_JWKS } from '../../../simulator/dev-key'
import { signSimulatorJwt } from '../../../simulator/jwt'
import { startTestServer } from '../../support/http'
import type { TestServer } from '../../support/http'
import { startSecuredApp } from './support/secured-app'

const runtimeConfig = vi.hoisted(() => ({ public: { leaddeskTalk: { src: '', allowedOrigins: [] } }, app: { baseURL: '/' } }))
vi.mock('nitropack/runtime', () => ({ useRuntimeConfig: () => runtimeConfig, defineNitroPlugin: (plugin: unknown) => plugin }))

let app: TestServer

beforeAll(async () => {
  app = await startSecuredApp()
})
afterAll(() => app.close())
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

/** GET /api/contacts (or `path`) with an optional bearer token; returns status, JSON body and the challenge header. */
async function api(token?: string, path = '/api/contacts') {
  const res = await fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  return { status: res.status, body: await res.json() as { agent?: string | null, message?: string, statusCode?: number }, challenge: res.headers.get('www-authenticate') }
}

function useSimulatorKey() {
  vi.stubEnv('LEADDESK_TALK_JWT_KEY', 'simulator')
  vi.stubEnv('LEADDESK_TALK_ALLOW_SIMULATOR_KEY', 'true')
  vi.spyOn(console, 'warn').mockImplementation(() => {})
}

/** A token signed with the simulator's dev key, with claims changed by `edit`. */
async function simulatorToken(edit: (jwt: SignJWT) => SignJWT = jwt => jwt): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: SIMULATOR_KEY_ID })
    .setIssuer('nuxt-leaddesk-talk-simulator').setAudience('cti').setSubject('Alice').setIssuedAt(now).setExpirationTime(now + 300)
  return edit(jwt).sign(await importJWK(SIMULATOR_DEV_PRIVATE_JWK, 'ES256'))
}

describe('agent authentication', () => {
  it('is off when no key and no JWKS URL are configured', async () => {
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', '')
    vi.stubEnv('LEADDESK_TALK_JWKS_URL', '')
    expect(await api()).toMatchObject({ status: 200, body: { agent: null } })
  })

  it('accepts a simulator token and hands the agent name to the API', async () => {
    useSimulatorKey()
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 200, body: { agent: 'Alice' } })
  })

  it('refuses a request without a token and says how to sign in', async () => {
    useSimulatorKey()
    const res = await api()
    expect(res).toMatchObject({ status: 401, body: { statusCode: 401, message: 'Sign in to Talk: this API needs a Talk JWT (Authorization: Bearer …)' } })
    expect(res.challenge).toBe('Bearer realm="leaddesk-talk"')
  })

  it('refuses an expired token', async () => {
    useSimulatorKey()
    const res = await api(await signSimulatorJwt('Alice', Date.now() - 6 * 60_000))
    expect(res).toMatchObject({ status: 401, body: { message: 'token expired' } })
    expect(res.challenge).toContain('error="invalid_token"')
  })

  it('tolerates a few seconds of clock difference at expiry', async () => {
    useSimulatorKey()
    const token = await simulatorToken(jwt => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 5))
    expect((await api(token)).status).toBe(200)
  })

  it('refuses a token made for another audience', async () => {
    useSimulatorKey()
    expect(await api(await simulatorToken(jwt => jwt.setAudience('billing')))).toMatchObject({ status: 401, body: { message: 'wrong audience' } })
  })

  it('refuses a token signed with another key, even under the trusted key id', async () => {
    useSimulatorKey()
    const { privateKey } = await generateKeyPair('ES256')
    const now = Math.floor(Date.now() / 1000)
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: SIMULATOR_KEY_ID })
      .setIssuer('nuxt-leaddesk-talk-simulator').setAudience('cti').setSubject('Mallory').setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey)
    expect(await api(forged)).toMatchObject({ status: 401, body: { message: 'signature does not match the configured key' } })
  })

  it('refuses tokens with a shared-secret or no signature', async () => {
    useSimulatorKey()
    const now = Math.floor(Date.now() / 1000)
    const hs256 = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience('cti').setSubject('Mallory').setExpirationTime(now + 300).sign(new TextEncoder().encode('x'.repeat(32)))
    expect(await api(hs256)).toMatchObject({ status: 401, body: { message: 'token algorithm not allowed' } })
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"aud":"cti","sub":"Mallory","exp":${now + 300}}`).toString('base64url')}.`
    expect((await api(unsigned)).status).toBe(401)
  })

  it('refuses a token without an expiry', async () => {
    useSimulatorKey()
    const now = Math.floor(Date.now() / 1000)
    const forever = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: SIMULATOR_KEY_ID }).setIssuer('nuxt-leaddesk-talk-simulator').setAudience('cti').setSubject('Alice').setIssuedAt(now)
      .sign(await importJWK(SIMULATOR_DEV_PRIVATE_JWK, 'ES256'))
    expect(await api(forever)).toMatchObject({ status: 401, body: { message: 'token has no exp claim' } })
  })

  it('refuses a token from another issuer when the issuer is pinned', async () => {
    useSimulatorKey()
    vi.stubEnv('LEADDESK_TALK_JWT_ISSUER', 'https://login.leaddesk.com')
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 401, body: { message: 'wrong issuer' } })
  })

  it('leaves /api/health open for load balancers', async () => {
    useSimulatorKey()
    expect(await api(undefined, '/api/health')).toMatchObject({ status: 200, body: { ok: true } })
  })

  it('guards spellings of /api that could otherwise slip past the check', async () => {
    useSimulatorKey()
    for (const path of ['/API/contacts', '//api/contacts', '/api/health/../contacts', '/%61pi/contacts', '/api/contacts?x=/api/health']) {
      expect((await api(undefined, path)).status, path).toBe(401)
    }
  })

  it('refuses the simulator\'s published key unless the development flag is set', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', 'simulator')
    for (const flag of ['', 'false', 'no']) {
      vi.stubEnv('LEADDESK_TALK_ALLOW_SIMULATOR_KEY', flag)
      expect(await api(await signSimulatorJwt('Mallory'))).toMatchObject({
        status: 500,
        body: { message: 'Agent authentication is misconfigured: LEADDESK_TALK_JWT_KEY=simulator trusts a published development key; set LEADDESK_TALK_ALLOW_SIMULATOR_KEY=true to use it in development' },
      })
    }
    expect(String(error.mock.calls[0]?.[0])).toMatch(/LEADDESK_TALK_ALLOW_SIMULATOR_KEY=true/)
    expect(warn).not.toHaveBeenCalled()
    vi.stubEnv('LEADDESK_TALK_ALLOW_SIMULATOR_KEY', 'true')
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 200, body: { agent: 'Alice' } })
  })

  it('refuses a token that lives longer than the maximum age, by exp or by iat', async () => {
    useSimulatorKey()
    const now = Math.floor(Date.now() / 1000)
    const year9999 = await simulatorToken(jwt => jwt.setExpirationTime(Date.UTC(9999, 0, 1) / 1000))
    expect(await api(year9999)).toMatchObject({ status: 401, body: { message: 'token lives longer than LEADDESK_TALK_JWT_MAX_AGE allows' } })
    const twoDays = await simulatorToken(jwt => jwt.setExpirationTime(now + 2 * 86_400))
    expect((await api(twoDays)).status).toBe(401)
    const issuedLongAgo = await simulatorToken(jwt => jwt.setIssuedAt(now - 2 * 86_400).setExpirationTime(now + 60))
    expect(await api(issuedLongAgo)).toMatchObject({ status: 401, body: { message: 'token was issued too long ago' } })
    const issuedLater = await simulatorToken(jwt => jwt.setIssuedAt(now + 3600))
    expect(await api(issuedLater)).toMatchObject({ status: 401, body: { message: 'token not valid yet' } })

    // Configurable: a minute is shorter than a simulator token's five.
    vi.stubEnv('LEADDESK_TALK_JWT_MAX_AGE', '60')
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 401, body: { message: 'token lives longer than LEADDESK_TALK_JWT_MAX_AGE allows' } })
    vi.stubEnv('LEADDESK_TALK_JWT_MAX_AGE', '172800')
    expect(await api(twoDays)).toMatchObject({ status: 200, body: { agent: 'Alice' } })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.stubEnv('LEADDESK_TALK_JWT_MAX_AGE', 'forever')
    expect(await api(twoDays)).toMatchObject({ status: 500, body: { message: 'Agent authentication is misconfigured: LEADDESK_TALK_JWT_MAX_AGE is not a positive whole number of seconds' } })
  })

  it('refuses a token whose sub is not a non-empty string', async () => {
    useSimulatorKey()
    for (const sub of ['', '   ', 'line\nbreak', 'x'.repeat(257)]) {
      expect(await api(await simulatorToken(jwt => jwt.setSubject(sub))), JSON.stringify(sub)).toMatchObject({ status: 401, body: { message: 'invalid sub claim' } })
    }
    const numericSub = await new SignJWT({ sub: 42 } as never).setProtectedHeader({ alg: 'ES256', kid: SIMULATOR_KEY_ID })
      .setIssuer('nuxt-leaddesk-talk-simulator').setAudience('cti').setIssuedAt().setExpirationTime('5m').sign(await importJWK(SIMULATOR_DEV_PRIVATE_JWK, 'ES256'))
    expect(await api(numericSub)).toMatchObject({ status: 401, body: { message: 'invalid sub claim' } })
  })

  it('prints the development-key warning once, at startup', async () => {
    vi.resetModules()
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', 'simulator')
    vi.stubEnv('LEADDESK_TALK_ALLOW_SIMULATOR_KEY', 'true')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await import('../../../server/middleware/20.auth')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/never use this in production/)
  })

  it('never writes a token to the log', async () => {
    const logged: unknown[] = []
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((...args) => void logged.push(...args))
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', 'simulator')
    vi.stubEnv('LEADDESK_TALK_ALLOW_SIMULATOR_KEY', 'true')
    const good = await signSimulatorJwt('Alice')
    const expired = await signSimulatorJwt('Alice', Date.now() - 6 * 60_000)
    await api(good)
    await api(expired)
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', 'not a key')
    await api(good)
    expect(JSON.stringify(logged)).not.toContain(good.split('.')[1])
    expect(JSON.stringify(logged)).not.toContain(expired.split('.')[1])
  })
})

describe('configured keys', () => {
  it('verifies RS256 tokens against a PEM public key, also written on one line with \\n', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', (await exportSPKI(publicKey)).replace(/\n/g, '\\n'))
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setAudience('cti').setSubject('Bob').setExpirationTime('5m').sign(privateKey)
    expect(await api(token)).toMatchObject({ status: 200, body: { agent: 'Bob' } })
  })

  it('verifies EdDSA tokens against a JWK given as JSON', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true })
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', JSON.stringify(await exportJWK(publicKey)))
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA' }).setAudience('cti').setSubject('Carol').setExpirationTime('5m').sign(privateKey)
    expect(await api(token)).toMatchObject({ status: 200, body: { agent: 'Carol' } })
  })

  it('refuses every request with a clear 500 when the key cannot be used, and names the problem in the log', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', JSON.stringify({ ...SIMULATOR_DEV_PRIVATE_JWK }))
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 500, body: { message: 'Agent authentication is misconfigured: the key holds private material; configure the public key only' } })
    expect(String(error.mock.calls[0]?.[0])).toMatch(/private material/)
    vi.stubEnv('LEADDESK_TALK_JWT_KEY', 'secret')
    expect((await api(await signSimulatorJwt('Alice'))).status).toBe(500)
  })
})

describe('JWKS URL', () => {
  let jwksServer: TestServer
  let fetches = 0
  let keySet: { keys: JWK[] } = SIMULATOR_PUBLIC_JWKS

  beforeAll(async () => {
    jwksServer = await startTestServer((_req: IncomingMessage, res: ServerResponse) => {
      fetches++
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keySet))
    })
  })
  afterAll(() => jwksServer.close())

  it('verifies tokens with keys fetched once from the JWKS URL and cached', async () => {
    vi.stubEnv('LEADDESK_TALK_JWKS_URL', `${jwksServer.url}/jwks.json`)
    fetches = 0
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 200, body: { agent: 'Alice' } })
    expect(await api(await signSimulatorJwt('Dave'))).toMatchObject({ status: 200, body: { agent: 'Dave' } })
    expect(fetches).toBe(1)
    expect(await api(await simulatorToken(jwt => jwt.setAudience('other')))).toMatchObject({ status: 401, body: { message: 'wrong audience' } })
  })

  it('refuses a token whose key is not in the set', async () => {
    vi.stubEnv('LEADDESK_TALK_JWKS_URL', `${jwksServer.url}/other-set.json`)
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    keySet = { keys: [{ ...await exportJWK(publicKey), kid: 'rotated-in' }] }
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 401, body: { message: 'signature does not match the configured key' } })
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'rotated-in' }).setAudience('cti').setSubject('Erin').setExpirationTime('5m').sign(privateKey)
    expect(await api(token)).toMatchObject({ status: 200, body: { agent: 'Erin' } })
  })

  it('answers 503 while the key server cannot be reached', async () => {
    const down = await startTestServer(() => {})
    const url = `${down.url}/jwks.json`
    await down.close()
    vi.stubEnv('LEADDESK_TALK_JWKS_URL', url)
    expect(await api(await signSimulatorJwt('Alice'))).toMatchObject({ status: 503, body: { message: 'Talk signing keys are unavailable; try again shortly' } })
  })
})
