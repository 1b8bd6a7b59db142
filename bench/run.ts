import { writeFileSync } from 'node:fs'
import { footprint } from './footprint'
import type { BenchModule, BenchRow } from './types'

/**
 * The benchmarks, in the order their rows are printed. To add one (event throughput, latency,
 * history append...), write `bench/<name>.ts` exporting a `BenchModule` and append it here.
 */
const MODULES: BenchModule[] = [footprint]

const COLUMNS = ['what', 'measured', 'comparison', 'target', 'pass'] as const

function cell(row: BenchRow, column: typeof COLUMNS[number]): string {
  if (column !== 'pass') return row[column]
  return row.pass === null ? '' : row.pass ? 'PASS' : 'FAIL'
}

function printTable(groups: { name: string, rows: BenchRow[] }[]): void {
  const rows = groups.flatMap(group => group.rows.map(row => ({ group: group.name, row })))
  const widths = COLUMNS.map(column => Math.max(column.length, ...rows.map(({ row }) => cell(row, column).length)))
  const line = (cells: string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i]!)).join(' | ')} |`
  console.log(line([...COLUMNS]))
  console.log(`|${widths.map(width => '-'.repeat(width + 2)).join('|')}|`)
  let group = ''
  for (const entry of rows) {
    if (entry.group !== group) {
      group = entry.group
      console.log(line(COLUMNS.map((_, i) => i === 0 ? `[${group}]` : '')))
    }
    console.log(line(COLUMNS.map(column => cell(entry.row, column))))
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const groups: { name: string, rows: BenchRow[] }[] = []
  // One after another: benchmarks that time things must not share the CPU with each other.
  for (const module of MODULES) groups.push({ name: module.name, rows: await module.run() })
  printTable(groups)
  if (args.includes('--json')) {
    const file = new URL('results.json', import.meta.url)
    const results = { date: new Date().toISOString(), node: process.version, results: Object.fromEntries(groups.map(g => [g.name, g.rows])) }
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
    console.log(`\nWrote ${file.pathname}`)
  }
  const failed = groups.flatMap(g => g.rows).filter(row => row.pass === false)
  if (failed.length) console.log(`\n${failed.length} row(s) miss their target.`)
  // Only with --check does a missed target fail the process (for CI); a plain run just reports.
  if (args.includes('--check') && failed.length) process.exitCode = 1
}

await main()
