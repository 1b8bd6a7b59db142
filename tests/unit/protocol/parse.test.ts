import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseTalkEvent, talkEventActions } from '../../../protocol'
import { eventSamples } from './samples'
import { accepted, rejection } from './parse-results'

const { call, completed, disconnected, sms } = eventSamples

describe('parseTalkEvent', () => {
  it.each(talkEventActions)('accepts the spec\'s %s message unchanged', (action) => {
    expect(parseTalkEvent(eventSamples[action])).toEqual({ ok: true, value: eventSamples[action] })
  })

  it('returns a copy, so later changes to the received object do not leak in', () => {
    const data = structuredClone(completed)
    const value = accepted(parseTalkEvent(data))
    data.call.id = 999
    expect(value).not.toBe(data)
    expect(value).toEqual(completed)
  })

  it('reads a phone number sent as a number as a string', () => {
    expect(accepted(parseTalkEvent({ ...call, number: 358401234567 }))).toMatchObject({ number: '358401234567' })
    const value = accepted(parseTalkEvent({ ...completed, call: { ...completed.call, to: 358401234567, from: 35891234567 } }))
    expect(value).toMatchObject({ call: { to: '358401234567', from: '35891234567' } })
  })

  it('accepts a disconnected event whose recordUrl is missing or null, and leaves the key out', () => {
    const { recordUrl: _, ...withoutUrl } = disconnected
    for (const data of [withoutUrl, { ...disconnected, recordUrl: null }, { ...disconnected, recordUrl: undefined }]) {
      const value = accepted(parseTalkEvent(data))
      expect(value).toEqual({ action: 'disconnected', callEnd: disconnected.callEnd })
      expect(value).not.toHaveProperty('recordUrl')
    }
  })

  it('accepts an sms with callId undefined, null or missing, and keeps a number callId', () => {
    for (const callId of [undefined, null]) {
      expect(accepted(parseTalkEvent({ ...sms, callId }))).toEqual({ action: 'sms', sms: sms.sms })
    }
    expect(accepted(parseTalkEvent({ action: 'sms', sms: 'hi' }))).toEqual({ action: 'sms', sms: 'hi' })
    expect(accepted(parseTalkEvent(sms))).toMatchObject({ callId: 123 })
  })

  it('accepts a completed call without a reason, or with a reason lacking a logical name', () => {
    expect(accepted(parseTalkEvent({ ...completed, call: { ...completed.call, reason: null } }))).toMatchObject({ call: { reason: null } })
    const value = accepted(parseTalkEvent({ ...completed, call: { ...completed.call, reason: { name: 'No answer', logicalName: null } } }))
    expect(value).toMatchObject({ call: { reason: { name: 'No answer', logicalName: null } } })
  })

  it('reads missing nullable fields of completed.call as null', () => {
    const value = accepted(parseTalkEvent({ action: 'completed', call: { id: 7, direction: 'in', answered: false } }))
    expect(value).toEqual({
      action: 'completed',
      call: { id: 7, direction: 'in', answered: false, to: null, from: null, callStart: null, talkStart: null, callEnd: null, duration: null, comment: null, recordUrl: null, reason: null },
    })
  })

  it('rejects a wrong type with the field path, what was expected and what came', () => {
    const error = rejection(parseTalkEvent({ ...completed, call: { ...completed.call, duration: '222' } }))
    expect(error).toEqual({
      code: 'invalid-field',
      path: 'completed.call.duration',
      expected: 'whole number from 0 to 604800 or null',
      received: 'string',
      message: 'completed.call.duration: expected whole number from 0 to 604800 or null, got string',
    })
  })

  it.each([
    [{ ...call, id: '123' }, 'call.id: expected number, got string'],
    [{ ...call, direction: 'inbound' }, 'call.direction: expected \'in\' or \'out\', got string'],
    [{ ...call, number: true }, 'call.number: expected string or whole number, got boolean'],
    [{ ...call, ringStart: undefined }, 'call.ringStart: expected string, got undefined'],
    [{ action: 'login', language: 'en', origin: null }, 'login.origin: expected string, got null'],
    [{ action: 'completed' }, 'completed.call: expected object, got undefined'],
    [{ action: 'completed', call: [] }, 'completed.call: expected object, got array'],
    [{ ...completed, call: { ...completed.call, answered: 'yes' } }, 'completed.call.answered: expected boolean, got string'],
    [{ ...completed, call: { ...completed.call, reason: 'Sale' } }, 'completed.call.reason: expected object or null, got string'],
    [{ ...completed, call: { ...completed.call, reason: { logicalName: 'sale' } } }, 'completed.call.reason.name: expected string, got undefined'],
    [{ ...completed, call: { ...completed.call, to: {} } }, 'completed.call.to: expected string or whole number or null, got object'],
    [{ ...sms, callId: '123' }, 'sms.callId: expected number, got string'],
    [{ action: 'jwt', jwt: 42 }, 'jwt.jwt: expected string, got number'],
  ])('rejects %j: "%s"', (data, message) => {
    expect(rejection(parseTalkEvent(data))).toMatchObject({ code: 'invalid-field', message })
  })

  it('refuses a phone number that is not a whole number, rather than storing "1e+21" or "1.5"', () => {
    expect(accepted(parseTalkEvent({ ...call, number: 358401234567 }))).toMatchObject({ number: '358401234567' })
    for (const number of [1e21, 1.5, -358401234567]) {
      expect(rejection(parseTalkEvent({ ...call, number })).message).toBe('call.number: expected string or whole number, got number')
      expect(rejection(parseTalkEvent({ ...completed, call: { ...completed.call, to: number } })).path).toBe('completed.call.to')
    }
  })

  it('takes a call duration only as whole seconds from 0 to a week', () => {
    for (const duration of [0, 222, 604_800]) expect(accepted(parseTalkEvent({ ...completed, call: { ...completed.call, duration } }))).toMatchObject({ call: { duration } })
    for (const duration of [-50, 12.345, 604_801, 1e308, Number.NaN]) {
      expect(rejection(parseTalkEvent({ ...completed, call: { ...completed.call, duration } })).path, String(duration)).toBe('completed.call.duration')
    }
  })

  it('rejects numbers that are not finite', () => {
    expect(rejection(parseTalkEvent({ ...call, id: Number.NaN })).path).toBe('call.id')
    expect(rejection(parseTalkEvent({ ...call, number: Number.POSITIVE_INFINITY })).path).toBe('call.number')
  })

  it.each([
    [{ action: 'transfer', to: '123' }, '\'transfer\''],
    [{ language: 'en' }, 'undefined'],
    [{ action: 42 }, 'number'],
    [{ action: 'toString' }, '\'toString\''],
    [{ action: '__proto__' }, '\'__proto__\''],
    [{ action: 'useSettings', preventManualCalling: true }, '\'useSettings\''],
  ])('reports %j as an unknown action', (data, received) => {
    expect(rejection(parseTalkEvent(data))).toMatchObject({ code: 'unknown-action', path: 'action', received })
  })

  it.each([null, undefined, 'login', 42, true, [], [{ action: 'logout' }]])('reports %j as not an object', (data) => {
    expect(rejection(parseTalkEvent(data))).toMatchObject({ code: 'not-an-object', path: '(message)' })
  })

  it('drops unknown extra keys at every level instead of copying them', () => {
    const value = accepted(parseTalkEvent({ ...completed, token: 'secret', call: { ...completed.call, html: '<img onerror=x>', reason: { ...completed.call.reason, extra: 1 } } }))
    expect(value).toEqual(completed)
  })

  it('never copies a __proto__ key, so a message cannot pollute prototypes', () => {
    const data: unknown = JSON.parse('{"action":"logout","__proto__":{"polluted":true}}')
    const value = accepted(parseTalkEvent(data))
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reports an object that throws when read instead of throwing', () => {
    const hostile = new Proxy({}, {
      get: () => {
        throw new Error('boom')
      },
    })
    expect(rejection(parseTalkEvent(hostile)).code).toBe('invalid-field')
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(parseTalkEvent(proxy).ok).toBe(false)
  })

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }), (data) => {
      const result = parseTalkEvent(data)
      if (result.ok) expect(talkEventActions).toContain(result.value.action)
      else expect(result.error.message).toBe(`${result.error.path}: expected ${result.error.expected}, got ${result.error.received}`)
    }))
  })

  it('never throws for valid messages with one field replaced or added, and accepts or explains each', () => {
    const sample = fc.constantFrom(...talkEventActions).map(action => structuredClone(eventSamples[action]) as unknown as Record<string, unknown>)
    const key = fc.oneof(fc.nat(), fc.string())
    fc.assert(fc.property(sample, key, fc.anything(), fc.boolean(), (data, pick, value, nested) => {
      const target = nested && typeof data.call === 'object' ? data.call as Record<string, unknown> : data
      const keys = Object.keys(target)
      target[typeof pick === 'number' ? keys[pick % keys.length]! : pick] = value
      const result = parseTalkEvent(data)
      if (result.ok) expect(result.value.action).toBe(data.action)
      else expect(result.error.message).toBe(`${result.error.path}: expected ${result.error.expected}, got ${result.error.received}`)
    }))
  })
})
