import { createError } from 'h3'
import type { H3Error } from 'h3'

// Friendly words for the failures an operator can act on; anything else keeps the driver's first line.
const REASONS: Record<string, string> = {
  'ECONNREFUSED': 'connection refused',
  'ECONNRESET': 'the connection was reset',
  'ENOTFOUND': 'the database host was not found',
  'ETIMEDOUT': 'the connection timed out',
  'EACCES': 'permission denied',
  'ENOTDIR': 'the database directory cannot be created',
  // mkdir -p reports EEXIST when a file stands where a directory of the path should be.
  'EEXIST': 'the database directory cannot be created',
  'ENOSPC': 'the disk is full',
  'EROFS': 'the file system is read-only',
  'SQLITE_BUSY': 'the database is locked by another process',
  'SQLITE_LOCKED': 'the database is locked',
  'SQLITE_FULL': 'the disk is full',
  'SQLITE_CANTOPEN': 'the database file cannot be opened',
  'SQLITE_READONLY': 'the database is read-only',
  'SQLITE_IOERR': 'a disk I/O error occurred',
  'SQLITE_CORRUPT': 'the database file is corrupt',
  'SQLITE_NOTADB': 'the file is not a database',
  'SQLITE_PERM': 'permission denied',
  // PostgreSQL SQLSTATEs
  '28P01': 'password authentication failed',
  '28000': 'the role may not log in',
  '3D000': 'the database does not exist',
  '53100': 'the disk is full',
  '53300': 'too many connections',
  '57P01': 'the server ended the connection (shutdown or administrator command)',
  '57P03': 'the server is starting up',
  '25006': 'the database is read-only',
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, cause } = error as { code?: unknown, cause?: unknown }
  if (typeof code === 'string' && code in REASONS) return code
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const base = code.replace(/^(SQLITE_[A-Z]+).*$/, '$1')
    if (base in REASONS) return base
  }
  return cause ? errorCode(cause) : typeof code === 'string' ? code : undefined
}

/** A short, log-safe description of a driver error (no SQL, no parameters, no stack). */
export function describeDatabaseError(error: unknown): string {
  const code = errorCode(error)
  if (code && REASONS[code]) return REASONS[code]!
  const message = error instanceof Error ? error.message : String(error)
  const firstLine = message.split('\n')[0]!.replace(/^\w*Error:\s*/, '').trim()
  return (firstLine || 'unknown error').slice(0, 160)
}

let lastLogged = { reason: '', at: 0 }

// Operators need to see an outage in the log, but not one line per request while it lasts.
function logOutage(reason: string): void {
  const now = Date.now()
  if (reason === lastLogged.reason && now - lastLogged.at < 60_000) return
  lastLogged = { reason, at: now }
  console.error(`[leaddesk-talk] The database is unavailable: ${reason}`)
}

/** Turns any driver failure into the API's 503 answer: `{ statusCode: 503, message: 'The database is unavailable: ...' }`. */
export function databaseUnavailable(error: unknown): H3Error {
  const reason = describeDatabaseError(error)
  logOutage(reason)
  return createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: `The database is unavailable: ${reason}`, data: { reason } })
}

/** Whether an error is the 503 made by `databaseUnavailable` (so it is not wrapped twice). */
export function isDatabaseUnavailable(error: unknown): error is H3Error {
  return typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === 503
    && String((error as { message?: unknown }).message).startsWith('The database is unavailable')
}
