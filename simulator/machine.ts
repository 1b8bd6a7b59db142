/**
 * The simulated Talk softphone as a pure state machine: no DOM, no timers, no clock of its
 * own. The page feeds it commands from the host page and actions of the agent and the
 * simulated customer, and posts the events it returns. Time comes from `env.now()` so tests
 * are deterministic.
 */
import { formatTalkTime } from '../protocol'
import type { TalkCompletedCall, TalkDirection, TalkEvent, TalkMetadata } from '../protocol'
import { parseTalkCommand } from './commands'

/** A call ending reason the agent picks in wrap-up (`logicalName` may be null, as the spec allows). */
export interface CallEndingReason {
  name: string
  logicalName: string | null
}

/** The reasons offered in the wrap-up form. */
export const CALL_ENDING_REASONS: readonly CallEndingReason[] = [
  { name: 'Sale', logicalName: 'SALE' },
  { name: 'No interest', logicalName: 'NO_INTEREST' },
  { name: 'Call back later', logicalName: 'CALLBACK' },
  { name: 'Wrong number', logicalName: 'WRONG_NUMBER' },
  { name: 'Other', logicalName: null },
]

/** The agent's own line: `from` of outbound calls and `to` of inbound ones. */
export const DEFAULT_AGENT_LINE = '+35820000000'

/** Where simulated recordings live (never fetched; `.invalid` cannot resolve). */
export const DEFAULT_RECORDING_BASE = 'https://recordings.talk-simulator.invalid/calls/'

/** Settings changed by the `useSettings` command. */
export interface SimulatorSettings {
  preventManualCalling: boolean
}

/** The logged-in agent. */
export interface SimulatorAgent {
  name: string
  language: string
  /** Availability forced by `setStatus`; `null` when untouched (available). `reset` clears it. */
  statusOverride: boolean | null
}

/** The call on the line or in wrap-up; times are epoch milliseconds. */
export interface SimulatorCall {
  id: number
  direction: TalkDirection
  /** The customer's number. */
  number: string
  ringStart: number
  /** When the call was answered; `null` while ringing and for unanswered calls. */
  callStart: number | null
  callEnd: number | null
  recordUrl: string | null
}

interface Shared {
  /** The dialer's number field. */
  number: string
  settings: SimulatorSettings
  metadata: TalkMetadata | null
  nextCallId: number
  /** The most recent call of this session, which an SMS refers to. */
  lastCallId: number | null
}

/** Nobody is logged in; only `useSettings` and `setMetadata` are accepted. */
export interface LoggedOutState extends Shared { kind: 'logged-out' }
/** Logged in, no call. */
export interface IdleState extends Shared { kind: 'idle', agent: SimulatorAgent }
/** An outbound call is ringing at the customer. */
export interface RingingOutState extends Shared { kind: 'ringing-out', agent: SimulatorAgent, call: SimulatorCall }
/** An inbound call is ringing at the agent. */
export interface RingingInState extends Shared { kind: 'ringing-in', agent: SimulatorAgent, call: SimulatorCall }
/** Agent and customer are talking. */
export interface ConnectedState extends Shared { kind: 'connected', agent: SimulatorAgent, call: SimulatorCall }
/** The call ended; the agent fills in the wrap-up form. */
export interface WrapUpState extends Shared { kind: 'wrap-up', agent: SimulatorAgent, call: SimulatorCall }

/** Every state of the simulated softphone, discriminated on `kind`. */
export type SimulatorState = LoggedOutState | IdleState | RingingOutState | RingingInState | ConnectedState | WrapUpState
/** A state with a call on the line. */
export type LiveCallState = RingingOutState | RingingInState | ConnectedState

/** Something the agent or the simulated customer does in the simulator. */
export type SimulatorAction
  = | { type: 'login', agent: string, language: string }
    | { type: 'logout' }
    | { type: 'type-number', number: string }
    /** The agent presses Call; `number` types it first (refused when manual calling is prevented). */
    | { type: 'dial', number?: string }
    | { type: 'answer' }
    | { type: 'hangup' }
    | { type: 'incoming-call', number: string }
    | { type: 'callee-answers' }
    | { type: 'callee-rejects' }
    | { type: 'callee-hangs-up' }
    /** `reasonName` matches a reason's `name` or `logicalName`; none means no reason. */
    | { type: 'complete', reasonName?: string, comment?: string }
    | { type: 'send-sms', text: string }

/** Work the machine cannot do itself and asks the page to do. */
export type SimulatorEffect = { kind: 'issue-jwt', agent: string }

/** What a command or action did. */
export interface SimulatorStep {
  state: SimulatorState
  /** Events to post to the host page, in order. */
  out: TalkEvent[]
  /** Human-readable notes for the simulator's event log (why something was refused or what changed). */
  log: string[]
  /** False when the command or action was refused. */
  ok: boolean
  effects: SimulatorEffect[]
}

/** What the machine needs from the outside world. */
export interface SimulatorEnv {
  now: () => number
  /** The simulator's own origin, announced in `login`. */
  origin: string
  agentLine?: string
  /** An https: URL prefix for recordings. */
  recordingBase?: string
}

/** Talk's two error texts: a command that does not fit the state, and one it cannot read. */
export type SimulatorErrorMessage = 'general' | 'unknown error'

/** The state of a fresh simulator: logged out; call ids count up from `firstCallId`. */
export function createSimulatorState({ firstCallId = 1 }: { firstCallId?: number } = {}): LoggedOutState {
  return { kind: 'logged-out', number: '', settings: { preventManualCalling: false }, metadata: null, nextCallId: firstCallId, lastCallId: null }
}

/** Whether the agent can make and receive calls (not switched off by `setStatus`). */
export function isAvailable(agent: SimulatorAgent): boolean {
  return agent.statusOverride !== false
}

/** Whether a call is ringing or connected. */
export function hasLiveCall(state: SimulatorState): state is LiveCallState {
  return state.kind === 'ringing-out' || state.kind === 'ringing-in' || state.kind === 'connected'
}

function done(state: SimulatorState, out: TalkEvent[] = [], log: string[] = [], effects: SimulatorEffect[] = []): SimulatorStep {
  return { state, out, log, ok: true, effects }
}

/** A refusal: the state stays, the reason is logged, and Talk's error event is posted when `error` is given. */
function refuse(state: SimulatorState, reason: string, error: SimulatorErrorMessage | null): SimulatorStep {
  return { state, out: error ? [{ action: 'error', message: error }] : [], log: [reason], ok: false, effects: [] }
}

function validNumber(text: string): string | null {
  const trimmed = text.trim()
  const digits = trimmed.replace(/\D/g, '').length
  return /^\+?[\d\s\-.()]+$/.test(trimmed) && digits >= 2 && digits <= 20 ? trimmed : null
}

function callRefusal(state: SimulatorState): string | null {
  switch (state.kind) {
    case 'logged-out': return 'the agent is not logged in'
    case 'idle': return isAvailable(state.agent) ? null : 'the agent is unavailable (setStatus)'
    case 'ringing-out':
    case 'ringing-in':
    case 'connected': return 'a call is already in progress'
    case 'wrap-up': return 'the previous call is still in wrap-up'
  }
}

function dial(state: SimulatorState, number: string, env: SimulatorEnv): SimulatorStep {
  const refusal = callRefusal(state)
  if (refusal || state.kind !== 'idle') return refuse(state, `Call refused: ${refusal}`, 'general')
  const valid = validNumber(number)
  if (!valid) return refuse({ ...state, number }, 'Call refused: the number is empty or not a phone number', 'general')
  const call: SimulatorCall = { id: state.nextCallId, direction: 'out', number: valid, ringStart: env.now(), callStart: null, callEnd: null, recordUrl: null }
  return done(
    { ...state, kind: 'ringing-out', number: valid, call, nextCallId: call.id + 1, lastCallId: call.id },
    [{ action: 'call', id: call.id, number: call.number, direction: 'out', ringStart: formatTalkTime(call.ringStart) }],
  )
}

function incomingCall(state: SimulatorState, number: string, env: SimulatorEnv): SimulatorStep {
  if (state.kind === 'idle' && !isAvailable(state.agent)) return refuse(state, 'Incoming call refused: the agent is unavailable (setStatus)', 'general')
  const refusal = callRefusal(state)
  if (refusal || state.kind !== 'idle') return refuse(state, `Incoming call not delivered: ${refusal}`, null)
  const valid = validNumber(number)
  if (!valid) return refuse(state, 'Incoming call not simulated: the caller number is not a phone number', null)
  const call: SimulatorCall = { id: state.nextCallId, direction: 'in', number: valid, ringStart: env.now(), callStart: null, callEnd: null, recordUrl: null }
  return done(
    { ...state, kind: 'ringing-in', call, nextCallId: call.id + 1, lastCallId: call.id },
    [{ action: 'call', id: call.id, number: call.number, direction: 'in', ringStart: formatTalkTime(call.ringStart) }],
  )
}

function connect(state: RingingOutState | RingingInState, env: SimulatorEnv): SimulatorStep {
  const call = { ...state.call, callStart: env.now() }
  return done({ ...state, kind: 'connected', call }, [{ action: 'connected', callStart: formatTalkTime(call.callStart) }])
}

function endCall(state: LiveCallState, env: SimulatorEnv): SimulatorStep {
  const answered = state.kind === 'connected'
  const recordUrl = answered ? `${env.recordingBase ?? DEFAULT_RECORDING_BASE}${state.call.id}.mp3` : null
  const call = { ...state.call, callEnd: env.now(), recordUrl }
  const event: TalkEvent = recordUrl
    ? { action: 'disconnected', callEnd: formatTalkTime(call.callEnd), recordUrl }
    : { action: 'disconnected', callEnd: formatTalkTime(call.callEnd) }
  return done({ ...state, kind: 'wrap-up', call }, [event])
}

function hangup(state: SimulatorState, env: SimulatorEnv, error: SimulatorErrorMessage | null): SimulatorStep {
  return hasLiveCall(state) ? endCall(state, env) : refuse(state, 'Hang-up refused: no call is ringing or connected', error)
}

function answer(state: SimulatorState, env: SimulatorEnv, error: SimulatorErrorMessage | null): SimulatorStep {
  return state.kind === 'ringing-in' ? connect(state, env) : refuse(state, 'Answer refused: no inbound call is ringing', error)
}

/** Whole seconds between two times, counted as the formatted timestamps count them. */
function secondsBetween(start: number, end: number): number {
  return Math.max(0, Math.floor(end / 1000) - Math.floor(start / 1000))
}

function complete(state: WrapUpState, reasonName: string | undefined, comment: string | undefined, env: SimulatorEnv): SimulatorStep {
  const wanted = reasonName?.trim()
  const reason = wanted ? CALL_ENDING_REASONS.find(r => r.name === wanted || r.logicalName === wanted) : undefined
  if (wanted && !reason) return refuse(state, `Complete refused: "${wanted.slice(0, 40)}" is not a call ending reason`, null)
  const { call } = state
  const agentLine = env.agentLine ?? DEFAULT_AGENT_LINE
  const callEnd = call.callEnd ?? env.now()
  const talkStart = call.callStart === null ? null : formatTalkTime(call.callStart)
  const record: TalkCompletedCall = {
    id: call.id,
    direction: call.direction,
    to: call.direction === 'out' ? call.number : agentLine,
    from: call.direction === 'out' ? agentLine : call.number,
    answered: call.callStart !== null,
    callStart: talkStart,
    talkStart,
    callEnd: formatTalkTime(callEnd),
    duration: call.callStart === null ? 0 : secondsBetween(call.callStart, callEnd),
    comment: comment?.trim() || null,
    recordUrl: call.recordUrl,
    reason: reason ? { name: reason.name, logicalName: reason.logicalName } : null,
  }
  const { call: _finished, ...rest } = state
  return done({ ...rest, kind: 'idle' }, [{ action: 'completed', call: record }])
}

function login(state: SimulatorState, agent: string, language: string, env: SimulatorEnv): SimulatorStep {
  if (state.kind !== 'logged-out') return refuse(state, 'Log in refused: an agent is already logged in', null)
  const name = String(agent ?? '').trim().slice(0, 80)
  if (!name) return refuse(state, 'Log in refused: the agent name is empty', null)
  const lang = String(language ?? '').trim().slice(0, 16) || 'en'
  return done(
    { ...state, kind: 'idle', agent: { name, language: lang, statusOverride: null } },
    [{ action: 'login', language: lang, origin: env.origin }],
  )
}

function logout(state: SimulatorState, env: SimulatorEnv): SimulatorStep {
  if (state.kind === 'logged-out') return refuse(state, 'Log out refused: nobody is logged in', null)
  // Logging out drops the line: the call ends first, as it would if the agent's phone went away.
  const ended = hasLiveCall(state) ? endCall(state, env).out : []
  // Talk forgets settings and metadata with the session; the host page re-sends them after the next login.
  return done(createSimulatorState({ firstCallId: state.nextCallId }), [...ended, { action: 'logout' }])
}

function typeNumber(state: SimulatorState, number: string): SimulatorStep {
  if (state.settings.preventManualCalling) return refuse(state, 'The number field is locked (preventManualCalling)', null)
  return done({ ...state, number: String(number ?? '').slice(0, 64) })
}

function sendSms(state: SimulatorState, text: string): SimulatorStep {
  if (state.kind === 'logged-out') return refuse(state, 'SMS not sent: the agent is not logged in', null)
  const sms = String(text ?? '').trim()
  if (!sms) return refuse(state, 'SMS not sent: the text is empty', null)
  return done(state, [state.lastCallId === null ? { action: 'sms', sms } : { action: 'sms', sms, callId: state.lastCallId }])
}

/** Applies something the agent or the simulated customer did. */
export function handleAction(state: SimulatorState, action: SimulatorAction, env: SimulatorEnv): SimulatorStep {
  switch (action.type) {
    case 'login': return login(state, action.agent, action.language, env)
    case 'logout': return logout(state, env)
    case 'type-number': return typeNumber(state, action.number)
    case 'dial': {
      if (action.number === undefined || action.number === state.number) return dial(state, state.number, env)
      const typed = typeNumber(state, action.number)
      return typed.ok ? dial(typed.state, action.number, env) : typed
    }
    case 'answer': return answer(state, env, null)
    case 'hangup': return hangup(state, env, null)
    case 'incoming-call': return incomingCall(state, String(action.number ?? ''), env)
    case 'callee-answers':
      return state.kind === 'ringing-out' ? connect(state, env) : refuse(state, 'The callee can only answer a ringing outbound call', null)
    case 'callee-rejects':
      return state.kind === 'ringing-out' ? endCall(state, env) : refuse(state, 'The callee can only decline a ringing outbound call', null)
    case 'callee-hangs-up':
      return hasLiveCall(state) ? endCall(state, env) : refuse(state, 'The customer can only hang up a ringing or connected call', null)
    case 'complete':
      return state.kind === 'wrap-up'
        ? complete(state, action.reasonName, action.comment, env)
        : refuse(state, 'Complete refused: no call is in wrap-up', null)
    case 'send-sms': return sendSms(state, action.text)
    default: {
      // Scripts may pass anything at run time; the compiler proves every known action is handled above.
      const unknown: never = action
      return refuse(state, `Unknown simulator action ${JSON.stringify(String((unknown as { type?: unknown }).type)).slice(0, 60)}`, null)
    }
  }
}

/** The spec says Talk converts a numeric `number` of `call` to a string, so the simulator accepts one. */
function acceptNumericNumber(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data
  const record = data as Record<string, unknown>
  return record.action === 'call' && typeof record.number === 'number' && Number.isFinite(record.number)
    ? { ...record, number: String(record.number) }
    : data
}

/** Applies a command posted by the host page (any value: it is validated here and never throws). */
export function handleCommand(state: SimulatorState, data: unknown, env: SimulatorEnv): SimulatorStep {
  let parsed: ReturnType<typeof parseTalkCommand>
  try {
    parsed = parseTalkCommand(acceptNumericNumber(data))
  }
  catch {
    return refuse(state, 'Rejected a command that cannot be read', 'unknown error')
  }
  if (!parsed.ok) return refuse(state, `Rejected a command: ${parsed.error.message}`, 'unknown error')
  const command = parsed.value
  if (command.action === 'useSettings') {
    const settings = { ...state.settings, ...(command.preventManualCalling === undefined ? {} : { preventManualCalling: command.preventManualCalling }) }
    return done({ ...state, settings }, [], [settings.preventManualCalling ? 'Manual calling is prevented' : 'Manual calling is allowed'])
  }
  if (command.action === 'setMetadata') {
    return done({ ...state, metadata: command.metadata }, [], ['Contact metadata updated'])
  }
  if (state.kind === 'logged-out') return refuse(state, `'${command.action}' refused: the agent is not logged in`, 'general')
  switch (command.action) {
    case 'call': {
      if (command.autocall) return dial(state, command.number, env)
      if (hasLiveCall(state)) return refuse(state, 'Number not inserted: a call is in progress', 'general')
      const valid = validNumber(command.number)
      if (!valid) return refuse(state, 'Number not inserted: not a phone number', 'general')
      return done({ ...state, number: valid }, [], ['Number inserted (autocall: false)'])
    }
    case 'answer': return answer(state, env, 'general')
    case 'hangup': return hangup(state, env, 'general')
    case 'reset':
      return done({ ...state, number: '', agent: { ...state.agent, statusOverride: null } }, [], ['Reset: number cleared, availability restored'])
    case 'setStatus':
      return done({ ...state, agent: { ...state.agent, statusOverride: command.enabled } }, [], [command.enabled ? 'Agent set available' : 'Agent set unavailable'])
    case 'getJwt':
      return done(state, [], [], [{ kind: 'issue-jwt', agent: state.agent.name }])
    default: {
      const unreachable: never = command
      return refuse(state, `Unhandled command ${String((unreachable as { action?: unknown }).action)}`, 'unknown error')
    }
  }
}
