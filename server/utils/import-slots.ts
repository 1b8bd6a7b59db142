/**
 * How many CSV imports one server instance runs at once. An import streams, so each costs
 * little memory, but all of them share the database's writer at their final transaction:
 * beyond the limit the answer is 429 with `Retry-After`, before any of the upload is read.
 * The count is per instance (N instances take up to N x the limit).
 */
import { createError } from 'h3'
import type { H3Error } from 'h3'

/** Imports one instance runs at once unless `LEADDESK_TALK_MAX_IMPORTS` says otherwise. */
export const DEFAULT_MAX_IMPORTS = 2
/** Seconds a refused client is asked to wait. */
export const IMPORT_RETRY_AFTER_SECONDS = 5

/** A counter of running imports with a fixed maximum. */
export interface ImportSlots {
  /** Takes a slot and returns its release, or `null` when all are taken. */
  take: () => (() => void) | null
  readonly max: number
}

/** Slots for at most `max` imports at once. */
export function createImportSlots(max: number): ImportSlots {
  let running = 0
  return {
    max,
    take() {
      if (running >= max) return null
      running++
      let released = false
      return () => {
        if (released) return
        released = true
        running--
      }
    },
  }
}

let shared: ImportSlots | null = null

/** The process-wide slots, sized from `LEADDESK_TALK_MAX_IMPORTS` on first use. */
export function useImportSlots(env: Record<string, string | undefined> = process.env): ImportSlots {
  const configured = Number(env.LEADDESK_TALK_MAX_IMPORTS?.trim())
  shared ??= createImportSlots(Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_IMPORTS)
  return shared
}

/** The 429 for an import beyond the limit. */
export function importsBusy(max: number): H3Error {
  return createError({
    statusCode: 429,
    statusMessage: 'Too Many Requests',
    message: `${max} imports are running already; try again in ${IMPORT_RETRY_AFTER_SECONDS} s`,
    data: { field: 'body', reason: 'too many imports at once' },
  })
}
