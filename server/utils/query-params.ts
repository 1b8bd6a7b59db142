import { getQuery, getRouterParam } from 'h3'
import type { H3Event } from 'h3'
import { badRequest, notFound } from './api-errors'

/** The page size when none is asked for. */
export const DEFAULT_LIMIT = 50
/** The largest page size; larger requests get this many. */
export const MAX_LIMIT = 200

/** One query parameter as a string, `undefined` when absent; 400 when given twice. */
export function queryString(event: H3Event, name: string): string | undefined {
  const value = getQuery(event)[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw badRequest(name, 'must be given once')
  return value
}

function wholeNumber(event: H3Event, name: string): number | undefined {
  const text = queryString(event, name)
  if (text === undefined) return undefined
  if (!/^\d{1,15}$/.test(text)) throw badRequest(name, 'must be a whole number')
  return Number(text)
}

/** `limit` (default 50, at most 200) and `offset` (default 0) from the query. */
export function readPaging(event: H3Event): { limit: number, offset: number } {
  const limit = wholeNumber(event, 'limit') ?? DEFAULT_LIMIT
  if (limit < 1) throw badRequest('limit', 'must be at least 1')
  return { limit: Math.min(limit, MAX_LIMIT), offset: wholeNumber(event, 'offset') ?? 0 }
}

/** A query parameter that must be one of `values`, or `undefined` when absent. */
export function readChoice<T extends string>(event: H3Event, name: string, values: readonly T[]): T | undefined {
  const text = queryString(event, name)
  if (text === undefined) return undefined
  if (!values.includes(text as T)) throw badRequest(name, `must be one of ${values.join(', ')}`)
  return text as T
}

/** The largest id a contact or SMS can have (a 32-bit INTEGER column in PostgreSQL). */
export const MAX_ROW_ID = 2_147_483_647

/** The numeric `:id` of the route; a 404 when no record can have it (not a whole number from 1 to MAX_ROW_ID). */
export function readIdParam(event: H3Event, what: string): number {
  const text = getRouterParam(event, 'id') ?? ''
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > MAX_ROW_ID) throw notFound(`No ${what} with id ${JSON.stringify(text.slice(0, 40))}`)
  return Number(text)
}
