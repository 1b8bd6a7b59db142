import { describe, expect, it } from 'vitest'
import { resolveParentOrigin } from '../../../simulator/parent-origin'

describe('the embedding page\'s origin', () => {
  it('comes from ancestorOrigins first, as the browser sets it', () => {
    expect(resolveParentOrigin({ ancestorOrigins: ['http://localhost:3000'], referrer: 'https://crm.example.com/page', query: 'https://other.example.com' })).toBe('http://localhost:3000')
  })

  it('falls back to the referrer\'s origin, then to the parentOrigin query', () => {
    expect(resolveParentOrigin({ referrer: 'https://crm.example.com/contacts/7?x=1' })).toBe('https://crm.example.com')
    expect(resolveParentOrigin({ referrer: '', query: 'https://crm.example.com/' })).toBe('https://crm.example.com')
  })

  it('is unknown for opaque or non-web origins, so nothing is posted', () => {
    expect(resolveParentOrigin({ ancestorOrigins: ['null'], referrer: 'about:blank', query: 'javascript:alert(1)' })).toBeNull()
    expect(resolveParentOrigin({})).toBeNull()
  })
})
