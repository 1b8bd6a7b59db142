/**
 * Many completed calls in one request: what the browser outbox sends after the server was
 * away, or when calls complete faster than one request each could keep up with.
 */
import { badRequest, fieldProblem } from './api-errors'
import { parseCallInput, recordCall } from './calls'
import type { CallInput } from './calls'
import type { Db } from './database-schema'
import { inTransaction } from './db-handle'

/** The most calls one batch may carry. */
export const MAX_BATCH_CALLS = 50
/** The largest batch body accepted: room for `MAX_BATCH_CALLS` calls with every text field at its limit. */
export const MAX_BATCH_BYTES = 1024 * 1024

/** What happened to one call of a batch, in the order the calls were sent. */
export type CallBatchResult
  = | { id: number, status: 'created' | 'exists' }
  /** Refused for what it is (like a 400 from `POST /api/calls`): sending it again cannot help. */
    | { id: number | null, status: 'refused', field: string, reason: string }

/** Validates the shape `{ calls: [...] }` (1 to `MAX_BATCH_CALLS` items) and returns the items, each still unchecked. */
export function parseCallBatch(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body', 'must be a JSON object with a calls array')
  const calls = (body as { calls?: unknown }).calls
  if (!Array.isArray(calls) || calls.length === 0 || calls.length > MAX_BATCH_CALLS) throw badRequest('calls', `must be an array of 1 to ${MAX_BATCH_CALLS} calls`)
  return calls
}

/**
 * Stores every valid call of a batch in one transaction and refuses the invalid ones one by
 * one, so a single bad record never holds the others back. A database failure stores none
 * and is thrown (the client keeps them all and retries).
 */
export async function recordCallBatch(db: Db, items: readonly unknown[]): Promise<CallBatchResult[]> {
  const results: CallBatchResult[] = []
  const valid: { index: number, input: CallInput }[] = []
  items.forEach((item, index) => {
    try {
      valid.push({ index, input: parseCallInput(item) })
    }
    catch (error) {
      const problem = fieldProblem(error)
      if (!problem) throw error
      const id = (item as { id?: unknown } | null)?.id
      results[index] = { id: Number.isSafeInteger(id) ? id as number : null, status: 'refused', ...problem }
    }
  })
  await inTransaction(db, async (trx) => {
    for (const { index, input } of valid) {
      const { created } = await recordCall(trx, input)
      results[index] = { id: input.call.id, status: created ? 'created' : 'exists' }
    }
  })
  return results
}
