/**
 * Readiness: whether this instance should be sent traffic. Each check is a named function that
 * throws with a reason when its part cannot serve; `/api/health/ready` answers 503 naming the
 * checks that failed. Add a check to `READINESS_CHECKS` to make readiness mean more.
 */
import type { AppDatabase } from './db'
import { describeDatabaseError } from './db-errors'

/** One part of readiness: `run` resolves when the part can serve and throws with a reason otherwise. */
export interface ReadinessCheck {
  name: string
  run: (app: AppDatabase) => Promise<void>
}

/** The outcome of every check: `'ok'` or the reason it failed. */
export interface Readiness {
  ok: boolean
  checks: Record<string, string>
}

/** How long one check may take before it counts as failed (a database that hangs is not ready). */
export const CHECK_TIMEOUT_MS = 2000

/**
 * The database takes writes: one tiny committed change (the heartbeat row). A write lock, a
 * `SELECT 1` or a rolled-back change would pass on a full disk or a file opened read-only;
 * a commit has to reach the disk (SQLite's WAL, PostgreSQL's), and a standby or read-only
 * PostgreSQL refuses it.
 */
export const databaseTakesWrites: ReadinessCheck = {
  name: 'database',
  async run(app) {
    const result = await app.db.updateTable('health_heartbeat').set(eb => ({ beats: eb('beats', '+', 1), at: new Date().toISOString() })).where('id', '=', 1).executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new Error('the heartbeat row is missing')
  },
}

/** Every check readiness runs, in order. */
export const READINESS_CHECKS: ReadinessCheck[] = [databaseTakesWrites]

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([work, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    })])
  }
  finally {
    clearTimeout(timer)
  }
}

/** Runs the checks side by side and reports each. */
export async function checkReadiness(app: AppDatabase, checks: readonly ReadinessCheck[] = READINESS_CHECKS): Promise<Readiness> {
  const outcomes = await Promise.all(checks.map(async (check) => {
    try {
      await withTimeout(check.run(app), CHECK_TIMEOUT_MS)
      return [check.name, 'ok'] as const
    }
    catch (error) {
      const reason = (error as { data?: { reason?: unknown } }).data?.reason
      return [check.name, typeof reason === 'string' ? reason : describeDatabaseError(error)] as const
    }
  }))
  return { ok: outcomes.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(outcomes) }
}
