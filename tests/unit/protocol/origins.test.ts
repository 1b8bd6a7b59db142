import { describe, expect, it } from 'vitest'
import { createOriginMatcher, DEFAULT_ALLOWED_ORIGINS, isTalkError, toOrigin } from '../../../protocol'

describe('createOriginMatcher', () => {
  it('matches exact origins, given with or without a trailing slash', () => {
    const matches = createOriginMatcher(['https://login-ce2.leaddesk.com', 'http://127.0.0.1:3000/'])
    expect(matches('https://login-ce2.leaddesk.com')).toBe(true)
    expect(matches('http://127.0.0.1:3000')).toBe(true)
    expect(matches('https://login-ce3.leaddesk.com')).toBe(false)
    expect(matches('http://127.0.0.1:3001')).toBe(false)
    expect(matches('http://login-ce2.leaddesk.com')).toBe(false)
  })

  it('normalises exact rules the way browsers write origins', () => {
    const matches = createOriginMatcher(['HTTPS://Login.LeadDesk.com:443'])
    expect(matches('https://login.leaddesk.com')).toBe(true)
  })

  it('lets https://*.leaddesk.com match every LeadDesk subdomain', () => {
    const matches = createOriginMatcher(['https://*.leaddesk.com'])
    expect(matches('https://login-ce2.leaddesk.com')).toBe(true)
    expect(matches('https://login-qed-fi1.leaddesk.com')).toBe(true)
    expect(matches('https://a.b.leaddesk.com')).toBe(true)
  })

  it.each([
    'https://leaddesk.com',
    'https://evil-leaddesk.com',
    'https://evilleaddesk.com',
    'https://leaddesk.com.evil.com',
    'https://x.leaddesk.com.evil.com',
    'http://x.leaddesk.com',
    'https://x.leaddesk.com:8443',
    'https://.leaddesk.com',
    'https://x..leaddesk.com',
    'https://evil.com/.leaddesk.com',
    'https://evil.com?.leaddesk.com',
    'https://evil.com#.leaddesk.com',
    'https://user@x.leaddesk.com',
    'wss://x.leaddesk.com',
    'null',
    '',
  ])('does not let https://*.leaddesk.com match %j', (origin) => {
    expect(createOriginMatcher(['https://*.leaddesk.com'])(origin)).toBe(false)
  })

  it('matches a wildcard with a port only on that port', () => {
    const matches = createOriginMatcher(['http://*.localhost:3000'])
    expect(matches('http://talk.localhost:3000')).toBe(true)
    expect(matches('http://talk.localhost')).toBe(false)
    expect(matches('http://talk.localhost:30001')).toBe(false)
  })

  it('tests RegExp rules against the origin, the same way on every call', () => {
    const matches = createOriginMatcher([/^https:\/\/talk-\d+\.example\.com$/g])
    expect(matches('https://talk-1.example.com')).toBe(true)
    // A global RegExp keeps lastIndex between calls; the matcher must not inherit that.
    expect(matches('https://talk-1.example.com')).toBe(true)
    expect(matches('https://talk-x.example.com')).toBe(false)
  })

  it('never matches the opaque origin "null", even for a rule that would', () => {
    expect(createOriginMatcher([/.*/, 'https://*.leaddesk.com'])('null')).toBe(false)
    expect(createOriginMatcher([/.*/])('https://anything.example')).toBe(true)
  })

  it('matches nothing with no rules, and nothing that is not a string', () => {
    expect(createOriginMatcher([])('https://login-ce2.leaddesk.com')).toBe(false)
    expect(createOriginMatcher([/.*/])(undefined as unknown as string)).toBe(false)
  })

  it.each([
    'login-ce2.leaddesk.com',
    'https://login-ce2.leaddesk.com/talk',
    'https://login-ce2.leaddesk.com/?x=1',
    'ftp://files.leaddesk.com',
    'https://*leaddesk.com',
    '*',
    '',
  ])('throws invalid-argument naming the rule %j, which is not an origin', (rule) => {
    let thrown: unknown
    try {
      createOriginMatcher(['https://*.leaddesk.com', rule])
    }
    catch (error) {
      thrown = error
    }
    expect(isTalkError(thrown, 'invalid-argument')).toBe(true)
    expect((thrown as Error).message).toContain(JSON.stringify(rule))
  })

  it('trusts LeadDesk hosts by default', () => {
    expect(createOriginMatcher(DEFAULT_ALLOWED_ORIGINS)('https://login-ce2.leaddesk.com')).toBe(true)
  })
})

describe('toOrigin', () => {
  it('returns the origin of an origin-only URL and null for anything else', () => {
    expect(toOrigin('https://login-ce2.leaddesk.com/')).toBe('https://login-ce2.leaddesk.com')
    expect(toOrigin('https://login-ce2.leaddesk.com')).toBe('https://login-ce2.leaddesk.com')
    expect(toOrigin('https://login-ce2.leaddesk.com/login')).toBeNull()
    expect(toOrigin('https://user:pw@login-ce2.leaddesk.com/')).toBeNull()
    expect(toOrigin('javascript:alert(1)')).toBeNull()
    expect(toOrigin('not a url')).toBeNull()
  })
})
