import { computed, shallowRef } from 'vue'
import type { ComputedRef } from 'vue'

/** A bounded list of recent items, as the store's `history`, `debugLog` and `smsLog` expose it. */
export interface RecentList<T> {
  /** Newest first, at most `limit` long; a new array after every change, built only when read. */
  readonly items: ComputedRef<readonly T[]>
  /** The newest item, if any. */
  newest(): T | undefined
  /** Adds an item as the newest one. */
  add(item: T): void
  /** Replaces every item with `newestFirst` (cut to the limit). */
  replace(newestFirst: readonly T[]): void
}

/** Whether a collection kept to `limit` has grown an eighth past it (at least 32): time to cut it back in one go. */
export function pastSlack(size: number, limit: number): boolean {
  return size > limit + Math.max(32, limit >> 3)
}

/**
 * Creates a bounded newest-first list whose `add` is O(1) amortised, whatever the limit.
 * Items are kept oldest first (adding is a push) and cut back to the limit only when an eighth
 * more have piled up (so at most 8 copied items per add); readers get a fresh newest-first
 * copy, built once per change and only if someone reads it, so a burst of events costs
 * nothing until the next render.
 */
export function createRecentList<T>(limit: () => number): RecentList<T> {
  let oldestFirst: T[] = []
  const version = shallowRef(0)
  return {
    items: computed(() => {
      void version.value
      return oldestFirst.slice(-limit()).reverse()
    }),
    newest: () => oldestFirst.at(-1),
    add(item) {
      oldestFirst.push(item)
      if (pastSlack(oldestFirst.length, limit())) oldestFirst = oldestFirst.slice(-limit())
      version.value++
    },
    replace(newestFirst) {
      oldestFirst = newestFirst.slice(0, limit()).reverse()
      version.value++
    },
  }
}
