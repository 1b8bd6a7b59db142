import { talkCommandFields, talkEventFields } from './messages'
import type { TalkCommand, TalkEvent } from './messages'
import { describeType, isRecord, readShape, SchemaIssue } from './schema'
import type { Shape } from './schema'

/** Why a message was rejected: the field path, what it should have been, what it was. */
export interface TalkParseError {
  /** `not-an-object`, `unknown-action` (a newer Talk, or not a Talk message) or `invalid-field`. */
  code: 'not-an-object' | 'unknown-action' | 'invalid-field'
  /** Dotted path of the offending field, e.g. `completed.call.duration`. */
  path: string
  expected: string
  received: string
  /** One line for logs and diagnostics, e.g. "completed.call.duration: expected number or null, got string". */
  message: string
}

/** The outcome of parsing one message: the typed message, or why it was rejected. */
export type TalkParseResult<T> = { ok: true, value: T } | { ok: false, error: TalkParseError }

function failure(code: TalkParseError['code'], path: string, expected: string, received: string): { ok: false, error: TalkParseError } {
  const issue = new SchemaIssue(path, expected, received)
  return { ok: false, error: { code, path, expected, received, message: String(issue) } }
}

function parseMessage<T>(table: Record<string, Shape>, data: unknown): TalkParseResult<T> {
  try {
    if (!isRecord(data)) return failure('not-an-object', '(message)', 'object', describeType(data))
    const action = data.action
    if (typeof action !== 'string' || !Object.hasOwn(table, action)) {
      const received = typeof action === 'string' ? `'${action.slice(0, 40)}'` : describeType(action)
      return failure('unknown-action', 'action', 'a known action', received)
    }
    return { ok: true, value: { action, ...readShape(table[action]!, data, action) } as T }
  }
  catch (issue) {
    if (issue instanceof SchemaIssue) return failure('invalid-field', issue.path, issue.expected, issue.received)
    // Only a hostile object (a throwing getter or a revoked proxy) gets here; postMessage clones never do.
    return failure('invalid-field', '(message)', 'plain data', 'a throwing object')
  }
}

/** Validates a message from Talk (`event.data`); never throws. */
export function parseTalkEvent(data: unknown): TalkParseResult<TalkEvent> {
  return parseMessage<TalkEvent>(talkEventFields, data)
}

/** Validates a command addressed to Talk (used by the simulator); never throws. */
export function parseTalkCommand(data: unknown): TalkParseResult<TalkCommand> {
  return parseMessage<TalkCommand>(talkCommandFields, data)
}
