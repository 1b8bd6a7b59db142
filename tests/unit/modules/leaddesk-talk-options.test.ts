import { describe, expect, it } from 'vitest'
import { moduleDefaults, toPublicConfig, validateModuleOptions } from '../../../modules/leaddesk-talk/options'
import type { ModuleOptions } from '../../../modules/leaddesk-talk/options'
import { parseAllowedOrigins, toTalkOptions } from '../../../modules/leaddesk-talk/runtime/talk-options'

const withOptions = (patch: Record<string, unknown>) => ({ ...moduleDefaults, ...patch }) as ModuleOptions

describe('leaddeskTalk module options', () => {
  it('accepts the defaults and a real LeadDesk setup', () => {
    expect(() => validateModuleOptions(moduleDefaults)).not.toThrow()
    expect(() => validateModuleOptions(withOptions({ src: 'https://login-ce2.leaddesk.com/', allowedOrigins: ['https://*.leaddesk.com', 'https://talk.example.com:8443'] }))).not.toThrow()
  })

  it('fails naming the option and the fix for a src that is not http(s)', () => {
    expect(() => validateModuleOptions(withOptions({ src: 'javascript:alert(1)' }))).toThrow(/leaddeskTalk\.src: .* not an http\(s\) URL\. Fix: /)
  })

  it('fails for an allowedOrigins entry that is not an origin, or is a RegExp', () => {
    expect(() => validateModuleOptions(withOptions({ allowedOrigins: ['https://talk.example.com/path'] }))).toThrow(/leaddeskTalk\.allowedOrigins: "https:\/\/talk\.example\.com\/path" is not an origin\. Fix: /)
    expect(() => validateModuleOptions(withOptions({ allowedOrigins: [/leaddesk/] }))).toThrow(/a RegExp cannot be stored in runtime config/)
  })

  it('fails for a history limit that is not a positive whole number', () => {
    for (const limit of [0, -5, 1.5, '100']) {
      expect(() => validateModuleOptions(withOptions({ history: { persist: true, limit } }))).toThrow(/leaddeskTalk\.history\.limit: .* Fix: /)
    }
  })

  it('takes tabs as "single" or "independent" only', () => {
    expect(moduleDefaults.tabs).toBe('single')
    expect(() => validateModuleOptions(withOptions({ tabs: 'independent' }))).not.toThrow()
    expect(() => validateModuleOptions(withOptions({ tabs: 'shared' }))).toThrow(/leaddeskTalk\.tabs: "shared" is not a tabs mode\. Fix: /)
  })

  it('lists every problem at once', () => {
    expect(() => validateModuleOptions(withOptions({ frameId: 'has space', timeout: 0, width: -1 }))).toThrow(/frameId[\s\S]*width[\s\S]*timeout/)
  })

  it('serves the simulator in dev or without src, unless told otherwise', () => {
    expect(toPublicConfig(moduleDefaults, false).simulator).toBe(true)
    expect(toPublicConfig(withOptions({ src: 'https://login-ce2.leaddesk.com/' }), false).simulator).toBe(false)
    expect(toPublicConfig(withOptions({ src: 'https://login-ce2.leaddesk.com/' }), true).simulator).toBe(true)
    expect(toPublicConfig(withOptions({ simulator: false }), true).simulator).toBe(false)
  })

  it('logs a demo agent into the simulator in dev only, unless told otherwise', () => {
    expect(toPublicConfig(moduleDefaults, true).simulatorAgent).toBe('Demo Agent')
    expect(toPublicConfig(moduleDefaults, false).simulatorAgent).toBe('')
    expect(toPublicConfig(withOptions({ simulatorAgent: '' }), true).simulatorAgent).toBe('')
    expect(toPublicConfig(withOptions({ simulatorAgent: 'Aino' }), false).simulatorAgent).toBe('Aino')
  })

  it('takes frame-ancestors sources for the simulator page, and refuses anything that could add a directive', () => {
    expect(() => validateModuleOptions(withOptions({ simulatorFrameAncestors: ['\'self\'', 'https://app.example.com', 'http://localhost:*', 'https://*.example.com'] }))).not.toThrow()
    for (const simulatorFrameAncestors of [[], ['self'], ['https://a.example; script-src *'], ['https://a.example/path'], 'https://a.example', [42]]) {
      expect(() => validateModuleOptions(withOptions({ simulatorFrameAncestors })), JSON.stringify(simulatorFrameAncestors)).toThrow(/leaddeskTalk\.simulatorFrameAncestors: .* Fix: /)
    }
    expect(toPublicConfig(withOptions({ simulatorFrameAncestors: ['\'self\''] }), false)).not.toHaveProperty('simulatorFrameAncestors')
  })

  it('fails for a simulator agent name that is not plain text', () => {
    for (const simulatorAgent of ['line\nbreak', 42, 'x'.repeat(101)]) {
      expect(() => validateModuleOptions(withOptions({ simulatorAgent }))).toThrow(/leaddeskTalk\.simulatorAgent: .* Fix: /)
    }
  })
})

describe('leaddeskTalk runtime config', () => {
  it('reads allowed origins from a JSON array, a JSON text or a comma-separated env value', () => {
    expect(parseAllowedOrigins(['https://a.example', ' https://b.example '])).toEqual(['https://a.example', 'https://b.example'])
    expect(parseAllowedOrigins('["https://a.example","https://*.b.example"]')).toEqual(['https://a.example', 'https://*.b.example'])
    expect(parseAllowedOrigins('https://a.example, https://b.example')).toEqual(['https://a.example', 'https://b.example'])
    expect(parseAllowedOrigins('')).toEqual([])
    expect(parseAllowedOrigins(undefined)).toEqual([])
  })

  it('reads the tabs mode from runtime config, keeping one Talk for all tabs unless told "independent"', () => {
    const config = toPublicConfig(moduleDefaults, false)
    expect(config.tabs).toBe('single')
    expect(toTalkOptions(config, 'https://crm.example/').tabs).toBe('single')
    expect(toTalkOptions({ ...config, tabs: 'independent' }, 'https://crm.example/').tabs).toBe('independent')
    expect(toTalkOptions({ ...config, tabs: 'Independent' }, 'https://crm.example/').tabs).toBe('single')
  })

  it('points at the simulator below the app base URL only when it is served', () => {
    const config = toPublicConfig(moduleDefaults, false)
    expect(toTalkOptions(config, 'https://crm.example/app/').simulatorUrl).toBe('https://crm.example/app/_leaddesk-talk/simulator/?agent=')
    expect(toTalkOptions({ ...config, simulator: false }, 'https://crm.example/').simulatorUrl).toBeUndefined()
    expect(toTalkOptions({ ...config, src: ' https://login-ce2.leaddesk.com/ ' }, 'https://crm.example/').src).toBe('https://login-ce2.leaddesk.com/')
  })

  it('asks the simulator to log the configured agent in by itself', () => {
    const config = toPublicConfig(moduleDefaults, true)
    expect(toTalkOptions(config, 'https://crm.example/').simulatorUrl).toBe('https://crm.example/_leaddesk-talk/simulator/?agent=Demo%20Agent')
    expect(toTalkOptions({ ...config, simulatorAgent: '' }, 'https://crm.example/').simulatorUrl).toBe('https://crm.example/_leaddesk-talk/simulator/?agent=')
  })
})
