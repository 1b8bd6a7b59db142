import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTalkBridge, isTalkError, talkEventActions } from '../../../protocol'
import type { TalkEvent, TalkSession } from '../../../protocol'
import { createBridgeHarness } from './bridge-harness'
import { FakeFrameWindow, FakeHostWindow } from './fake-window'
import { eventSamples, loginFrom, TALK_ORIGIN } from './samples'

afterEach(() => {
  vi.useRealTimers()
})

describe('createTalkBridge: which messages count', () => {
  it('drops a message from another window with a foreign-source diagnostic', () => {
    const { bridge, fromTalk, diagnostics } = createBridgeHarness()
    const seen = vi.fn()
    bridge.onAny(seen)
    fromTalk(eventSamples.call, TALK_ORIGIN, new FakeFrameWindow())
    fromTalk(eventSamples.call, TALK_ORIGIN, null)
    expect(seen).not.toHaveBeenCalled()
    expect(diagnostics).toMatchObject([{ kind: 'foreign-source', origin: TALK_ORIGIN }, { kind: 'foreign-source' }])
  })

  it('drops a message from the Talk window on an origin that is not allowed with a foreign-origin diagnostic', () => {
    const { bridge, fromTalk, diagnostics } = createBridgeHarness()
    const seen = vi.fn()
    bridge.onAny(seen)
    fromTalk(eventSamples.call, 'https://evil-leaddesk.com')
    fromTalk(eventSamples.call, 'null')
    expect(seen).not.toHaveBeenCalled()
    expect(diagnostics).toMatchObject([{ kind: 'foreign-origin', origin: 'https://evil-leaddesk.com' }, { kind: 'foreign-origin', origin: 'null' }])
  })

  it('drops an invalid message with the parse error as the reason', () => {
    const { bridge, fromTalk, diagnostics } = createBridgeHarness()
    const seen = vi.fn()
    bridge.onAny(seen)
    fromTalk({ ...eventSamples.call, id: '123' })
    fromTalk('login')
    expect(seen).not.toHaveBeenCalled()
    expect(diagnostics).toMatchObject([
      { kind: 'invalid-message', origin: TALK_ORIGIN, reason: 'call.id: expected number, got string' },
      { kind: 'invalid-message', reason: '(message): expected object, got string' },
    ])
  })

  it('reports a message with an action this version does not know as unknown-action', () => {
    const { fromTalk, kinds } = createBridgeHarness()
    fromTalk({ action: 'transfer', number: '123' })
    expect(kinds()).toEqual(['unknown-action'])
  })

  it('drops a login whose origin field is not where it came from, and never posts to it', async () => {
    const { bridge, fromTalk, talk, diagnostics } = createBridgeHarness()
    fromTalk(loginFrom('https://login-qed-fi1.leaddesk.com'), TALK_ORIGIN)
    fromTalk({ ...loginFrom(TALK_ORIGIN), origin: `${TALK_ORIGIN}/login` }, TALK_ORIGIN)
    expect(diagnostics.map(d => [d.kind, d.action])).toEqual([['origin-mismatch', 'login'], ['origin-mismatch', 'login']])
    expect(bridge.session.loggedIn).toBe(false)
    await expect(bridge.reset()).rejects.toMatchObject({ code: 'not-logged-in' })
    await expect(bridge.useSettings({ preventManualCalling: true })).resolves.toBeUndefined()
    expect(talk.posts).toEqual([])
  })

  it('accepts a login whose origin field has the trailing slash of the spec example, or none', () => {
    const { bridge, fromTalk } = createBridgeHarness()
    fromTalk({ action: 'login', language: 'fi', origin: 'https://login-ce2.leaddesk.com/' })
    expect(bridge.session).toEqual({ loggedIn: true, origin: TALK_ORIGIN, language: 'fi' })
    fromTalk({ action: 'login', language: 'sv', origin: TALK_ORIGIN })
    expect(bridge.session).toEqual({ loggedIn: true, origin: TALK_ORIGIN, language: 'sv' })
  })

  it('delivers every accepted event to on(action) and onAny listeners', () => {
    const { bridge, fromTalk, login } = createBridgeHarness()
    const byAction = vi.fn()
    const any = vi.fn()
    for (const action of talkEventActions) bridge.on(action, byAction)
    bridge.onAny(any)
    login()
    for (const action of talkEventActions.filter(a => a !== 'login')) fromTalk(eventSamples[action])
    expect(any.mock.calls.map(([event]) => (event as TalkEvent).action)).toEqual(talkEventActions)
    expect(byAction).toHaveBeenCalledTimes(talkEventActions.length)
    expect(any).toHaveBeenCalledWith(eventSamples.completed)
  })

  it('reads nothing but the sender before deciding, and never puts phone numbers or tokens in diagnostics', () => {
    const { fromTalk, login, diagnostics } = createBridgeHarness()
    fromTalk(eventSamples.jwt, 'https://evil.example')
    fromTalk(eventSamples.call, TALK_ORIGIN, new FakeFrameWindow())
    fromTalk({ ...eventSamples.call, id: 'x' })
    fromTalk({ ...eventSamples.jwt, jwt: 5 })
    login()
    fromTalk({ action: 'error', message: 'general' })
    expect(diagnostics).toHaveLength(5)
    const text = JSON.stringify(diagnostics)
    expect(text).not.toContain('358401234567')
    expect(text).not.toContain(eventSamples.jwt.jwt)
  })

  it('on(action) returns an unsubscribe function that stops further calls', () => {
    const { bridge, fromTalk, login } = createBridgeHarness()
    const seen = vi.fn()
    const stop = bridge.on('sms', seen)
    login()
    fromTalk(eventSamples.sms)
    stop()
    stop()
    fromTalk(eventSamples.sms)
    expect(seen).toHaveBeenCalledTimes(1)
    const any = vi.fn()
    bridge.onAny(any)()
    fromTalk(eventSamples.sms)
    expect(any).not.toHaveBeenCalled()
  })

  it('keeps calling the other listeners when one throws, and reports listener-error', () => {
    const { bridge, fromTalk, login, diagnostics } = createBridgeHarness()
    const after = vi.fn()
    const any = vi.fn()
    bridge.on('sms', () => {
      throw new Error('listener bug')
    })
    bridge.on('sms', after)
    bridge.onAny(any)
    bridge.onSession(() => {
      throw new Error('session listener bug')
    })
    login()
    fromTalk(eventSamples.sms)
    expect(after).toHaveBeenCalledTimes(1)
    expect(any).toHaveBeenCalledTimes(2)
    expect(diagnostics.map(d => d.kind)).toEqual(['listener-error', 'listener-error'])
    expect(diagnostics[1]).toMatchObject({ action: 'sms', reason: expect.stringContaining('listener bug') })
  })

  it('keeps working when the diagnostics hook itself throws', () => {
    const { bridge, fromTalk, login } = createBridgeHarness({
      onDiagnostic: () => {
        throw new Error('hook bug')
      },
    })
    const any = vi.fn()
    bridge.onAny(any)
    fromTalk(eventSamples.sms, 'https://evil.example')
    login()
    expect(any).toHaveBeenCalledTimes(1)
  })

  it('trusts LeadDesk hosts by default and the configured origins otherwise', () => {
    const host = new FakeHostWindow()
    const talk = new FakeFrameWindow()
    const simulator = createTalkBridge({ frame: () => talk.asWindow(), window: host, allowedOrigins: ['http://127.0.0.1:4000'] })
    host.dispatch({ data: loginFrom(TALK_ORIGIN), origin: TALK_ORIGIN, source: talk })
    expect(simulator.session.loggedIn).toBe(false)
    host.dispatch({ data: loginFrom('http://127.0.0.1:4000'), origin: 'http://127.0.0.1:4000', source: talk })
    expect(simulator.session.origin).toBe('http://127.0.0.1:4000')
    simulator.dispose()
    const leaddesk = createTalkBridge({ frame: () => talk.asWindow(), window: host })
    host.dispatch({ data: loginFrom(TALK_ORIGIN), origin: TALK_ORIGIN, source: talk })
    expect(leaddesk.session.origin).toBe(TALK_ORIGIN)
  })

  it('refuses to start without a window or with an origin rule that is not an origin', () => {
    expect(() => createTalkBridge({ frame: () => null })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
    expect(() => createTalkBridge({ frame: () => null, window: new FakeHostWindow(), allowedOrigins: ['leaddesk.com'] })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
  })
})

describe('createTalkBridge: session', () => {
  it('reports login, logout and frame reloads to onSession listeners', () => {
    vi.useFakeTimers()
    const { bridge, fromTalk, login, element } = createBridgeHarness()
    const sessions: TalkSession[] = []
    bridge.onSession(session => sessions.push(session))
    login()
    fromTalk(eventSamples.logout)
    login()
    element.load()
    vi.advanceTimersByTime(60_000)
    element.load()
    vi.advanceTimersByTime(5_000)
    expect(sessions).toEqual([
      { loggedIn: true, origin: TALK_ORIGIN, language: 'en' },
      { loggedIn: false, origin: null, language: null },
      { loggedIn: true, origin: TALK_ORIGIN, language: 'en' },
      { loggedIn: false, origin: null, language: null },
    ])
  })

  it('gives out session snapshots that cannot change the bridge', () => {
    const { bridge, login, talk } = createBridgeHarness()
    login()
    const session = bridge.session as { origin: string | null }
    session.origin = 'https://evil.example'
    void bridge.reset()
    expect(talk.posts[0]!.targetOrigin).toBe(TALK_ORIGIN)
  })

  it('ends the session when the frame loads a page that does not log in within 5 s', async () => {
    vi.useFakeTimers()
    const { bridge, login, element, talk, kinds } = createBridgeHarness()
    // The first page: loaded, then the agent logs in (the order the spec describes).
    element.load()
    login()
    vi.advanceTimersByTime(60_000)
    const waiting = bridge.getJwt()
    // A new page, which never logs in (Talk's login screen, an error page).
    element.load()
    vi.advanceTimersByTime(4_999)
    expect(bridge.session.loggedIn).toBe(true)
    vi.advanceTimersByTime(1)
    await expect(waiting).rejects.toMatchObject({ code: 'session-ended' })
    expect(bridge.session.loggedIn).toBe(false)
    expect(kinds()).toEqual(['frame-reloaded'])
    await expect(bridge.reset()).rejects.toMatchObject({ code: 'not-logged-in' })
    expect(talk.posts).toHaveLength(1)
  })

  it('keeps the session of a reloaded page that logs in after its load, as a new session', () => {
    vi.useFakeTimers()
    const { bridge, login, element, kinds } = createBridgeHarness()
    const sessions: TalkSession[] = []
    element.load()
    login()
    bridge.onSession(session => sessions.push(session))
    vi.advanceTimersByTime(60_000)
    element.load()
    vi.advanceTimersByTime(2_000)
    login()
    vi.advanceTimersByTime(60_000)
    expect(bridge.session.loggedIn).toBe(true)
    expect(kinds()).toEqual([])
    expect(sessions.map(s => s.loggedIn)).toEqual([false, true])
  })

  it('keeps a login that Talk posts before its own page finished loading', () => {
    vi.useFakeTimers()
    const { bridge, login, element, kinds } = createBridgeHarness()
    login()
    element.load()
    vi.advanceTimersByTime(60_000)
    expect(bridge.session.loggedIn).toBe(true)
    // A reload whose new page logs in while it loads: its session stays.
    login()
    vi.advanceTimersByTime(3_000)
    element.load()
    vi.advanceTimersByTime(60_000)
    expect(bridge.session.loggedIn).toBe(true)
    // A reload whose new page does not log in.
    element.load()
    vi.advanceTimersByTime(5_000)
    expect(bridge.session.loggedIn).toBe(false)
    expect(kinds()).toEqual(['frame-reloaded'])
  })

  it('ends the session when a page that logged in while loading is replaced at once by one that does not log in', () => {
    vi.useFakeTimers()
    const { bridge, login, element, kinds } = createBridgeHarness()
    login()
    element.load()
    vi.advanceTimersByTime(1_000)
    element.load()
    vi.advanceTimersByTime(5_000)
    expect(bridge.session.loggedIn).toBe(false)
    expect(kinds()).toEqual(['frame-reloaded'])
  })

  it('watches reloads it is told about when it only has a getter for the frame window', () => {
    vi.useFakeTimers()
    const host = new FakeHostWindow()
    const frame = new FakeFrameWindow()
    const bridge = createTalkBridge({ frame: () => frame, window: host, allowedOrigins: [TALK_ORIGIN] })
    host.dispatch({ data: loginFrom(TALK_ORIGIN), origin: TALK_ORIGIN, source: frame })
    expect(bridge.session.loggedIn).toBe(true)
    vi.advanceTimersByTime(60_000)
    bridge.frameLoaded()
    vi.advanceTimersByTime(5_000)
    expect(bridge.session.loggedIn).toBe(false)
    bridge.dispose()
  })

  it('starts no reload timer after dispose', () => {
    vi.useFakeTimers()
    const { bridge, login, element } = createBridgeHarness()
    login()
    vi.advanceTimersByTime(60_000)
    element.load()
    bridge.dispose()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('switches to the new origin on a second login without logout, ending what waited on the old one', async () => {
    const { bridge, login, talk } = createBridgeHarness()
    login()
    const waiting = bridge.getJwt()
    login('https://login-qed-fi1.leaddesk.com')
    await expect(waiting).rejects.toMatchObject({ code: 'session-ended' })
    await bridge.reset()
    expect(talk.posts.map(p => p.targetOrigin)).toEqual([TALK_ORIGIN, 'https://login-qed-fi1.leaddesk.com'])
    expect(bridge.session.origin).toBe('https://login-qed-fi1.leaddesk.com')
  })

  it('rejects waiting commands with session-ended on logout and sends nothing more', async () => {
    const { bridge, login, fromTalk, talk } = createBridgeHarness()
    login()
    const call = bridge.call('+358401234567')
    const jwt = bridge.getJwt()
    fromTalk(eventSamples.logout)
    await expect(call).rejects.toMatchObject({ code: 'session-ended' })
    await expect(jwt).rejects.toMatchObject({ code: 'session-ended' })
    await expect(bridge.hangup()).rejects.toMatchObject({ code: 'not-logged-in' })
    expect(talk.posts).toHaveLength(2)
  })

  it('rejects with no-frame when the iframe has no window any more', async () => {
    const { bridge, login, element } = createBridgeHarness()
    login()
    element.contentWindow = null
    await expect(bridge.reset()).rejects.toMatchObject({ code: 'no-frame' })
  })
})

describe('createTalkBridge: dispose', () => {
  it('removes its listeners, rejects waiting commands and ignores later messages', async () => {
    const { bridge, login, fromTalk, host, element, talk } = createBridgeHarness()
    const seen = vi.fn()
    bridge.onAny(seen)
    login()
    const jwt = bridge.getJwt()
    bridge.dispose()
    await expect(jwt).rejects.toMatchObject({ code: 'disposed' })
    expect(host.listenerCount).toBe(0)
    expect(element.listenerCount).toBe(0)
    fromTalk(eventSamples.jwt)
    login()
    expect(seen).toHaveBeenCalledTimes(1)
    expect(bridge.session.loggedIn).toBe(false)
    bridge.dispose()
    expect(talk.posts).toHaveLength(1)
  })

  it('rejects every command after dispose, remembered ones included', async () => {
    const { bridge, login, talk } = createBridgeHarness()
    login()
    bridge.dispose()
    for (const command of [bridge.call('0401234567'), bridge.reset(), bridge.setStatus(true), bridge.getJwt(), bridge.useSettings({ preventManualCalling: true }), bridge.setMetadata({ id: 1 })]) {
      await expect(command).rejects.toSatisfy(error => isTalkError(error, 'disposed'))
    }
    expect(talk.posts).toEqual([])
  })
})
