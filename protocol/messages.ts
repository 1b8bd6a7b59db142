/**
 * The LeadDesk Talk postMessage protocol, one definition per message, in both directions
 * (commands in ./commands.ts). Every TypeScript type for the wire format is derived from these
 * tables, so a field is described exactly once (see ../shared/spec/leaddesk-talk-postmessage-api.txt).
 *
 * Readings chosen where the spec is loose (also in docs/protocol.md, "Protocol readings"):
 * - `number`, `to` and `from` may arrive as numbers or strings; they are normalised to strings.
 *   A number must be whole and non-negative (`1e21` or `1.5` is no phone number).
 * - `duration` of `completed` is whole seconds, 0 to a week.
 * - Optional fields (`recordUrl` of `disconnected`, `callId` of `sms`) may be missing or `null`.
 * - Nullable fields of `completed.call` may also be missing; a missing one reads as `null`.
 * - Timestamps are kept as the strings Talk sent; `parseTalkTime` converts them.
 * - Unknown extra fields are ignored and not copied, so a newer Talk keeps working.
 */
import { boolean, nullable, number, object, oneOf, optional, phone, string, wholeNumber } from './schema'
import type { InferShape, Shape, Simplify } from './schema'

const direction = oneOf('in', 'out')

/** Fields of every message Talk posts to the host page, keyed by `action`. */
export const talkEventFields = {
  login: { language: string, origin: string },
  logout: {},
  call: { id: number, number: phone, direction, ringStart: string },
  connected: { callStart: string },
  disconnected: { callEnd: string, recordUrl: optional(string) },
  completed: {
    call: object({
      id: number,
      direction,
      to: nullable(phone),
      from: nullable(phone),
      answered: boolean,
      callStart: nullable(string),
      talkStart: nullable(string),
      callEnd: nullable(string),
      // Seconds; a week bounds what one call can last.
      duration: nullable(wholeNumber(0, 604_800)),
      comment: nullable(string),
      recordUrl: nullable(string),
      reason: nullable(object({ name: string, logicalName: nullable(string) })),
    }),
  },
  sms: { sms: string, callId: optional(number) },
  error: { message: string },
  jwt: { jwt: string },
} satisfies Record<string, Shape>

/** The messages of a table, by action. */
export type Messages<T extends Record<string, Shape>> = { [A in keyof T & string]: Simplify<{ action: A } & InferShape<T[A]>> }

/** The `action` of a message Talk posts. */
export type TalkEventAction = keyof typeof talkEventFields

/** Every message Talk posts, by action. */
export type TalkEventMap = Messages<typeof talkEventFields>

/** A validated message from Talk (discriminated on `action`). */
export type TalkEvent = TalkEventMap[TalkEventAction]

/** `login`: the agent logged in; carries the language and Talk's own origin. */
export type TalkLoginEvent = TalkEventMap['login']
/** `logout`: the agent logged out and cannot make calls. */
export type TalkLogoutEvent = TalkEventMap['logout']
/** `call`: a new call is ringing (inbound or outbound). */
export type TalkCallEvent = TalkEventMap['call']
/** `connected`: the ringing call was answered. */
export type TalkConnectedEvent = TalkEventMap['connected']
/** `disconnected`: the call ended; wrap-up follows. */
export type TalkDisconnectedEvent = TalkEventMap['disconnected']
/** `completed`: wrap-up is done and the call record is final. */
export type TalkCompletedEvent = TalkEventMap['completed']
/** The finalised call record inside a `completed` event. */
export type TalkCompletedCall = TalkCompletedEvent['call']
/** `sms`: the agent sent a text message. */
export type TalkSmsEvent = TalkEventMap['sms']
/** `error`: Talk reports a failed action ('general' or 'unknown error'). */
export type TalkErrorEvent = TalkEventMap['error']
/** `jwt`: a token signed with audience 'cti', answering `getJwt`. */
export type TalkJwtEvent = TalkEventMap['jwt']
/** Call direction as Talk reports it. */
export type TalkDirection = TalkCallEvent['direction']

/** Every action Talk may post, in spec order. */
export const talkEventActions = Object.keys(talkEventFields) as TalkEventAction[]
