/**
 * The commands a page can post to Talk, one definition each; the command types are derived
 * from this table. The protocol entry exports only those types: the bridge builds every command
 * itself, so only the simulator (which receives them) validates commands with this table.
 */
import type { Messages } from './messages'
import { boolean, jsonRecord, optional, string } from './schema'
import type { Shape } from './schema'

/** Settings `useSettings` carries; the bridge keeps only these (nothing uncloneable is re-sent after each login). */
export const talkSettingsFields = { preventManualCalling: optional(boolean) } satisfies Shape

/** Fields of every command the host page can post to Talk, keyed by `action`. */
export const talkCommandFields = {
  useSettings: talkSettingsFields,
  call: { number: string, autocall: boolean },
  answer: {},
  hangup: {},
  reset: {},
  setStatus: { enabled: boolean },
  setMetadata: { metadata: jsonRecord },
  getJwt: {},
} satisfies Record<string, Shape>

/** The `action` of a command sent to Talk. */
export type TalkCommandAction = keyof typeof talkCommandFields

/** Every command the page can send, by action. */
export type TalkCommandMap = Messages<typeof talkCommandFields>

/** A command for Talk (discriminated on `action`). */
export type TalkCommand = TalkCommandMap[TalkCommandAction]

/** Settings accepted by the `useSettings` command. */
export type TalkSettings = Omit<TalkCommandMap['useSettings'], 'action'>
/** Contact data for `setMetadata` (plain JSON). */
export type TalkMetadata = TalkCommandMap['setMetadata']['metadata']
