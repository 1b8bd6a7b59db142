import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The repository root: bundle entries resolve packages and relative paths from here. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** What to bundle: a module's source text (resolved from the repository root), and what to leave out. */
export interface BundleEntry {
  /** Module source, e.g. `export * from './protocol/index.ts'` or `export * from 'penpal'`. */
  contents: string
  /** Imports kept out of the bundle (a host app ships them anyway), e.g. `['vue', 'pinia']`. */
  external?: string[]
}

/** Bytes of a bundle: minified, and minified then gzipped. */
export interface BundleSize {
  min: number
  gzip: number
}

/**
 * Bundles `entry` the way a browser app's build would (esbuild, ESM, browser, ES2022, minified,
 * nothing tree-shaken beyond what the entry re-exports) and gzips it at level 9, which is the
 * size a CRM page pays for the import.
 */
export async function measureBundle(entry: BundleEntry): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: entry.contents, resolveDir: ROOT, sourcefile: 'bench-entry.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: entry.external,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.contents
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength }
}

/** Formats a byte count with thin grouping, e.g. "12 828 B". */
export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US').replace(/,/g, ' ')} B`
}
