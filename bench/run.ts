import { writeFileSync } from 'node:fs'
import { callLog } from './dashboard/call-log'
import { contactSearch } from './dashboard/contact-search'
import { latency } from './dashboard/latency'
import { closeDashboardSession } from './dashboard/session'
import { tabLatency } from './dashboard/tabs'
import { dashboardWeight } from './dashboard/weight'
import { footprint } from './footprint'
import { historyAppend } from './history-append'
import { packageWeight } from './package-weight'
import { serverScale } from './server-scale'
import { throughput } from './throughput'
import type { BenchModule, BenchRow } from './types'

/**
 * The benchmarks, in the order their rows are printed. To add one, write `bench/<name>.ts`
 * exporting a `BenchModule` and append it here. The dashboard ones share one build and server
 * (bench/dashboard/session.ts), started by the first of them that runs.
 */
const MODULES: BenchModule[] = [footprint, packageWeight, throughput, historyAppend, latency, tabLatency, contactSearch, callLog, dashboardWeight, serverScale]

/** Names given with `--only a,b` (or `--only a --only b`); empty means every module. */
function selected(args: string[]): Set<string> {
  const names = args.flatMap((arg, i) => args[i - 1] === '--only' ? arg.split(',') : arg.startsWith('--only=') ? arg.slice(7).split(',') : [])
  const unknown = names.filter(name => !MODULES.some(m => m.name === name))
  if (unknown.length) throw new Error(`unknown row(s) ${unknown.join(', ')}; choose from ${MODULES.map(m => m.name).join(', ')}`)
  return new Set(names)
}

/** Runs one module; a module that cannot run (the dashboard missing a page, no Chromium) yields an "n/a" row instead of ending the run. */
async function runModule(module: BenchModule): Promise<BenchRow[]> {
  const started = performance.now()
  try {
    const rows = await module.run()
    console.error(`[bench] ${module.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return rows
  }
  catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160)
    console.error(`[bench] ${module.name} could not run: ${error instanceof Error ? error.stack : String(error)}`)
    return [{ what: module.name, measured: `n/a: ${reason}`, comparison: '', target: '', pass: null }]
  }
}

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
  const only = selected(args)
  const groups: { name: string, rows: BenchRow[] }[] = []
  try {
    // One after another: benchmarks that time things must not share the CPU with each other.
    for (const module of MODULES.filter(m => !only.size || only.has(m.name))) groups.push({ name: module.name, rows: await runModule(module) })
  }
  finally {
    await closeDashboardSession()
  }
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
