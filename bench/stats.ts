/** Middle value of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** The `p`-th percentile of `values` by linear interpolation between the nearest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low)
}

/** Formats milliseconds with a precision that suits the size, e.g. "0.42 ms", "12.3 ms", "250 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms < 1) return `${ms.toFixed(2)} ms`
  if (ms < 100) return `${ms.toFixed(1)} ms`
  return `${Math.round(ms)} ms`
}

/** Formats a count with thin grouping, e.g. "1 250 000". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US').replace(/,/g, ' ')
}

/** "median X · p95 Y (n=Z)" for a list of timings. */
export function describeTimings(values: readonly number[]): string {
  return `median ${formatMs(median(values))} · p95 ${formatMs(percentile(values, 95))} (n=${values.length})`
}
