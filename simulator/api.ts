import type { TalkEvent } from '../protocol'
import type { SimulatorState } from './machine'

/** What every scripting call returns: whether it was accepted, the events posted, the simulator's notes. */
export interface SimulatorResult {
  ok: boolean
  sent: TalkEvent[]
  notes: string[]
}

/** `window.talkSimulator`: drives the simulator from tests, benchmarks and the devtools console. */
export interface TalkSimulatorApi {
  login(agent: string, lang?: string): SimulatorResult
  logout(): SimulatorResult
  /** Types `number` (if given) and presses Call, as the agent would. */
  dial(number?: string): SimulatorResult
  /** The agent presses Answer on a ringing inbound call. */
  answer(): SimulatorResult
  /** A customer calls the agent from `number`. */
  incomingCall(number: string): SimulatorResult
  calleeAnswers(): SimulatorResult
  /** The callee does not answer the outbound call. */
  calleeRejects(): SimulatorResult
  /** The customer ends a ringing or connected call. */
  calleeHangsUp(): SimulatorResult
  /** The agent presses Hang up. */
  hangup(): SimulatorResult
  /** The agent completes wrap-up; `reasonName` is a reason's name or logical name. */
  complete(options?: { reasonName?: string, comment?: string }): SimulatorResult
  sendSms(text: string): SimulatorResult
  /** Posts any value to the embedding page (to test how it handles bad messages). */
  post(rawMessage: unknown): SimulatorResult
  /** A copy of the machine state. */
  state(): SimulatorState
}
