/**
 * The messages tabs send each other, one definition each; the message types are derived from
 * this table. A BroadcastChannel only reaches the same origin, but any script on that origin
 * can post to it, so every message is validated like a message from Talk: nothing in it is
 * used before it has passed, and a bad one is reported, never thrown.
 */
import { talkCommandFields } from '../protocol/commands'
import type { TalkCommand } from '../protocol/commands'
import type { TalkErrorCode } from '../protocol/errors'
import { parseMessage, parseTalkEvent } from '../protocol/parse'
import type { TalkParseResult } from '../protocol/parse'
import { boolean, describeType, nullable, number, object, oneOf, readShape, SchemaIssue, string } from '../protocol/schema'
import type { InferShape, Shape, Simplify, Validator } from '../protocol/schema'

/** Every message names the sender's app and format, so other traffic on the origin is told apart. */
export const TABS_APP = 'nuxt-leaddesk-talk'
/** The message format; a tab that speaks another one (an older deploy still open) is reported, not trusted. */
export const TABS_VERSION = 1

/** Why the tab hosting Talk changed: the first host, a tab asked for Talk, or the previous host went away. */
export type TalkHostCause = 'first' | 'requested' | 'previous-closed'

/** How a forwarded command ended, as the host tab reports it. */
export type TalkCommandOutcome = { ok: true, value: string | null } | { ok: false, code: TalkErrorCode, message: string }

// Written out against the union, so the compiler says when a new error code is missing here.
const errorCodes: Record<TalkErrorCode, true> = {
  'not-logged-in': true, 'invalid-number': true, 'invalid-argument': true, 'talk-error': true, 'timeout': true,
  'session-ended': true, 'disposed': true, 'no-frame': true, 'invalid-time': true, 'handover-refused': true,
}

function check<T>(expected: string, test: (value: T) => boolean, inner: Validator<T>): Validator<T> {
  return (value) => {
    const checked = inner(value)
    if (!test(checked)) throw new SchemaIssue(expected, describeType(value))
    return checked
  }
}

/** A tab's id: what `createTalkTabs` makes (letters, digits, `-`, `_`), never longer than 64. */
export const tabId: Validator<string> = check('a tab id', id => /^[\w-]{1,64}$/.test(id), string)

const count = check('a whole number', Number.isSafeInteger, number)

const cause: Validator<TalkHostCause> = oneOf('first', 'requested', 'previous-closed')

/** When a host became host (epoch ms), how many states it has sent since, and why it became host. */
const hostStamp = object({ since: number, seq: count, cause })

/** The stamp on every state a host sends: later hosts have a later `since`, later states a higher `seq`. */
export type TalkHostStamp = Simplify<ReturnType<typeof hostStamp>>

function parsed<T>(result: TalkParseResult<T>): T {
  if (result.ok) return result.value
  const issue = new SchemaIssue(result.error.expected, result.error.received)
  throw result.error.path ? issue.at(result.error.path) : issue
}

const talkEvent = (value: unknown) => parsed(parseTalkEvent(value))
const talkCommand = (value: unknown) => parsed(parseMessage<TalkCommand>(talkCommandFields, value))

/** Accepts one of the `TalkErrorCode`s. */
export const talkErrorCode: Validator<TalkErrorCode> = oneOf(...Object.keys(errorCodes) as TalkErrorCode[])

const outcome: Validator<TalkCommandOutcome> = (value) => {
  const { ok } = object({ ok: boolean })(value)
  const fields = value as Record<string, unknown>
  return ok
    ? { ok, ...readShape({ value: nullable(string) }, fields) }
    : { ok, ...readShape({ code: talkErrorCode, message: string }, fields) }
}

/**
 * The fields of each message, keyed by `type`; `readState` validates the host's state snapshot
 * (the store defines what is in it). Which channel carries each:
 * - `hello` (shared): a tab opened; the host answers with `state`.
 * - `state`, `event` (shared): the host's state after a change, and each Talk event with it.
 * - `left` (shared): the host stopped hosting: its frame left the page, or it handed Talk to `to`.
 * - `command` (the host's inbox), `result` (the asking tab's inbox): a forwarded command and its answer.
 * - `claim` (the host's inbox), `refused` (the claiming tab's inbox): "Use Talk in this tab", and a refusal.
 */
export function tabMessageFields<S>(readState: Validator<S>) {
  return {
    hello: {},
    state: { host: hostStamp, state: readState },
    event: { host: hostStamp, state: readState, event: talkEvent },
    left: { since: number, to: nullable(tabId) },
    command: { id: count, command: talkCommand },
    // No state when the tab asked no longer hosts Talk.
    result: { id: count, host: hostStamp, state: nullable(readState), outcome },
    claim: {},
    refused: { reason: string },
  } satisfies Record<string, Shape>
}

type Fields<S> = ReturnType<typeof tabMessageFields<S>>

/** The `type` of a message between tabs. */
export type TalkTabMessageType = keyof Fields<unknown>

/** A validated message between tabs (discriminated on `type`); `S` is the host's state snapshot. */
export type TalkTabMessage<S> = {
  [T in TalkTabMessageType]: Simplify<{ type: T, from: string } & InferShape<Fields<S>[T]>>
}[TalkTabMessageType]

/** A message as it is posted: the envelope is added by the sender. */
export type TalkTabOutgoing<S> = TalkTabMessage<S> extends infer M ? M extends { from: string } ? Omit<M, 'from'> : never : never

/** Validates one message from another tab; never throws. The reason never quotes the message. */
export function parseTabMessage<S>(data: unknown, fields: Fields<S>): { ok: true, message: TalkTabMessage<S> } | { ok: false, reason: string } {
  try {
    if (describeType(data) !== 'object') return { ok: false, reason: `Not a message between Talk tabs (${describeType(data)})` }
    const { app, v, type, from } = data as Record<string, unknown>
    if (app !== TABS_APP) return { ok: false, reason: 'Not a message between Talk tabs (no app marker)' }
    if (v !== TABS_VERSION) return { ok: false, reason: `A Talk tab speaks another message format (${typeof v == 'number' ? v : describeType(v)}, this tab speaks ${TABS_VERSION}): reload the older tab` }
    if (typeof type !== 'string' || !Object.hasOwn(fields, type)) return { ok: false, reason: 'A message between Talk tabs of an unknown type' }
    const shape = fields[type as TalkTabMessageType] as Shape
    const message = readShape(shape, data as Record<string, unknown>, { type, from: readShape({ from: tabId }, { from }).from })
    return { ok: true, message: message as TalkTabMessage<S> }
  }
  catch (issue) {
    return { ok: false, reason: issue instanceof SchemaIssue ? `Invalid message between Talk tabs: ${issue}` : 'A message between Talk tabs that is not plain data' }
  }
}
