import { describe, expect, it } from 'vitest'
import { planListenAddress } from '../../../server/utils/listen-address'

describe('the production listen address', () => {
  it('is loopback only (IPv4 and IPv6) while agent sign-in is off and HOST is not set, and says so', () => {
    const plan = planListenAddress({ PORT: '8080' })
    expect(plan).toMatchObject({ kind: 'loopback', port: 8080 })
    expect(plan.log).toMatch(/^\[leaddesk-talk\] Agent sign-in is off, so the server listens on loopback only \(127\.0\.0\.1 and ::1\)\./)
    expect(planListenAddress({ NITRO_PORT: '4000', PORT: '8080' })).toMatchObject({ kind: 'loopback', port: 4000 })
    expect(planListenAddress({})).toMatchObject({ kind: 'loopback', port: 3000 })
  })

  it('counts the simulator\'s published key as sign-in off', () => {
    expect(planListenAddress({ LEADDESK_TALK_JWT_KEY: 'simulator', LEADDESK_TALK_ALLOW_SIMULATOR_KEY: 'true' }).kind).toBe('loopback')
  })

  it('listens where HOST or NITRO_HOST says, warning when that exposes an API without sign-in', () => {
    expect(planListenAddress({ HOST: '0.0.0.0' })).toEqual({ kind: 'as-configured', log: expect.stringMatching(/^\[leaddesk-talk\] Agent sign-in is off and HOST=0\.0\.0\.0: anyone who reaches this server can read and change every contact\./) })
    expect(planListenAddress({ NITRO_HOST: '::' }).log).toMatch(/HOST=::/)
    expect(planListenAddress({ HOST: 'localhost' })).toEqual({ kind: 'as-configured', log: null })
    expect(planListenAddress({ HOST: '0.0.0.0', LEADDESK_TALK_JWKS_URL: 'https://keys.example.com/jwks.json' })).toEqual({ kind: 'as-configured', log: null })
  })

  it('leaves the address to Nitro when sign-in is on or a unix socket is configured', () => {
    expect(planListenAddress({ LEADDESK_TALK_JWKS_URL: 'https://keys.example.com/jwks.json' })).toEqual({ kind: 'as-configured', log: null })
    expect(planListenAddress({ NITRO_UNIX_SOCKET: '/run/talk.sock' })).toEqual({ kind: 'as-configured', log: null })
  })

  it('serves IPv4 loopback only with PORT=0, since the IPv6 listener cannot know the port picked', () => {
    expect(planListenAddress({ PORT: '0' })).toMatchObject({ kind: 'loopback', port: 0, log: expect.stringMatching(/127\.0\.0\.1 \(with PORT=0, IPv4 only\)/) })
  })
})
