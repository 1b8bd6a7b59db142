import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseTalkCommand, talkCommandActions } from '../../../simulator/commands'
import { commandSamples, eventSamples } from '../protocol/samples'
import { accepted, rejection } from '../protocol/parse-results'

describe('parseTalkCommand', () => {
  it.each(talkCommandActions)('accepts the spec\'s %s command unchanged', (action) => {
    expect(parseTalkCommand(commandSamples[action])).toEqual({ ok: true, value: commandSamples[action] })
  })

  it('accepts useSettings without settings', () => {
    expect(accepted(parseTalkCommand({ action: 'useSettings' }))).toEqual({ action: 'useSettings' })
  })

  it.each([
    [{ action: 'call', number: 358401234567, autocall: true }, 'call.number: expected string, got number'],
    [{ action: 'call', number: '123', autocall: 'yes' }, 'call.autocall: expected boolean, got string'],
    [{ action: 'setStatus' }, 'setStatus.enabled: expected boolean, got undefined'],
    [{ action: 'setMetadata', metadata: [] }, 'setMetadata.metadata: expected object, got array'],
    [{ action: 'setMetadata', metadata: { when: new Date(0) } }, 'setMetadata.metadata.when: expected JSON value, got object'],
    [{ action: 'setMetadata', metadata: { score: Number.NaN } }, 'setMetadata.metadata.score: expected JSON value, got number'],
    [{ action: 'setMetadata', metadata: { list: [1, () => 2] } }, 'setMetadata.metadata.list.1: expected JSON value, got function'],
  ])('rejects %j: "%s"', (data, message) => {
    expect(rejection(parseTalkCommand(data))).toMatchObject({ code: 'invalid-field', message })
  })

  it('rejects metadata nested deeper than 16 levels, and cyclic metadata, instead of looping', () => {
    const deep: Record<string, unknown> = {}
    let level = deep
    for (let i = 0; i < 20; i++) level = (level.next = {}) as Record<string, unknown>
    expect(parseTalkCommand({ action: 'setMetadata', metadata: deep }).ok).toBe(false)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(rejection(parseTalkCommand({ action: 'setMetadata', metadata: cyclic })).expected).toBe('at most 16 levels of nesting')
  })

  it('reports an event action as an unknown command', () => {
    expect(rejection(parseTalkCommand(eventSamples.login)).code).toBe('unknown-action')
  })

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }), (data) => {
      const result = parseTalkCommand(data)
      expect(typeof result.ok).toBe('boolean')
    }))
    const command = fc.record({ action: fc.constantFrom(...talkCommandActions), number: fc.anything(), autocall: fc.anything(), enabled: fc.anything(), metadata: fc.anything(), preventManualCalling: fc.anything() })
    fc.assert(fc.property(command, (data) => {
      const result = parseTalkCommand(data)
      if (result.ok) expect(result.value.action).toBe(data.action)
      else expect(result.error.code).toBe('invalid-field')
    }))
  })
})
