import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildSecurityHeaders, inlineScriptHashes, securityHeaderOptionsFromConfig } from '../../../server/utils/security-headers'

/** The CSP as a map of directive name -> sources. */
function directives(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(headers['content-security-policy']!.split(';').map(part => part.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]))
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

describe('buildSecurityHeaders', () => {
  it('lets the page frame only the origin of the Talk URL', () => {
    const csp = directives(buildSecurityHeaders({ src: 'https://login-ce2.leaddesk.com/login?x=1', allowedOrigins: [], dev: false }))
    expect(csp['frame-src']).toEqual(['https://login-ce2.leaddesk.com'])
  })

  it('adds configured exact and wildcard Talk origins to frame-src', () => {
    const csp = directives(buildSecurityHeaders({ src: 'https://login.leaddesk.com/', allowedOrigins: ['https://*.leaddesk.com', 'https://talk.example.com/'], dev: false }))
    expect(csp['frame-src']).toEqual(['https://login.leaddesk.com', 'https://*.leaddesk.com', 'https://talk.example.com'])
  })

  it('frames only this app (the simulator) when no Talk URL is set', () => {
    const csp = directives(buildSecurityHeaders({ src: '', allowedOrigins: [], dev: false }))
    expect(csp['frame-src']).toEqual(['\'self\''])
  })

  it('keeps config values that are not origins out of the policy, so they cannot add directives', () => {
    const headers = buildSecurityHeaders({
      src: 'javascript:alert(1)',
      allowedOrigins: ['https://a.example; script-src *', '*', '\'unsafe-inline\'', 'https://x.example/path', 'https://*evil.example', 'https://b.example" *'],
      dev: false,
    })
    const csp = directives(headers)
    expect(csp['frame-src']).toEqual(['\'none\''])
    expect(csp['script-src']).toEqual(['\'self\''])
    expect(headers['content-security-policy']!.split(';')).toHaveLength(10)
    expect(headers['permissions-policy']).toBe('microphone=(self), camera=(), geolocation=()')
  })

  it('blocks every inline script but the hashed ones in production', () => {
    const hash = sha256('window.__NUXT__={}')
    const csp = directives(buildSecurityHeaders({ src: '', allowedOrigins: [], dev: false, scriptHashes: [hash, hash] }))
    expect(csp['script-src']).toEqual(['\'self\'', hash])
  })

  it('relaxes scripts and connections in dev so Vite HMR works, and lists no hash that would switch unsafe-inline off', () => {
    const csp = directives(buildSecurityHeaders({ src: 'https://login.leaddesk.com', allowedOrigins: [], dev: true, scriptHashes: [sha256('x')] }))
    expect(csp['script-src']).toEqual(['\'self\'', '\'unsafe-inline\'', '\'unsafe-eval\''])
    expect(csp['connect-src']).toEqual(['\'self\'', 'ws:', 'wss:'])
    expect(csp['frame-src']).toEqual(['\'self\'', 'https://login.leaddesk.com'])
  })

  it('locks down plugins, base URL, form targets, framing by others and images', () => {
    const csp = directives(buildSecurityHeaders({ src: '', allowedOrigins: [], dev: false }))
    expect(csp).toMatchObject({
      'default-src': ['\'self\''],
      'object-src': ['\'none\''],
      'base-uri': ['\'self\''],
      'form-action': ['\'self\''],
      'frame-ancestors': ['\'self\''],
      'img-src': ['\'self\'', 'data:'],
      'connect-src': ['\'self\''],
      'style-src': ['\'self\'', '\'unsafe-inline\''],
    })
  })

  it('delegates the microphone to the Talk origins only and denies camera and location', () => {
    const headers = buildSecurityHeaders({ src: 'https://login.leaddesk.com/', allowedOrigins: ['https://*.leaddesk.com'], dev: false })
    expect(headers['permissions-policy']).toBe('microphone=(self "https://login.leaddesk.com" "https://*.leaddesk.com"), camera=(), geolocation=()')
  })

  it('sends nosniff, a same-origin frame rule and a referrer policy that keeps paths private', () => {
    expect(buildSecurityHeaders({ src: '', allowedOrigins: [], dev: false })).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'strict-origin-when-cross-origin',
    })
  })
})

describe('securityHeaderOptionsFromConfig', () => {
  it('reads allowed origins given as a comma list or a JSON array string (env overrides)', () => {
    expect(securityHeaderOptionsFromConfig({ src: 'https://a.example', allowedOrigins: 'https://b.example, https://c.example' }, false).allowedOrigins).toEqual(['https://b.example', 'https://c.example'])
    expect(securityHeaderOptionsFromConfig({ allowedOrigins: '["https://b.example"]' }, false)).toEqual({ src: '', allowedOrigins: ['https://b.example'], dev: false })
  })

  it('treats a missing module config as the simulator setup', () => {
    expect(securityHeaderOptionsFromConfig(undefined, true)).toEqual({ src: '', allowedOrigins: [], dev: true })
  })
})

describe('inlineScriptHashes', () => {
  it('hashes the exact text of each executable inline script, as browsers do', () => {
    const config = 'window.__NUXT__={};window.__NUXT__.config={public:{}}'
    const importMap = '{"imports":{"#entry":"/_nuxt/e.js"}}'
    const html = `<script type="importmap">${importMap}</script><script>${config}</script><SCRIPT>${config}</SCRIPT >`
    expect(inlineScriptHashes(html)).toEqual([sha256(importMap), sha256(config)])
  })

  it('skips scripts loaded by URL and JSON data blocks, which need no hash', () => {
    const html = '<script type="module" src="/_nuxt/entry.js" crossorigin></script><script type="application/json" id="__NUXT_DATA__">[1]</script><script data-src="x">run()</script>'
    expect(inlineScriptHashes(html)).toEqual([sha256('run()')])
  })
})
