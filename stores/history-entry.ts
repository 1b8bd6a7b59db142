import { parseTalkEvent } from '../protocol/index'
import type { TalkCompletedCall } from '../protocol/index'

/** One finished call in the history: Talk's final record plus when it reached this page. */
export type TalkHistoryEntry = TalkCompletedCall & {
  /** When the `completed` event arrived (epoch ms, local clock). */
  completedAt: number
}

/**
 * Reads one stored history record; returns `null` for anything that is not a valid entry
 * (an older format, another app's data in the same database, manual edits). Records are
 * validated with the protocol's own parser so storage can never hold what Talk could not send.
 */
export function readHistoryRecord(record: unknown): TalkHistoryEntry | null {
  if (typeof record !== 'object' || record === null) return null
  const completedAt = (record as { completedAt?: unknown }).completedAt
  if (typeof completedAt !== 'number' || !Number.isFinite(completedAt)) return null
  const parsed = parseTalkEvent({ action: 'completed', call: record })
  if (!parsed.ok || parsed.value.action !== 'completed') return null
  return { ...parsed.value.call, completedAt }
}

/** Merges two newest-first lists into one newest-first list without duplicate call ids, at most `limit` long. */
export function mergeHistory(a: readonly TalkHistoryEntry[], b: readonly TalkHistoryEntry[], limit: number): TalkHistoryEntry[] {
  const seen = new Set<number>()
  return [...a, ...b]
    .sort((x, y) => y.completedAt - x.completedAt)
    .filter(entry => !seen.has(entry.id) && seen.add(entry.id))
    .slice(0, limit)
}

/** Validates raw records in order until `limit` valid entries are found. */
export function readValid(records: Iterable<unknown>, limit: number, onSkipped?: (reason: string) => void): TalkHistoryEntry[] {
  const entries: TalkHistoryEntry[] = []
  for (const record of records) {
    if (entries.length >= limit) break
    const entry = readHistoryRecord(record)
    if (entry) entries.push(entry)
    else onSkipped?.('Skipped a stored call-history record that is not a valid Talk call')
  }
  return entries
}
