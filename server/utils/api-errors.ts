import { createError } from 'h3'
import type { H3Error } from 'h3'

/** What was wrong with an input: the field's name and the reason, both shown to the user. */
export interface FieldProblem {
  field: string
  reason: string
}

/** A 400 answer naming the field and the reason: `{ statusCode: 400, message, data: { field, reason } }`. */
export function badRequest(field: string, reason: string): H3Error<FieldProblem> {
  return createError({ statusCode: 400, statusMessage: 'Bad Request', message: `Invalid ${field}: ${reason}`, data: { field, reason } })
}

/**
 * A 400 naming every invalid field at once, so a form can mark them all: `data` is the first
 * problem (as `badRequest` gives it) plus `problems`, all of them in field order.
 */
export function badRequestAll(problems: readonly FieldProblem[]): H3Error<FieldProblem & { problems: FieldProblem[] }> {
  const [first] = problems
  const message = problems.length === 1 ? `Invalid ${first!.field}: ${first!.reason}` : `Invalid ${problems.map(p => p.field).join(', ')}`
  return createError({ statusCode: 400, statusMessage: 'Bad Request', message, data: { ...first!, problems: [...problems] } })
}

/** Reads the field and reason back from an error made by `badRequest`, or `null` for any other error. */
export function fieldProblem(error: unknown): FieldProblem | null {
  if (typeof error !== 'object' || error === null || (error as { statusCode?: unknown }).statusCode !== 400) return null
  const data = (error as { data?: unknown }).data as Partial<FieldProblem> | undefined
  return typeof data?.field === 'string' && typeof data.reason === 'string' ? { field: data.field, reason: data.reason } : null
}

/** A 404 answer for a missing record. */
export function notFound(message: string): H3Error {
  return createError({ statusCode: 404, statusMessage: 'Not Found', message })
}
