import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import { parseTalkEvent } from '../../../protocol'
import type { TalkEvent } from '../../../protocol'
import { createSimulatorState, DEFAULT_AGENT_LINE, handleAction, handleCommand } from '../../../simulator/machine'
import type { SimulatorAction, SimulatorEnv, SimulatorState, SimulatorStep } from '../../../simulator/machine'

const T0 = new Date(2026, 0, 15, 10, 0, 0).getTime()
let clock = T0
const env: SimulatorEnv = { now: () => clock, origin: 'http://127.0.0.1:4400' }
const later = (seconds: number) => void (clock += seconds * 1000)

beforeEach(() => {
  clock = T0
})

function expectValid(step: SimulatorStep): SimulatorStep {
  for (const event of step.out) expect(parseTalkEvent(event)).toEqual({ ok: true, value: event })
  return step
}

const command = (state: SimulatorState, data: unknown) => expectValid(handleCommand(state, data, env))
const act = (state: SimulatorState, action: SimulatorAction) => expectValid(handleAction(state, action, env))

/** Runs inputs in order (commands are objects with `action`, simulator actions have `type`) and collects every event. */
function run(state: SimulatorState, ...inputs: (SimulatorAction | Record<string, unknown>)[]): { state: SimulatorState, out: TalkEvent[], last: SimulatorStep } {
  const out: TalkEvent[] = []
  let last: SimulatorStep = { state, out: [], log: [], ok: true, effects: [] }
  for (const input of inputs) {
    last = 'type' in input ? act(last.state, input as SimulatorAction) : command(last.state, input)
    out.push(...last.out)
  }
  return { state: last.state, out, last }
}

function loggedIn(): SimulatorState {
  return act(createSimulatorState({ firstCallId: 100 }), { type: 'login', agent: 'Alice', language: 'fi' }).state
}

const GENERAL = { action: 'error', message: 'general' }
const UNKNOWN = { action: 'error', message: 'unknown error' }

describe('login and logout', () => {
  it('posts login with the chosen language and the simulator\'s own origin', () => {
    const step = act(createSimulatorState(), { type: 'login', agent: ' Alice ', language: 'fi' })
    expect(step.out).toEqual([{ action: 'login', language: 'fi', origin: 'http://127.0.0.1:4400' }])
    expect(step.state).toMatchObject({ kind: 'idle', agent: { name: 'Alice', language: 'fi' } })
  })

  it('does not log in without an agent name', () => {
    const step = act(createSimulatorState(), { type: 'login', agent: '  ', language: 'en' })
    expect(step).toMatchObject({ ok: false, out: [], state: { kind: 'logged-out' } })
  })

  it('posts logout and forgets the session\'s settings, metadata and number', () => {
    const { state, out } = run(loggedIn(),
      { action: 'useSettings', preventManualCalling: true },
      { action: 'setMetadata', metadata: { name: 'Maria' } },
      { action: 'call', number: '+358401234567', autocall: false },
      { type: 'logout' })
    expect(out).toEqual([{ action: 'logout' }])
    expect(state).toMatchObject({ kind: 'logged-out', number: '', metadata: null, settings: { preventManualCalling: false } })
  })

  it('ends a connected call with disconnected before posting logout', () => {
    const { state, out } = run(loggedIn(), { action: 'call', number: '+358401234567', autocall: true }, { type: 'callee-answers' }, { type: 'logout' })
    expect(out.map(e => e.action)).toEqual(['call', 'connected', 'disconnected', 'logout'])
    expect(state.kind).toBe('logged-out')
  })

  it('keeps counting call ids across a logout, so a new session never reuses an id', () => {
    const first = run(loggedIn(), { action: 'call', number: '+358401234567', autocall: true }, { type: 'logout' })
    const second = run(first.state, { type: 'login', agent: 'Alice', language: 'fi' }, { action: 'call', number: '+358401234567', autocall: true })
    expect(second.out[1]).toMatchObject({ action: 'call', id: 101 })
  })
})

describe('outbound calls', () => {
  it('rings, connects, disconnects with a recording and completes with the chosen reason and comment', () => {
    let state = loggedIn()
    let step = command(state, { action: 'call', number: '+358 40 111 2222', autocall: true })
    expect(step.out).toEqual([{ action: 'call', id: 100, number: '+358 40 111 2222', direction: 'out', ringStart: '2026-01-15 10:00:00' }])
    expect(step.state.kind).toBe('ringing-out')
    later(5)
    step = act(step.state, { type: 'callee-answers' })
    expect(step.out).toEqual([{ action: 'connected', callStart: '2026-01-15 10:00:05' }])
    clock += 61_700
    step = command(step.state, { action: 'hangup' })
    expect(step.out).toEqual([{ action: 'disconnected', callEnd: '2026-01-15 10:01:06', recordUrl: expect.stringMatching(/^https:\/\/.+100/) }])
    expect(step.state.kind).toBe('wrap-up')
    const recordUrl = (step.out[0] as { recordUrl: string }).recordUrl
    state = step.state
    step = act(state, { type: 'complete', reasonName: 'Sale', comment: '  Wants a demo  ' })
    expect(step.out).toEqual([{
      action: 'completed',
      call: {
        id: 100,
        direction: 'out',
        to: '+358 40 111 2222',
        from: DEFAULT_AGENT_LINE,
        answered: true,
        callStart: '2026-01-15 10:00:05',
        talkStart: '2026-01-15 10:00:05',
        callEnd: '2026-01-15 10:01:06',
        duration: 61,
        comment: 'Wants a demo',
        recordUrl,
        reason: { name: 'Sale', logicalName: 'SALE' },
      },
    }])
    expect(step.state.kind).toBe('idle')
  })

  it('completes an unanswered call with answered false, duration 0 and no talk times or recording', () => {
    const { out, state } = run(loggedIn(),
      { type: 'dial', number: '+358401234567' },
      { type: 'callee-rejects' },
      { type: 'complete', reasonName: 'NO_INTEREST', comment: '' })
    expect(out[1]).toEqual({ action: 'disconnected', callEnd: '2026-01-15 10:00:00' })
    expect(out[2]).toMatchObject({
      action: 'completed',
      call: { answered: false, duration: 0, callStart: null, talkStart: null, recordUrl: null, comment: null, callEnd: '2026-01-15 10:00:00', reason: { name: 'No interest', logicalName: 'NO_INTEREST' } },
    })
    expect(state.kind).toBe('idle')
  })

  it('ends the call when the callee hangs up, and the agent may cancel a ringing call', () => {
    const byCallee = run(loggedIn(), { type: 'dial', number: '+358401234567' }, { type: 'callee-answers' }, { type: 'callee-hangs-up' })
    expect(byCallee.out.map(e => e.action)).toEqual(['call', 'connected', 'disconnected'])
    expect(byCallee.out[2]).toHaveProperty('recordUrl')
    const cancelled = run(loggedIn(), { type: 'dial', number: '+358401234567' }, { type: 'hangup' })
    expect(cancelled.out[1]).toEqual({ action: 'disconnected', callEnd: '2026-01-15 10:00:00' })
    expect(cancelled.state.kind).toBe('wrap-up')
  })

  it('only fills the number field when autocall is false', () => {
    const step = command(loggedIn(), { action: 'call', number: '+358401234567', autocall: false })
    expect(step).toMatchObject({ ok: true, out: [], state: { kind: 'idle', number: '+358401234567' } })
    // The agent then presses Call on the filled-in number.
    expect(act(step.state, { type: 'dial' }).out[0]).toMatchObject({ action: 'call', number: '+358401234567' })
  })

  it('accepts a number sent as a number, which Talk converts to a string', () => {
    expect(command(loggedIn(), { action: 'call', number: 358401234567, autocall: true }).out[0]).toMatchObject({ action: 'call', number: '358401234567' })
  })

  it('gives every call a new id counting up from the seed', () => {
    const { out } = run(loggedIn(),
      { type: 'dial', number: '+358401234567' }, { type: 'callee-rejects' }, { type: 'complete' },
      { type: 'incoming-call', number: '+358401234568' }, { type: 'hangup' }, { type: 'complete' },
      { type: 'dial', number: '+358401234569' })
    expect(out.filter(e => e.action === 'call').map(e => e.id)).toEqual([100, 101, 102])
  })

  it('lets the completed call carry a reason without a logical name', () => {
    const { out } = run(loggedIn(), { type: 'dial', number: '+358401234567' }, { type: 'callee-rejects' }, { type: 'complete', reasonName: 'Other' })
    expect(out[2]).toMatchObject({ call: { reason: { name: 'Other', logicalName: null } } })
  })

  it('stays in wrap-up when the reason is not in the list', () => {
    const { last } = run(loggedIn(), { type: 'dial', number: '+358401234567' }, { type: 'callee-rejects' }, { type: 'complete', reasonName: 'Bribe' })
    expect(last).toMatchObject({ ok: false, out: [], state: { kind: 'wrap-up' } })
  })
})

describe('inbound calls', () => {
  it('rings inbound, connects on the answer command and completes with the customer as caller', () => {
    const { out, state } = run(loggedIn(),
      { type: 'incoming-call', number: '+358409998888' },
      { action: 'answer' },
      { type: 'callee-hangs-up' },
      { type: 'complete', reasonName: 'Call back later' })
    expect(out[0]).toEqual({ action: 'call', id: 100, number: '+358409998888', direction: 'in', ringStart: '2026-01-15 10:00:00' })
    expect(out[1]).toEqual({ action: 'connected', callStart: '2026-01-15 10:00:00' })
    expect(out[3]).toMatchObject({ call: { direction: 'in', from: '+358409998888', to: DEFAULT_AGENT_LINE, answered: true, reason: { logicalName: 'CALLBACK' } } })
    expect(state.kind).toBe('idle')
  })

  it('rejects a ringing inbound call on hangup: disconnected without a recording, then an unanswered record', () => {
    const { out } = run(loggedIn(), { type: 'incoming-call', number: '+358409998888' }, { action: 'hangup' }, { type: 'complete' })
    expect(out[1]).toEqual({ action: 'disconnected', callEnd: '2026-01-15 10:00:00' })
    expect(out[2]).toMatchObject({ call: { answered: false, duration: 0, recordUrl: null, reason: null } })
  })

  it('lets the agent answer with the Answer button', () => {
    const { out } = run(loggedIn(), { type: 'incoming-call', number: '+358409998888' }, { type: 'answer' })
    expect(out.map(e => e.action)).toEqual(['call', 'connected'])
  })

  it('does not deliver a simulated incoming call while the agent is busy', () => {
    const { last } = run(loggedIn(), { type: 'dial', number: '+358401234567' }, { type: 'incoming-call', number: '+358409998888' })
    expect(last).toMatchObject({ ok: false, out: [], state: { kind: 'ringing-out' } })
  })
})

describe('availability (setStatus and reset)', () => {
  it('refuses outbound and inbound calls with an error event while unavailable', () => {
    const state = command(loggedIn(), { action: 'setStatus', enabled: false }).state
    expect(command(state, { action: 'call', number: '+358401234567', autocall: true })).toMatchObject({ out: [GENERAL], state: { kind: 'idle' } })
    expect(act(state, { type: 'dial', number: '+358401234567' }).out).toEqual([GENERAL])
    expect(act(state, { type: 'incoming-call', number: '+358409998888' })).toMatchObject({ out: [GENERAL], state: { kind: 'idle' } })
  })

  it('restores availability and clears the number field on reset', () => {
    const { state, out } = run(loggedIn(),
      { action: 'setStatus', enabled: false },
      { action: 'call', number: '+358401234567', autocall: false },
      { action: 'reset' })
    expect(out).toEqual([])
    expect(state).toMatchObject({ kind: 'idle', number: '', agent: { statusOverride: null } })
    expect(command(state, { action: 'call', number: '+358401234567', autocall: true }).out[0]).toMatchObject({ action: 'call' })
  })
})

describe('settings and metadata', () => {
  it('locks the agent out of typing a number while preventManualCalling is true, and unlocks it with false', () => {
    const locked = command(loggedIn(), { action: 'useSettings', preventManualCalling: true }).state
    expect(act(locked, { type: 'type-number', number: '123' })).toMatchObject({ ok: false, state: { number: '' } })
    expect(act(locked, { type: 'dial', number: '+358401234567' })).toMatchObject({ ok: false, out: [] })
    // The CRM may still fill the field, and the agent may call that number.
    const filled = command(locked, { action: 'call', number: '+358401234567', autocall: false }).state
    expect(act(filled, { type: 'dial' }).out[0]).toMatchObject({ action: 'call' })
    const unlocked = command(locked, { action: 'useSettings', preventManualCalling: false }).state
    expect(act(unlocked, { type: 'type-number', number: '123' }).state.number).toBe('123')
  })

  it('accepts useSettings and setMetadata before login, without posting anything', () => {
    const { state, out } = run(createSimulatorState(),
      { action: 'useSettings', preventManualCalling: true },
      { action: 'setMetadata', metadata: { name: 'Maria Virtanen' } })
    expect(out).toEqual([])
    expect(state).toMatchObject({ kind: 'logged-out', settings: { preventManualCalling: true }, metadata: { name: 'Maria Virtanen' } })
  })

  it('keeps earlier settings when useSettings names none', () => {
    const state = run(loggedIn(), { action: 'useSettings', preventManualCalling: true }, { action: 'useSettings' }).state
    expect(state.settings.preventManualCalling).toBe(true)
  })
})

describe('SMS', () => {
  it('posts an SMS without callId before any call, and with the most recent call id during and after calls', () => {
    const state = loggedIn()
    expect(act(state, { type: 'send-sms', text: 'Hello Maria' }).out).toEqual([{ action: 'sms', sms: 'Hello Maria' }])
    const during = run(state, { type: 'dial', number: '+358401234567' }, { type: 'callee-answers' }, { type: 'send-sms', text: 'Running late' })
    expect(during.out[2]).toEqual({ action: 'sms', sms: 'Running late', callId: 100 })
    const after = run(during.state, { type: 'hangup' }, { type: 'complete' }, { type: 'send-sms', text: 'Thanks' })
    expect(after.out[2]).toEqual({ action: 'sms', sms: 'Thanks', callId: 100 })
  })

  it('does not send an empty SMS', () => {
    expect(act(loggedIn(), { type: 'send-sms', text: '   ' })).toMatchObject({ ok: false, out: [] })
  })
})

describe('getJwt', () => {
  it('asks the page to issue a token for the logged-in agent', () => {
    expect(command(loggedIn(), { action: 'getJwt' })).toMatchObject({ ok: true, out: [], effects: [{ kind: 'issue-jwt', agent: 'Alice' }] })
  })
})

describe('commands that do not fit the state', () => {
  it.each([
    { action: 'call', number: '+358401234567', autocall: true },
    { action: 'call', number: '+358401234567', autocall: false },
    { action: 'answer' },
    { action: 'hangup' },
    { action: 'reset' },
    { action: 'setStatus', enabled: false },
    { action: 'getJwt' },
  ])('answers $action before login with error general', (data) => {
    expect(command(createSimulatorState(), data)).toMatchObject({ ok: false, out: [GENERAL], effects: [], state: { kind: 'logged-out' } })
  })

  it('answers answer with nothing ringing inbound, and hangup with no call, with error general', () => {
    expect(command(loggedIn(), { action: 'answer' }).out).toEqual([GENERAL])
    expect(command(loggedIn(), { action: 'hangup' }).out).toEqual([GENERAL])
    const ringingOut = act(loggedIn(), { type: 'dial', number: '+358401234567' }).state
    expect(command(ringingOut, { action: 'answer' })).toMatchObject({ out: [GENERAL], state: { kind: 'ringing-out' } })
    const wrapUp = act(ringingOut, { type: 'callee-rejects' }).state
    expect(command(wrapUp, { action: 'hangup' })).toMatchObject({ out: [GENERAL], state: { kind: 'wrap-up' } })
  })

  it('refuses a call while another call is ringing, connected or in wrap-up', () => {
    const ringing = act(loggedIn(), { type: 'dial', number: '+358401234567' }).state
    const connected = act(ringing, { type: 'callee-answers' }).state
    const wrapUp = act(connected, { type: 'hangup' }).state
    for (const state of [ringing, connected, wrapUp]) {
      expect(command(state, { action: 'call', number: '+358409998888', autocall: true })).toMatchObject({ out: [GENERAL], state: { kind: state.kind } })
    }
    expect(command(connected, { action: 'call', number: '+358409998888', autocall: false }).out).toEqual([GENERAL])
  })

  it.each(['', 'abc', '+', '12345678901234567890123'])('refuses to call %j with error general', (number) => {
    expect(command(loggedIn(), { action: 'call', number, autocall: true })).toMatchObject({ out: [GENERAL], state: { kind: 'idle' } })
  })
})

describe('unknown and malformed commands', () => {
  it.each([
    ['an unknown action', { action: 'dance' }],
    ['a missing action', { number: '+358401234567' }],
    ['a call without autocall', { action: 'call', number: '+358401234567' }],
    ['setStatus with a string', { action: 'setStatus', enabled: 'false' }],
    ['metadata that is not an object', { action: 'setMetadata', metadata: 'Maria' }],
    ['null', null],
    ['a string', 'call'],
    ['an array', [{ action: 'answer' }]],
  ])('answers %s with error unknown error and changes nothing', (_label, data) => {
    const state = loggedIn()
    expect(command(state, data)).toEqual({ state, out: [UNKNOWN], log: [expect.stringContaining('Rejected')], ok: false, effects: [] })
  })

  it('survives an object that throws when read', () => {
    const boom = (): never => {
      throw new Error('boom')
    }
    const hostile = new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom })
    expect(command(loggedIn(), hostile).out).toEqual([UNKNOWN])
  })

  it('never throws and only emits valid events, whatever arrives in whatever order', () => {
    const commands = fc.oneof(
      fc.anything(),
      fc.record({ action: fc.constantFrom('call', 'answer', 'hangup', 'reset', 'setStatus', 'useSettings', 'setMetadata', 'getJwt'), number: fc.oneof(fc.string(), fc.constant('+358401234567')), autocall: fc.boolean(), enabled: fc.boolean(), preventManualCalling: fc.boolean() }),
    )
    const actions = fc.oneof(
      fc.constantFrom<SimulatorAction>({ type: 'logout' }, { type: 'answer' }, { type: 'hangup' }, { type: 'callee-answers' }, { type: 'callee-rejects' }, { type: 'callee-hangs-up' }, { type: 'dial' }, { type: 'complete', reasonName: 'Sale' }),
      fc.record({ type: fc.constant('login' as const), agent: fc.string(), language: fc.string() }),
      fc.record({ type: fc.constant('incoming-call' as const), number: fc.constantFrom('+358409998888', 'x') }),
      fc.record({ type: fc.constant('send-sms' as const), text: fc.string() }),
    )
    fc.assert(fc.property(fc.array(fc.oneof(commands.map(c => ({ c })), actions.map(a => ({ a }))), { maxLength: 30 }), (inputs) => {
      let state: SimulatorState = act(createSimulatorState(), { type: 'login', agent: 'Alice', language: 'en' }).state
      for (const input of inputs) {
        later(1)
        state = 'a' in input ? act(state, input.a).state : command(state, input.c).state
      }
    }), { numRuns: 300 })
  })
})
