import type { ApiErrorBody } from './api-types'

/** What went wrong with an API request, in words an agent can act on, plus the field a 400 blames. */
export interface ApiProblem {
  message: string
  status: number | null
  field: string | null
  reason: string | null
  /** Every invalid field a 400 names (`field` and `reason` are the first). */
  problems: { field: string, reason: string }[]
}

/** Reads an error thrown by `$fetch`/`useFetch` into a message for the screen. */
export function apiProblem(error: unknown): ApiProblem {
  const e = error as { statusCode?: number, status?: number, data?: Partial<ApiErrorBody>, message?: string, name?: string } | null
  const status = e?.statusCode ?? e?.status ?? e?.data?.statusCode ?? null
  const body = e?.data
  const field = body?.data?.field ?? null
  const reason = body?.data?.reason ?? null
  const problems = Array.isArray(body?.data?.problems) ? body.data.problems : []
  if (!status) return { message: 'The dashboard server cannot be reached. Check your connection and try again.', status: null, field, reason, problems }
  if (status === 503) return { message: 'The contact database is unavailable right now. Try again in a moment.', status, field, reason, problems }
  return { message: body?.message || e?.message || `Request failed (${status})`, status, field, reason, problems }
}

/** True when the error is an aborted (superseded) request, which is not a failure to show. */
export function isAbort(error: unknown): boolean {
  const e = error as { name?: string, cause?: { name?: string } } | null
  return e?.name === 'AbortError' || e?.cause?.name === 'AbortError'
}
