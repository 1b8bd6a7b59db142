import { badRequest } from './api-errors'

/** The earliest client-side time accepted: 2000-01-01T00:00:00Z. */
export const EARLIEST_EPOCH_MILLIS = Date.UTC(2000, 0, 1)
/** The first client-side time no longer accepted: 2100-01-01T00:00:00Z. A fixed bound, not "now": a client clock may run ahead. */
export const END_EPOCH_MILLIS = Date.UTC(2100, 0, 1)

/**
 * Reads an optional client-side time (whole epoch milliseconds, in 2000-2099) as ISO 8601, or
 * `null` when absent. The browser queues calls and texts while offline, so the time it saw them
 * is the one to keep; a time outside that range (year -1, 1e15) is a broken clock or forged.
 */
export function readEpochMillis(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badRequest(field, 'must be a time in whole epoch milliseconds')
  if (value < EARLIEST_EPOCH_MILLIS || value >= END_EPOCH_MILLIS) throw badRequest(field, 'must be a time from 2000-01-01 to 2099-12-31 (epoch milliseconds)')
  return new Date(value).toISOString()
}
