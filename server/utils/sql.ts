import type { Database, Primitive } from 'db0'

/** Runs a query and returns its rows typed as `T` (the caller's SELECT decides the columns). */
export async function selectRows<T>(db: Database, sql: string, params: Primitive[] = []): Promise<T[]> {
  return await db.prepare(sql).all(...params) as T[]
}

/** Runs a query and returns its first row, or `null`. */
export async function selectRow<T>(db: Database, sql: string, params: Primitive[] = []): Promise<T | null> {
  const rows = await selectRows<T>(db, sql, params)
  return rows[0] ?? null
}

/** Runs a statement that returns no rows. */
export async function execute(db: Database, sql: string, params: Primitive[] = []): Promise<void> {
  await db.prepare(sql).run(...params)
}

/** `(?, ?), (?, ?)` for a multi-row INSERT of `rows` rows with `columns` values each. */
export function valuesPlaceholders(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`
  return Array.from({ length: rows }, () => row).join(', ')
}

/** Reads a numeric column: PostgreSQL returns BIGINT and COUNT(*) as strings. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value)
}

/** Splits `items` into chunks of at most `size` (multi-row INSERTs stay under the drivers' parameter limits). */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
