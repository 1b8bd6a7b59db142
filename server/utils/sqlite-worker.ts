/**
 * The code of one SQLite thread: a better-sqlite3 connection that runs the statements the
 * main thread posts to it and posts back their rows, so a slow query blocks this thread and
 * never the server's event loop.
 *
 * `sqliteWorkerMain` runs in a worker started with `eval: true` from its own source text
 * (`sqliteWorkerSource()`): a bundled server (Nitro's `.output`) has no separate worker file to
 * point `new Worker()` at. So the function must be self-contained: it may use only its
 * parameters and globals, never a binding of this module.
 */
import type * as WorkerThreads from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'

/** What a worker is started with (its `workerData`). */
export interface SqliteWorkerData {
  /** Path of the better-sqlite3 module, resolved by the main thread (a bundled server has its own node_modules). */
  driver: string
  file: string
  /** Readers open the file read-only; the one writer sets the journal mode. */
  role: 'writer' | 'reader'
  /** How long a statement waits for a lock held by another connection or process (ms). */
  busyTimeout: number
}

/** A value bound to a `?` placeholder. */
export type SqliteValue = string | number | bigint | Uint8Array | null

/** One statement for the worker to run. */
export interface SqliteRequest {
  id: number
  sql: string
  params: SqliteValue[]
}

/** What a statement returned: its rows (a query or `RETURNING`), or what it changed. */
export interface SqliteResult {
  rows: Record<string, unknown>[]
  changes: number
  lastInsertRowid: number | bigint
}

/** A driver error as it crosses the thread boundary (its `code` is what db-errors.ts reads). */
export interface SqliteFailure {
  message: string
  code?: string
}

/** What a worker posts back: once `ready`/`failed` after opening, then one answer per request. */
export type SqliteResponse
  = | { type: 'ready' }
    | { type: 'failed', error: SqliteFailure }
    | { type: 'result', id: number, result: SqliteResult }
    | { type: 'error', id: number, error: SqliteFailure }

/** The worker's body (see the file comment: self-contained). */
export function sqliteWorkerMain(threads: typeof WorkerThreads, Database: typeof BetterSqlite3): void {
  const port = threads.parentPort!
  const data = threads.workerData as SqliteWorkerData
  const failure = (error: unknown): SqliteFailure => {
    const { message, code } = error as { message?: unknown, code?: unknown }
    return { message: String(message ?? error), code: typeof code === 'string' ? code : undefined }
  }
  const open = () => {
    const connection = new Database(data.file, { readonly: data.role === 'reader', timeout: data.busyTimeout })
    if (data.role === 'writer') {
      connection.pragma('journal_mode = WAL')
      // In WAL mode NORMAL loses no committed transaction on a process crash, only on power loss.
      connection.pragma('synchronous = NORMAL')
      // A 64 MiB page cache (filled only as used): an import's final transaction indexes every row
      // into the FTS5 tables, and with the default 2 MiB it spills pages and takes about twice as long.
      connection.pragma('cache_size = -65536')
    }
    return connection
  }
  let db: BetterSqlite3.Database
  try {
    db = open()
  }
  catch (error) {
    port.postMessage({ type: 'failed', error: failure(error) })
    return
  }
  // Prepared statements are kept per SQL text; the server issues a few hundred distinct ones.
  const statements = new Map<string, BetterSqlite3.Statement>()
  const prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      if (statements.size >= 500) statements.clear()
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
  // SQLite opens a file it may not write read-only, and the connection stays so after the file
  // becomes writable again: after a read-only failure the connection is opened anew, between
  // transactions, so the next statement writes as soon as it can.
  let reopen = false
  port.on('message', (request: SqliteRequest) => {
    try {
      if (reopen && !db.inTransaction) {
        db.close()
        statements.clear()
        db = open()
        reopen = false
      }
      const statement = prepare(request.sql)
      const result = statement.reader
        ? { rows: statement.all(...request.params) as Record<string, unknown>[], changes: 0, lastInsertRowid: 0 }
        : { rows: [], ...statement.run(...request.params) }
      port.postMessage({ type: 'result', id: request.id, result })
    }
    catch (error) {
      const problem = failure(error)
      if (data.role === 'writer' && problem.code?.startsWith('SQLITE_READONLY')) reopen = true
      port.postMessage({ type: 'error', id: request.id, error: problem })
    }
  })
  port.postMessage({ type: 'ready' })
}

/** The source text a worker is started from: the function above, called with its two modules. */
export function sqliteWorkerSource(): string {
  return `const threads = require('node:worker_threads');
(${sqliteWorkerMain.toString()})(threads, require(threads.workerData.driver));`
}
