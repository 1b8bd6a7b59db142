/** One line of the benchmark table. */
export interface BenchRow {
  /** What was measured, e.g. "protocol (all exports)". */
  what: string
  /** The measurement, with units, e.g. "8 139 B min · 3 599 B gz". */
  measured: string
  /** What it is compared with, e.g. "aircall-everywhere 2 755 B gz (x1.31)", or "" for a reference row. */
  comparison: string
  /** The goal, e.g. "<= aircall-everywhere gz", or "" when the row is only for comparison. */
  target: string
  /** Whether the target is met; `null` for a row without a target. */
  pass: boolean | null
}

/** A benchmark: one named group of rows in the table. */
export interface BenchModule {
  /** Short name, printed as the group heading and used as the key in bench/results.json. */
  name: string
  /** Measures and returns the rows; may take a few seconds, must not touch the network. */
  run: () => Promise<BenchRow[]>
}
