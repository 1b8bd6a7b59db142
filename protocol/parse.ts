import { talkEventFields } from './messages'
import type { TalkEvent } from './messages'
import { describeType, readShape, SchemaIssue } from './schema'
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
  return { ok: false, error: { code, path, expected, received, message: String(new SchemaIssue(expected, received).at(path)) } }
}

/** Validates a message against a table of messages keyed by `action`; never throws. */
export function parseMessage<T>(table: Record<string, Shape>, data: unknown): TalkParseResult<T> {
  let action: unknown
  try {
    const type = describeType(data)
    if (type != 'object') return failure('not-an-object', '(message)', 'object', type)
    action = (data as Record<string, unknown>).action
    if (typeof action != 'string' || !Object.hasOwn(table, action)) {
      return failure('unknown-action', 'action', 'a known action', typeof action == 'string' ? `'${action.slice(0, 40)}'` : describeType(action))
    }
    return { ok: true, value: readShape(table[action]!, data as Record<string, unknown>, { action }) as T }
  }
  catch (issue) {
    if (issue instanceof SchemaIssue) return failure('invalid-field', issue.at(action as string).path, issue.expected, issue.received)
    // Only a hostile object (a throwing getter or a revoked proxy) gets here; postMessage clones never do.
    return failure('invalid-field', '(message)', 'plain data', 'a throwing object')
  }
}

/** Validates a message from Talk (`event.data`); never throws. */
export function parseTalkEvent(data: unknown): TalkParseResult<TalkEvent> {
  return parseMessage<TalkEvent>(talkEventFields, data)
}
