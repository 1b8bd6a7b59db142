/**
 * What the tab hosting Talk tells the other tabs about its store, and how they check it: the
 * state arrives over a BroadcastChannel, which any script on the origin can post to, so it is
 * validated field by field like a message from Talk.
 */
import { talkCommandFields, talkSettingsFields } from '../protocol/commands'
import type { TalkCommandAction, TalkMetadata, TalkSettings } from '../protocol/commands'
import type { TalkErrorCode } from '../protocol/errors'
import { boolean, jsonRecord, nullable, number, object, oneOf, optional, string } from '../protocol/schema'
import type { Validator } from '../protocol/schema'
import { talkErrorCode } from '../tabs/messages'
import type { TalkMachineState } from './call-machine'
import type { TalkContact, TalkLookupState } from './contact-lookup'

/** The last failure the agent should see: a rejected command or a Talk `error` event. */
export interface TalkLastError {
  message: string
  code: TalkErrorCode | 'talk'
  at: number
  /** The command that failed; missing for an `error` event no command was waiting for. */
  action?: TalkCommandAction
}

/** The host's store, as the other tabs show it. */
export interface TalkTabSnapshot {
  machine: TalkMachineState
  /** The host has a Talk frame attached. */
  connected: boolean
  lastError: TalkLastError | null
  /** The settings and contact metadata Talk was last given: a new host gives them to its own Talk. */
  settings: TalkSettings | null
  metadata: TalkMetadata | null
  /** The lookup of the active call's caller (`resolveContact`), run by the host. */
  lookup: TalkLookupState | null
}

const time = nullable(string)
const clock = nullable(number)

const machine = object({
  agent: object({ loggedIn: boolean, language: nullable(string), enabled: boolean }),
  call: nullable(object({
    id: nullable(number), number: nullable(string), direction: nullable(oneOf('in', 'out')),
    phase: oneOf('ringing', 'connected', 'wrap-up'),
    ringStart: time, callStart: time, callEnd: time, recordUrl: nullable(string),
    ringAt: clock, connectedAt: clock, endedAt: clock,
  })),
})

const errorCode: Validator<TalkLastError['code']> = value => value === 'talk' ? value : talkErrorCode(value)

const snapshot = object({
  machine,
  connected: boolean,
  lastError: nullable(object({ message: string, code: errorCode, at: number, action: optional(oneOf(...Object.keys(talkCommandFields) as TalkCommandAction[])) })),
  settings: nullable(object(talkSettingsFields)),
  metadata: nullable(jsonRecord),
  // Missing from a tab of an older version: no lookup.
  lookup: nullable(object({ callId: number, state: oneOf('pending', 'found', 'not-found', 'failed'), contact: nullable(jsonRecord as unknown as Validator<TalkContact>) })),
})

/** Validates a state snapshot from the host tab; throws a `SchemaIssue` for anything else. A call shown while logged out is dropped, as the store's own machine would. */
export const readTabSnapshot: Validator<TalkTabSnapshot> = (value) => {
  const read = snapshot(value)
  const state: TalkMachineState = read.machine.agent.loggedIn ? read.machine : { ...read.machine, call: null }
  return { ...read, machine: state }
}
