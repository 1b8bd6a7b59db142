import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const SKIP = new Set(['node_modules', '.nuxt', '.output', '.data', 'dist', 'coverage', '.git', 'tests', 'simulator'])

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.(?:ts|vue|mjs|js)$/.test(entry.name)) yield path
  }
}

/** The argument text of every `postMessage(...)` call in `source` (balanced parentheses). */
function postMessageArguments(source: string): string[] {
  const found: string[] = []
  for (let at = source.indexOf('postMessage('); at !== -1; at = source.indexOf('postMessage(', at + 1)) {
    let depth = 0
    let end = at + 'postMessage'.length
    for (; end < source.length; end++) {
      if (source[end] === '(') depth++
      else if (source[end] === ')' && --depth === 0) break
    }
    found.push(source.slice(at + 'postMessage('.length, end))
  }
  return found
}

/** Every `postMessage` call outside simulator/ and tests/ whose arguments name the '*' target, as `file: arguments`. */
export function wildcardPostMessages(root: string): string[] {
  const hits: string[] = []
  for (const file of sourceFiles(root)) {
    for (const args of postMessageArguments(readFileSync(file, 'utf8'))) {
      if (/(['"`])\*\1/.test(args)) hits.push(`${relative(root, file)}: ${args}`)
    }
  }
  return hits
}
