/**
 * One database connection per process, used by one statement or one transaction at a time.
 *
 * db0's connectors hold a single connection (PostgreSQL) or hand out pooled ones per call
 * (libsql), and db0 has no transaction API. A `BEGIN` sent while other requests keep querying
 * would pull their statements into the transaction (and roll them back with it), so every
 * statement waits its turn behind a lock, and a transaction holds the lock until it settles.
 * Statements issued inside the transaction (found through AsyncLocalStorage) go to the
 * transaction's session, so transaction code uses the same `Database` object as the rest.
 *
 * Driver failures become the API's 503 (see db-errors.ts), and the connection is reopened on
 * the next statement, so the dashboard recovers on its own when the database comes back.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { createDatabase } from 'db0'
import type { Connector, Database, Primitive, PreparedStatement, Statement } from 'db0'
import { databaseUnavailable, isDatabaseUnavailable } from './db-errors'

/** How a statement's result is read: every row, the first row, or the run summary. */
export type StatementMethod = 'all' | 'get' | 'run'

/** An open transaction: statements run on it, then it is committed or rolled back. */
export interface TransactionSession {
  query: (sql: string, params: Primitive[], method: StatementMethod) => Promise<unknown>
  commit: () => Promise<void>
  rollback: () => Promise<void>
}

/** How to wrap a db0 connector. */
export interface GuardedConnectionOptions {
  /** The db0 connector doing the work. */
  connector: Connector
  /** Runs before the first statement of each (re)opened connection, e.g. PRAGMAs or `SET search_path`. */
  setup?: (exec: (sql: string) => Promise<unknown>) => Promise<void>
  /** Opens a transaction; the default sends BEGIN/COMMIT/ROLLBACK through the connector (right for one pg.Client). */
  begin?: (connector: Connector) => Promise<TransactionSession>
}

type Transactor = <T>(work: () => Promise<T>) => Promise<T>

const transactors = new WeakMap<Database, Transactor>()

function createLock() {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work)
    tail = result.catch(() => undefined)
    return result
  }
}

const runStatement = (connector: Connector, sql: string, params: Primitive[], method: StatementMethod) =>
  connector.prepare(sql)[method](...params)

async function beginWithStatements(connector: Connector): Promise<TransactionSession> {
  await connector.exec('BEGIN')
  return {
    query: async (sql, params, method) => runStatement(connector, sql, params, method),
    commit: async () => {
      await connector.exec('COMMIT')
    },
    rollback: async () => {
      await connector.exec('ROLLBACK')
    },
  }
}

/** Creates a db0 `Database` whose statements and transactions are serialised and whose failures are 503s. */
export function createGuardedDatabase({ connector, setup, begin = beginWithStatements }: GuardedConnectionOptions): Database {
  const locked = createLock()
  const current = new AsyncLocalStorage<TransactionSession>()
  let ready: Promise<void> | null = null

  const reopen = async () => {
    ready = null
    try {
      await connector.dispose?.()
    }
    catch {
      // The old connection is already broken; a fresh one is opened on the next statement.
    }
  }

  const ensureReady = () => {
    ready ??= setup ? setup(sql => Promise.resolve(connector.exec(sql))) : Promise.resolve()
    return ready
  }

  // Runs one driver call and turns its failure into a 503; outside a transaction it queues behind the lock.
  const guarded = async <T>(work: (session: TransactionSession | undefined) => T | Promise<T>): Promise<T> => {
    const session = current.getStore()
    const direct = async () => {
      try {
        await ensureReady()
        return await work(session)
      }
      catch (error) {
        if (isDatabaseUnavailable(error)) throw error
        if (!session) await reopen()
        throw databaseUnavailable(error)
      }
    }
    return session ? direct() : locked(direct)
  }

  const transaction: Transactor = work => current.getStore()
    ? work()
    : locked(async () => {
        let session: TransactionSession
        try {
          await ensureReady()
          session = await begin(connector)
        }
        catch (error) {
          await reopen()
          throw databaseUnavailable(error)
        }
        let result
        try {
          result = await current.run(session, work)
        }
        catch (error) {
          try {
            await session.rollback()
          }
          catch {
            await reopen()
          }
          throw error
        }
        try {
          await session.commit()
        }
        catch (error) {
          // A failed COMMIT leaves the connection's transaction state unknown: start over.
          await reopen()
          throw databaseUnavailable(error)
        }
        return result
      })

  const statement = (sql: string): Statement => {
    const run = (params: Primitive[], method: StatementMethod) => guarded((session) => {
      const values = params.map(p => p === undefined ? null : p)
      return session ? session.query(sql, values, method) : runStatement(connector, sql, values, method)
    })
    const bound = (params: Primitive[]): PreparedStatement => ({
      bind: (...next) => bound(next),
      all: () => run(params, 'all') as Promise<unknown[]>,
      run: () => run(params, 'run') as Promise<{ success: boolean }>,
      get: () => run(params, 'get'),
    })
    return {
      bind: (...params) => bound(params),
      all: (...params) => run(params, 'all') as Promise<unknown[]>,
      run: (...params) => run(params, 'run') as Promise<{ success: boolean }>,
      get: (...params) => run(params, 'get'),
    }
  }

  const db = createDatabase({
    name: connector.name,
    dialect: connector.dialect,
    capabilityOverrides: connector.capabilityOverrides,
    getInstance: () => connector.getInstance(),
    exec: sql => guarded(session => session ? session.query(sql, [], 'run') : connector.exec(sql)),
    prepare: statement,
    dispose: () => locked(async () => {
      await connector.dispose?.()
    }),
  })
  transactors.set(db, transaction)
  return db
}

/**
 * Runs `work` in one transaction: everything it writes is committed together, or nothing is
 * when it throws. Nested calls join the outer transaction.
 */
export function withTransaction<T>(db: Database, work: () => Promise<T>): Promise<T> {
  const transaction = transactors.get(db)
  if (!transaction) throw new Error('withTransaction needs a database made by createGuardedDatabase')
  return transaction(work)
}
