/**
 * The call-state machine of the Talk store: a pure function from (state, Talk event) to the
 * next state. Talk has no handshake and no sequence numbers, so every transition accepts
 * events that arrive out of order, twice, or after a page reload — see the cases below.
 */
import type { TalkDirection, TalkEvent } from '../protocol/index'

/** Where the active call is: ringing, talking, or in after-call work until `completed`. */
export type TalkCallPhase = 'ringing' | 'connected' | 'wrap-up'

/** The agent's status as the UI shows it: exactly one at a time, derived from the call state. */
export type TalkStatus = 'offline' | 'available' | 'unavailable' | 'ringing' | 'in-call' | 'wrap-up'

/** Every status, in the order an agent meets them. */
export const talkStatuses: readonly TalkStatus[] = ['offline', 'available', 'unavailable', 'ringing', 'in-call', 'wrap-up']

/** The agent's Talk session. */
export interface TalkAgent {
  loggedIn: boolean
  /** Language code from the `login` event. */
  language: string | null
  /** `false` after `setAvailable(false)` (Talk's `setStatus`); Talk sends no event for it. */
  enabled: boolean
}

/** The call being handled, as far as the events told us. */
export interface TalkCallState {
  /** `null` when the call was first seen after its `call` event (e.g. after a page reload). */
  id: number | null
  number: string | null
  direction: TalkDirection | null
  phase: TalkCallPhase
  /**
   * Talk's timestamps as sent ("yyyy-mm-dd hh:mm:ss"); `null` when missing. Parsed only when
   * read (the store's `activeCall`), so handling an event never pays for it.
   */
  ringStart: string | null
  callStart: string | null
  callEnd: string | null
  recordUrl: string | null
  /**
   * Local clock times the events arrived at. Live timers use these rather than Talk's
   * timestamps, which carry no time zone and come from another machine's clock.
   */
  ringAt: number | null
  connectedAt: number | null
  endedAt: number | null
}

/** The whole machine state: the agent plus the one call Talk handles at a time. */
export interface TalkMachineState {
  agent: TalkAgent
  call: TalkCallState | null
}

/** What drives the machine: every Talk event, plus the end of the bridge session (logout, frame reload, disposal). */
export type TalkMachineInput = TalkEvent | { action: 'session-ended' }

/** The state before any login. */
export const initialTalkState: TalkMachineState = {
  agent: { loggedIn: false, language: null, enabled: true },
  call: null,
}

const offline: TalkMachineState = initialTalkState

function unknownCall(phase: TalkCallPhase, at: number): TalkCallState {
  return {
    id: null, number: null, direction: null, phase,
    ringStart: null, callStart: null, callEnd: null, recordUrl: null,
    ringAt: null, connectedAt: phase === 'connected' ? at : null, endedAt: null,
  }
}

/** Returns the state after `input` arrived at local time `at` (epoch ms). Never throws. */
export function nextTalkState(state: TalkMachineState, input: TalkMachineInput, at: number): TalkMachineState {
  const { agent, call } = state
  switch (input.action) {
    case 'login':
      // A second login without logout is a new Talk session: whatever call we tracked is gone.
      return { agent: { loggedIn: true, language: input.language, enabled: true }, call: null }
    case 'logout':
    case 'session-ended':
      return offline
    case 'call': {
      // Talk cannot ring while logged out; a stray event must not show a call to an offline agent.
      if (!agent.loggedIn) return state
      // The same call announced twice: keep what we know (it may already be connected).
      if (call && call.id === input.id) return state
      return {
        agent,
        call: {
          id: input.id, number: input.number, direction: input.direction, phase: 'ringing',
          ringStart: input.ringStart, callStart: null, callEnd: null, recordUrl: null,
          ringAt: at, connectedAt: null, endedAt: null,
        },
      }
    }
    case 'connected': {
      if (!agent.loggedIn || call?.phase === 'connected') return state
      // No ringing call (page reloaded mid-call, or the previous call already ended): a call
      // we know nothing about except that it is connected now.
      const base = call && call.phase === 'ringing' ? call : unknownCall('connected', at)
      return { agent, call: { ...base, phase: 'connected', callStart: input.callStart, connectedAt: at } }
    }
    case 'disconnected': {
      if (!agent.loggedIn || call?.phase === 'wrap-up') return state
      const base = call ?? unknownCall('wrap-up', at)
      return {
        agent,
        call: { ...base, phase: 'wrap-up', callEnd: input.callEnd, recordUrl: input.recordUrl ?? null, endedAt: at },
      }
    }
    case 'completed':
      // A late `completed` for an older call must not end the current one.
      if (call && (call.id === null || call.id === input.call.id)) return { agent, call: null }
      return state
    case 'sms':
    case 'error':
    case 'jwt':
      return state
    default: {
      const unreachable: never = input
      return unreachable
    }
  }
}

/** Returns the state after the agent changed their availability with `setStatus`. */
export function withAvailability(state: TalkMachineState, enabled: boolean): TalkMachineState {
  return state.agent.loggedIn ? { ...state, agent: { ...state.agent, enabled } } : state
}

/** Derives the one status the UI shows. */
export function deriveTalkStatus(state: TalkMachineState): TalkStatus {
  if (!state.agent.loggedIn) return 'offline'
  switch (state.call?.phase) {
    case 'ringing': return 'ringing'
    case 'connected': return 'in-call'
    case 'wrap-up': return 'wrap-up'
    case undefined: return state.agent.enabled ? 'available' : 'unavailable'
  }
}

/** Seconds to show on the call timer: ring time while ringing, talk time once connected, frozen when the call ends. */
export function callElapsedSeconds(call: TalkCallState, now: number): number {
  const start = call.phase === 'ringing' ? call.ringAt : call.connectedAt ?? call.ringAt
  if (start === null) return 0
  const end = call.phase === 'wrap-up' ? call.endedAt ?? start : now
  return Math.max(0, Math.floor((end - start) / 1000))
}
