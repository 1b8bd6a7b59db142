import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SIMULATOR_PUBLIC_JWKS } from './dev-key'
import { SIMULATOR_HTML } from './index-html'

/** One file of the simulator: its name (relative to the page), content type and body. */
export interface SimulatorAsset {
  path: 'index.html' | 'simulator.js' | 'jwks.json'
  contentType: string
  body: string
}

/** Where the built package keeps the page's browser bundle, next to this file. */
export const SIMULATOR_SCRIPT_FILE = 'simulator-page.js'

let bundle: Promise<string> | undefined

/** Bundles page.ts (and what it imports) for the browser into one minified script. */
export async function buildSimulatorScript(): Promise<string> {
  // esbuild is a development dependency: only this repository bundles from source.
  const { build } = await import('esbuild')
  const result = await build({
    // Resolved from this file, not process.cwd(), so it works from any working directory.
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    // The repository's tsconfig references generated Nuxt files that may not exist; nothing in it matters here.
    tsconfigRaw: {},
  })
  return result.outputFiles[0]!.text
}

/**
 * The page's script, once per process: the published package ships it prebuilt beside this
 * file; from the repository's source it is bundled on first use.
 */
export function bundleSimulatorScript(): Promise<string> {
  bundle ??= readFile(new URL(`./${SIMULATOR_SCRIPT_FILE}`, import.meta.url), 'utf8')
    .catch(() => buildSimulatorScript())
    .catch((error: unknown) => {
      bundle = undefined
      throw error
    })
  return bundle
}

/** The three files of the simulator, built in memory. */
export async function simulatorAssets(): Promise<SimulatorAsset[]> {
  return [
    { path: 'index.html', contentType: 'text/html; charset=utf-8', body: SIMULATOR_HTML },
    { path: 'simulator.js', contentType: 'text/javascript; charset=utf-8', body: await bundleSimulatorScript() },
    { path: 'jwks.json', contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(SIMULATOR_PUBLIC_JWKS, null, 2)}\n` },
  ]
}

/** Writes `index.html`, `simulator.js` and `jwks.json` into `outDir` (created if missing), ready to be served under any path. */
export async function writeSimulator(outDir: string): Promise<void> {
  const assets = await simulatorAssets()
  await mkdir(outDir, { recursive: true })
  await Promise.all(assets.map(asset => writeFile(join(outDir, asset.path), asset.body)))
}
