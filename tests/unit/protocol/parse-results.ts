import type { TalkParseResult } from '../../../protocol'

/** The error of a result that must be a rejection (throws, failing the test, otherwise). */
export function rejection<T>(result: TalkParseResult<T>) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`)
  return result.error
}

/** The value of a result that must be accepted (throws, failing the test, otherwise). */
export function accepted<T>(result: TalkParseResult<T>): T {
  if (!result.ok) throw new Error(`expected a message, got: ${result.error.message}`)
  return result.value
}
