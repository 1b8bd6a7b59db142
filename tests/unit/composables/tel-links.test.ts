import { describe, expect, it } from 'vitest'
import { resolveAllowedOrigins, resolveTalkSrc } from '../../../composables/talk-options'
import { telNumber } from '../../../composables/tel-links'

describe('telNumber', () => {
  it('reads the number of a tel: link, decoded and without parameters', () => {
    expect(telNumber('tel:+358401234567')).toBe('+358401234567')
    expect(telNumber('TEL:+358%2040%20123')).toBe('+358 40 123')
    expect(telNumber('tel:+35840123;ext=12')).toBe('+35840123')
  })

  it('ignores other links and empty or broken numbers', () => {
    expect(telNumber('mailto:a@b.c')).toBeNull()
    expect(telNumber('tel:')).toBeNull()
    expect(telNumber('tel:%E0%A4%A')).toBeNull()
    expect(telNumber(null)).toBeNull()
  })
})

describe('frame URL and trusted origins', () => {
  it('prefers src, falls back to the simulator, and is empty when neither is set', () => {
    expect(resolveTalkSrc({ src: 'https://login-ce2.leaddesk.com/', simulatorUrl: 'http://localhost/sim/' })).toBe('https://login-ce2.leaddesk.com/')
    expect(resolveTalkSrc({ src: ' ', simulatorUrl: 'http://localhost/sim/' })).toBe('http://localhost/sim/')
    expect(resolveTalkSrc({})).toBe('')
  })

  it('trusts LeadDesk hosts plus the origin of the frame URL by default', () => {
    expect(resolveAllowedOrigins(undefined, '/_leaddesk-talk/simulator/', 'http://localhost:3000/app/')).toEqual(['https://*.leaddesk.com', 'http://localhost:3000'])
    expect(resolveAllowedOrigins([], 'https://login-ce2.leaddesk.com/')).toEqual(['https://*.leaddesk.com', 'https://login-ce2.leaddesk.com'])
  })

  it('trusts exactly the configured origins when some are given', () => {
    expect(resolveAllowedOrigins(['https://talk.example.com', /^https:\/\/x\./], 'https://login-ce2.leaddesk.com/')).toEqual(['https://talk.example.com', /^https:\/\/x\./])
  })
})
