/**
 * A Kysely dialect for SQLite on worker threads (sqlite-workers.ts). Kysely's own SQLite
 * dialect calls a synchronous driver on the event loop; this one sends each statement to a
 * thread: SELECTs built with the query builder to a reader, raw `sql` queries (SELECT, WITH) to a
 * reader when SQLite says they only read rows, everything else (writes, DDL, PRAGMAs) to the
 * writer, and every statement of a transaction to the writer inside the transaction's turn.
 */
import { RawNode, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import type { DatabaseConnection, Dialect, Driver, Kysely, QueryResult, CompiledQuery } from 'kysely'
import type { SqliteValue } from './sqlite-worker'
import type { SqliteWorkers, WriterTurn } from './sqlite-workers'

function toSqliteValue(value: unknown): SqliteValue {
  if (value === undefined || value === null) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || value instanceof Uint8Array) return value
  throw new TypeError(`cannot bind a ${typeof value} to a SQLite statement`)
}

// A raw statement that may be a query (`WITH` may also lead an INSERT: the reader checks). PRAGMAs
// stay with the writer: they set up the connection that runs them.
const QUERY_TEXT = /^\s*(SELECT|WITH)\b/i

class WorkerConnection implements DatabaseConnection {
  /** Set while this connection holds the writer for a transaction. */
  turn: WriterTurn | null = null

  constructor(private readonly workers: SqliteWorkers) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const params = query.parameters.map(toSqliteValue)
    const result = this.turn
      ? await this.workers.writer.run(query.sql, params)
      : SelectQueryNode.is(query.query)
        ? await this.workers.read(query.sql, params)
        : RawNode.is(query.query) && QUERY_TEXT.test(query.sql)
          ? await this.workers.readOrWrite(query.sql, params)
          : await this.workers.write(query.sql, params)
    const writes = query.query.kind === 'InsertQueryNode' || query.query.kind === 'UpdateQueryNode' || query.query.kind === 'DeleteQueryNode'
    return {
      rows: result.rows as R[],
      numAffectedRows: writes ? BigInt(result.changes) : undefined,
      insertId: query.query.kind === 'InsertQueryNode' ? BigInt(result.lastInsertRowid) : undefined,
    }
  }

  // eslint-disable-next-line require-yield -- the server pages with keyset queries instead of streaming cursors
  async* streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on SQLite worker threads; page with keyset queries')
  }
}

class WorkerDriver implements Driver {
  constructor(private readonly workers: SqliteWorkers) {}

  async init(): Promise<void> {
    await this.workers.open()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WorkerConnection(this.workers)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const worker = connection as WorkerConnection
    const turn = await this.workers.takeWriter()
    try {
      // IMMEDIATE takes SQLite's write lock now, so another process's writer fails the BEGIN, not a later statement.
      await this.workers.writer.run('BEGIN IMMEDIATE', [])
    }
    catch (error) {
      turn.release()
      throw error
    }
    worker.turn = turn
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.finish(connection as WorkerConnection, 'COMMIT')
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.finish(connection as WorkerConnection, 'ROLLBACK')
  }

  private async finish(connection: WorkerConnection, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    try {
      await this.workers.writer.run(statement, [])
    }
    catch (error) {
      // A failed COMMIT leaves the transaction open: end it, or the next writer would join it.
      await this.workers.writer.run('ROLLBACK', []).catch(() => undefined)
      throw error
    }
    finally {
      connection.turn?.release()
      connection.turn = null
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.workers.close()
  }
}

/** The Kysely dialect for SQLite on `workers`. */
export function sqliteWorkerDialect(workers: SqliteWorkers): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new WorkerDriver(workers),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  }
}
