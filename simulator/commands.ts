/**
 * Validation of the commands a host page posts to Talk. Only the simulator needs it: it plays
 * Talk's side of the wire, while a page builds its commands through the bridge.
 */
import { talkCommandFields } from '../protocol/commands'
import type { TalkCommand, TalkCommandAction } from '../protocol/commands'
import { parseMessage } from '../protocol/parse'
import type { TalkParseResult } from '../protocol/parse'

export { talkCommandFields }

/** Every command action Talk accepts, in spec order. */
export const talkCommandActions = Object.keys(talkCommandFields) as TalkCommandAction[]

/** Validates a command addressed to Talk (what the simulator receives); never throws. */
export function parseTalkCommand(data: unknown): TalkParseResult<TalkCommand> {
  return parseMessage<TalkCommand>(talkCommandFields, data)
}
