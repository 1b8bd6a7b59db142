import { PostgresAdapter } from 'kysely'
import type { Transaction } from 'kysely'
import type { DatabaseSchema, Db } from './database-schema'
import type { Dialect } from './migrations'

/** Runs `work` in a transaction of its own, or inside the transaction `db` already is (nested calls join the outer one). */
export function inTransaction<T>(db: Db, work: (trx: Transaction<DatabaseSchema>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DatabaseSchema>) : db.transaction().execute(work)
}

/** The engine under a handle, for the few queries that differ between SQLite and PostgreSQL. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgresql' : 'sqlite'
}
