import { describe, expect, it, vi } from 'vitest'
import { createApiAuth } from '../../../app/utils/api-auth'

function jwt(exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'ES256' })}.${part({ sub: 'Alice', aud: 'cti', exp })}.signature`
}

describe('dashboard API authentication', () => {
  it('asks Talk for no token while the server requires none', async () => {
    const requestJwt = vi.fn(async () => jwt(2_000))
    const auth = createApiAuth({ requestJwt })
    expect(await auth.header()).toBeNull()
    expect(requestJwt).not.toHaveBeenCalled()
  })

  it('sends a Talk JWT after a Bearer challenge and reuses it until shortly before it expires', async () => {
    let now = 1_000_000
    const requestJwt = vi.fn(async () => jwt(now / 1000 + 300))
    const auth = createApiAuth({ requestJwt, now: () => now })
    expect(auth.challenged('Bearer realm="leaddesk-talk"')).toBe(true)
    const first = await auth.header()
    expect(first).toMatch(/^Bearer ey/)
    expect(await auth.header()).toBe(first)
    expect(requestJwt).toHaveBeenCalledTimes(1)
    now += 280_000
    await auth.header()
    expect(requestJwt).toHaveBeenCalledTimes(2)
  })

  it('asks Talk once when several requests need a token at the same time', async () => {
    const requestJwt = vi.fn(async () => jwt(Date.now() / 1000 + 300))
    const auth = createApiAuth({ requestJwt })
    auth.challenged('Bearer realm="leaddesk-talk"')
    await Promise.all([auth.header(), auth.header(), auth.header()])
    expect(requestJwt).toHaveBeenCalledTimes(1)
  })

  it('retries a rejected token once with a fresh one, but not a 401 without a Bearer challenge', async () => {
    const auth = createApiAuth({ requestJwt: async () => jwt(Date.now() / 1000 + 300) })
    expect(auth.challenged(null)).toBe(false)
    expect(auth.challenged('Basic realm="x"')).toBe(false)
    expect(auth.challenged('Bearer realm="leaddesk-talk"')).toBe(true)
    await auth.header()
    expect(auth.challenged('Bearer realm="leaddesk-talk", error="invalid_token"')).toBe(true)
    await auth.header()
    expect(auth.challenged('Bearer realm="leaddesk-talk"')).toBe(false)
  })

  it('reports why no token could be had instead of sending the request without one', async () => {
    const auth = createApiAuth({ requestJwt: () => Promise.reject(new Error('Not logged in to Talk')) })
    auth.challenged('Bearer realm="leaddesk-talk"')
    await expect(auth.header()).rejects.toThrow('Not logged in to Talk')
  })
})
