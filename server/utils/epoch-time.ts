import { badRequest } from './api-errors'

/**
 * Reads an optional client-side time (epoch milliseconds) as ISO 8601, or `null` when absent.
 * The browser queues calls and texts while offline, so the time it saw them is the one to keep.
 */
export function readEpochMillis(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null
  const date = typeof value === 'number' && Number.isFinite(value) ? new Date(value) : null
  if (!date || Number.isNaN(date.getTime())) throw badRequest(field, 'must be a time in epoch milliseconds')
  return date.toISOString()
}
