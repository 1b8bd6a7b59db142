import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TalkBridge } from '../../../protocol'
import { createBridgeHarness } from './bridge-harness'
import { callEvent, eventSamples, TALK_ORIGIN } from './samples'

afterEach(() => {
  vi.useRealTimers()
})

const everyCommand: [string, (bridge: TalkBridge) => Promise<unknown>][] = [
  ['call', b => b.call('+358401234567')],
  ['call without autocall', b => b.call('+358401234567', { autocall: false })],
  ['answer', b => b.answer()],
  ['hangup', b => b.hangup()],
  ['reset', b => b.reset()],
  ['setStatus', b => b.setStatus(false)],
  ['getJwt', b => b.getJwt()],
]

describe('createTalkBridge: before login', () => {
  it.each(everyCommand)('rejects %s with not-logged-in and posts nothing', async (_, send) => {
    const { bridge, talk } = createBridgeHarness()
    await expect(send(bridge)).rejects.toMatchObject({ name: 'TalkError', code: 'not-logged-in' })
    expect(talk.posts).toEqual([])
  })

  it('remembers settings and metadata, then posts them right after the next login', async () => {
    const { bridge, login, talk } = createBridgeHarness()
    await expect(bridge.useSettings({ preventManualCalling: true })).resolves.toBeUndefined()
    await expect(bridge.setMetadata({ contactId: 42, name: 'Aino' })).resolves.toBeUndefined()
    expect(talk.posts).toEqual([])
    const seenAtLogin: unknown[][] = []
    bridge.on('login', () => seenAtLogin.push(talk.messages))
    login()
    expect(talk.posts).toEqual([
      { message: { action: 'useSettings', preventManualCalling: true }, targetOrigin: TALK_ORIGIN },
      { message: { action: 'setMetadata', metadata: { contactId: 42, name: 'Aino' } }, targetOrigin: TALK_ORIGIN },
    ])
    // Already applied when login listeners run, so what they send comes after.
    expect(seenAtLogin[0]).toHaveLength(2)
  })

  it('merges settings and re-applies them, with the latest metadata, after every login', async () => {
    const { bridge, login, fromTalk, talk } = createBridgeHarness()
    login()
    await bridge.useSettings({ preventManualCalling: true })
    await bridge.setMetadata({ contactId: 1 })
    await bridge.useSettings({})
    fromTalk(eventSamples.logout)
    await bridge.setMetadata({ contactId: 2 })
    login('https://login-qed-fi1.leaddesk.com')
    expect(talk.posts.slice(-2)).toEqual([
      { message: { action: 'useSettings', preventManualCalling: true }, targetOrigin: 'https://login-qed-fi1.leaddesk.com' },
      { message: { action: 'setMetadata', metadata: { contactId: 2 } }, targetOrigin: 'https://login-qed-fi1.leaddesk.com' },
    ])
    await bridge.useSettings({ preventManualCalling: false })
    login()
    expect(talk.messages.at(-2)).toEqual({ action: 'useSettings', preventManualCalling: false })
  })
})

describe('createTalkBridge: commands after login', () => {
  it('posts every command to exactly the origin of the verified login, never "*"', async () => {
    const { bridge, login, fromTalk, talk } = createBridgeHarness()
    login()
    const call = bridge.call('+358 40 123 4567')
    fromTalk(callEvent('out'))
    await call
    await bridge.call('0401234567', { autocall: false })
    const answer = bridge.answer()
    fromTalk(eventSamples.connected)
    await answer
    const hangup = bridge.hangup()
    fromTalk(eventSamples.disconnected)
    await hangup
    await bridge.reset()
    await bridge.setStatus(true)
    await bridge.setMetadata({ contactId: 42 })
    await bridge.useSettings({ preventManualCalling: true })
    const jwt = bridge.getJwt()
    fromTalk(eventSamples.jwt)
    await jwt
    expect(talk.messages).toEqual([
      { action: 'call', number: '+358401234567', autocall: true },
      { action: 'call', number: '0401234567', autocall: false },
      { action: 'answer' },
      { action: 'hangup' },
      { action: 'reset' },
      { action: 'setStatus', enabled: true },
      { action: 'setMetadata', metadata: { contactId: 42 } },
      { action: 'useSettings', preventManualCalling: true },
      { action: 'getJwt' },
    ])
    expect(new Set(talk.posts.map(p => p.targetOrigin))).toEqual(new Set([TALK_ORIGIN]))
  })

  it('resolves call() with the next outbound call event, not with an inbound one', async () => {
    const { bridge, login, fromTalk } = createBridgeHarness()
    login()
    const settled = vi.fn()
    const call = bridge.call('+358401234567')
    void call.then(settled)
    fromTalk(callEvent('in', 1))
    await Promise.resolve()
    expect(settled).not.toHaveBeenCalled()
    fromTalk(callEvent('out', 2))
    await expect(call).resolves.toEqual(callEvent('out', 2))
  })

  it('resolves call() with autocall false once posted, without waiting for Talk', async () => {
    const { bridge, login, talk } = createBridgeHarness()
    login()
    await expect(bridge.call(358401234567, { autocall: false })).resolves.toBeUndefined()
    expect(talk.messages).toEqual([{ action: 'call', number: '358401234567', autocall: false }])
  })

  it('rejects call() with talk-error when Talk reports an error first', async () => {
    const { bridge, login, fromTalk } = createBridgeHarness()
    login()
    const call = bridge.call('+358401234567')
    fromTalk({ action: 'error', message: 'unknown error' })
    await expect(call).rejects.toMatchObject({ code: 'talk-error', message: 'unknown error' })
  })

  it('rejects call() with timeout when Talk does not answer in time', async () => {
    vi.useFakeTimers()
    const { bridge, login, fromTalk } = createBridgeHarness({ timeout: 5000 })
    login()
    const call = bridge.call('+358401234567')
    const assertion = expect(call).rejects.toMatchObject({ code: 'timeout' })
    await vi.advanceTimersByTimeAsync(4999)
    await vi.advanceTimersByTimeAsync(1)
    await assertion
    // A late answer is no longer anyone's: it is only an event.
    const late = vi.fn()
    bridge.on('call', late)
    fromTalk(callEvent('out'))
    expect(late).toHaveBeenCalledTimes(1)
  })

  it('waits 15 s by default, and a per-call timeout overrides the bridge one', async () => {
    vi.useFakeTimers()
    const { bridge, login } = createBridgeHarness()
    login()
    const settled = vi.fn()
    bridge.getJwt().catch(settled)
    const quick = bridge.call('0401234567', { timeout: 100 })
    const quickAssertion = expect(quick).rejects.toMatchObject({ code: 'timeout' })
    await vi.advanceTimersByTimeAsync(100)
    await quickAssertion
    await vi.advanceTimersByTimeAsync(14_000)
    expect(settled).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1000)
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ code: 'timeout' }))
  })

  it('resolves answer() on connected and hangup() on disconnected', async () => {
    const { bridge, login, fromTalk } = createBridgeHarness()
    login()
    fromTalk(callEvent('in'))
    const answer = bridge.answer()
    fromTalk(eventSamples.connected)
    await expect(answer).resolves.toBeUndefined()
    const hangup = bridge.hangup()
    fromTalk(eventSamples.disconnected)
    await expect(hangup).resolves.toBeUndefined()
  })

  it('resolves getJwt() with the token', async () => {
    const { bridge, login, fromTalk } = createBridgeHarness()
    login()
    const jwt = bridge.getJwt()
    fromTalk(eventSamples.jwt)
    await expect(jwt).resolves.toBe(eventSamples.jwt.jwt)
  })

  it('blames an error on the oldest waiting command first', async () => {
    const { bridge, login, fromTalk } = createBridgeHarness()
    login()
    const call = bridge.call('+358401234567')
    const jwt = bridge.getJwt()
    fromTalk({ action: 'error', message: 'general' })
    await expect(call).rejects.toMatchObject({ code: 'talk-error' })
    fromTalk(eventSamples.jwt)
    await expect(jwt).resolves.toBe(eventSamples.jwt.jwt)
  })

  it('reports an error nobody waits for as unattributed-error and still emits it', () => {
    const { bridge, login, fromTalk, diagnostics } = createBridgeHarness()
    const errors = vi.fn()
    bridge.on('error', errors)
    login()
    void bridge.reset()
    fromTalk({ action: 'error', message: 'general' })
    expect(diagnostics).toMatchObject([{ kind: 'unattributed-error', action: 'error', reason: expect.stringContaining('general') }])
    expect(errors).toHaveBeenCalledWith({ action: 'error', message: 'general' })
  })

  it('emits an error that failed a command to on(\'error\') listeners too', async () => {
    const { bridge, login, fromTalk } = createBridgeHarness()
    const errors = vi.fn()
    bridge.on('error', errors)
    login()
    const jwt = bridge.getJwt()
    fromTalk({ action: 'error', message: 'general' })
    await expect(jwt).rejects.toMatchObject({ code: 'talk-error' })
    expect(errors).toHaveBeenCalledTimes(1)
  })

  it.each(['', 'abc', '040 ABC 123', '1', '123456789012345678901'])('rejects call(%j) with invalid-number before posting anything', async (number) => {
    const { bridge, login, talk } = createBridgeHarness()
    await expect(bridge.call(number)).rejects.toMatchObject({ code: 'invalid-number' })
    login()
    await expect(bridge.call(number)).rejects.toMatchObject({ code: 'invalid-number' })
    expect(talk.posts).toEqual([])
  })

  it.each([
    ['a function', { onClick: () => 1 }],
    ['a Date', { since: new Date(0) }],
    ['NaN', { score: Number.NaN }],
    ['undefined', { note: undefined }],
    ['a Map', { tags: new Map() }],
    ['an array', [1, 2]],
    ['null', null],
  ])('rejects metadata holding %s with invalid-argument and keeps the previous metadata', async (_, metadata) => {
    const { bridge, login, talk } = createBridgeHarness()
    await bridge.setMetadata({ contactId: 1 })
    await expect(bridge.setMetadata(metadata as never)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('setMetadata: metadata') })
    login()
    expect(talk.messages).toEqual([{ action: 'setMetadata', metadata: { contactId: 1 } }])
  })

  it('names the offending metadata field in the error, never its value', async () => {
    const { bridge } = createBridgeHarness()
    await expect(bridge.setMetadata({ contact: { tags: ['vip', () => 1] } } as never)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'setMetadata: metadata.contact.tags.1: expected JSON value, got function',
    })
  })

  it('posts a plain copy of metadata, so a reactive proxy can be passed and later changes are not sent', async () => {
    const { bridge, login, talk } = createBridgeHarness()
    const contact = { contactId: 42, tags: ['vip'] }
    const reactiveLike = new Proxy(contact, {})
    login()
    await bridge.setMetadata(reactiveLike)
    contact.contactId = 43
    login()
    expect(talk.messages).toEqual([
      { action: 'setMetadata', metadata: { contactId: 42, tags: ['vip'] } },
      { action: 'setMetadata', metadata: { contactId: 42, tags: ['vip'] } },
    ])
  })

  it('rejects invalid settings and status with invalid-argument, and sends only known settings', async () => {
    const { bridge, login, talk } = createBridgeHarness()
    login()
    await expect(bridge.useSettings({ preventManualCalling: 'yes' } as never)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'useSettings: settings.preventManualCalling: expected boolean, got string',
    })
    await expect(bridge.useSettings(null as never)).rejects.toMatchObject({ code: 'invalid-argument', message: 'useSettings: settings: expected object, got null' })
    await expect(bridge.setStatus('on' as never)).rejects.toMatchObject({ code: 'invalid-argument', message: 'setStatus: enabled: expected boolean, got string' })
    await bridge.useSettings({ preventManualCalling: true, onChange: () => {} } as never)
    expect(talk.messages).toEqual([{ action: 'useSettings', preventManualCalling: true }])
  })
})
