/**
 * Fresh consumer apps made the way users make them (a Nuxt 4 app, `npm create vite` with the
 * `vue-ts` template), into which the packed tarball is installed from the README's own
 * instructions. Shared by the package tests and the package-weight benchmark. Needs the npm
 * registry (the apps' own dependencies are installed like a user's).
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { productionEnv, run } from '../support/apps'

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..')

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

// Install scripts stay on (npm 11 would otherwise skip dependencies' scripts): a package that
// runs anything at install time must show up here as it would for a user of an older npm.
const INSTALL_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--dangerously-allow-all-scripts']

/** The versions this repository builds with, so consumers test what CI knows works on this Node. */
async function repoVersions(): Promise<Record<'nuxt' | 'vue' | 'vueRouter' | 'typescript' | 'vueTsc', string>> {
  const version = async (name: string) => (JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
  const [nuxt, vue, vueRouter, typescript, vueTsc] = await Promise.all(['nuxt', 'vue', 'vue-router', 'typescript', 'vue-tsc'].map(version))
  return { nuxt: nuxt!, vue: vue!, vueRouter: vueRouter!, typescript: typescript!, vueTsc: vueTsc! }
}

/** The packed package: the tarball's path and the files in it. */
export interface PackedPackage {
  tarball: string
  files: string[]
}

/** Packs the package as `npm publish` would (its `prepack` builds dist/) into `outDir`. */
export async function packPackage(outDir: string): Promise<PackedPackage> {
  await mkdir(outDir, { recursive: true })
  const output = await run(npm, ['pack', '--json', '--pack-destination', outDir], { cwd: ROOT, env: { ...process.env } })
  const [info] = JSON.parse(output.slice(output.indexOf('['))) as { filename: string, files: { path: string }[] }[]
  return { tarball: join(outDir, info!.filename), files: info!.files.map(file => file.path) }
}

/** One fenced code block of the README. */
export interface Snippet {
  lang: string
  code: string
}

/** The fenced code blocks below the README heading `## <heading>`, up to the next `## `. */
export async function readmeSnippets(heading: string): Promise<Snippet[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`)
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end < 0 ? undefined : end)
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(match => ({ lang: match[1]!, code: match[2]! }))
}

/** The shell commands of a snippet, comments and blank lines dropped. */
export function shellCommands(snippet: Snippet): string[][] {
  return snippet.code.split('\n').map(line => line.replace(/#.*$/, '').trim()).filter(Boolean).map(line => line.split(/\s+/))
}

/** Runs an `npm install …` line of the README with the tarball in place of the package name. */
export async function npmInstall(dir: string, command: string[], tarball: string): Promise<string> {
  if (command[0] !== 'npm' || command[1] !== 'install') throw new Error(`not an npm install line: ${command.join(' ')}`)
  const args = command.slice(2).map(arg => arg === 'nuxt-leaddesk-talk' ? tarball : arg)
  return run(npm, ['install', ...args, ...INSTALL_FLAGS], { cwd: dir, env: { ...process.env } })
}

/** Installs the app's own dependencies (`npm install` with no names). */
export function installApp(dir: string): Promise<string> {
  return run(npm, ['install', ...INSTALL_FLAGS], { cwd: dir, env: { ...process.env } })
}

/** The app files a Nuxt 4 project starts with (the minimal starter), with `app.vue` given. */
export async function createNuxtApp(dir: string, appVue: string, nuxtConfig = 'export default defineNuxtConfig({\n  compatibilityDate: \'2026-11-01\',\n})\n'): Promise<void> {
  const versions = await repoVersions()
  await mkdir(join(dir, 'app'), { recursive: true })
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({
    name: 'nuxt-consumer',
    private: true,
    type: 'module',
    scripts: { build: 'nuxt build', dev: 'nuxt dev', preview: 'nuxt preview', postinstall: 'nuxt prepare' },
    dependencies: { 'nuxt': versions.nuxt, 'vue': versions.vue, 'vue-router': versions.vueRouter },
    // What Nuxt's docs ask for `nuxi typecheck`; no @types/node.
    devDependencies: { 'typescript': versions.typescript, 'vue-tsc': versions.vueTsc },
  }, null, 2)}\n`)
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify({
    files: [],
    references: ['app', 'server', 'shared', 'node'].map(name => ({ path: `./.nuxt/tsconfig.${name}.json` })),
  }, null, 2)}\n`)
  await writeFile(join(dir, 'nuxt.config.ts'), nuxtConfig)
  await writeFile(join(dir, 'app/app.vue'), appVue)
}

/** Makes `npm create vite@<version> <name> -- --template vue-ts` in `parent`, as its docs say; returns the app's folder. */
export async function createViteVueApp(parent: string, name: string): Promise<string> {
  await mkdir(parent, { recursive: true })
  await run(npm, ['create', '-y', 'vite@9.3.0', name, '--', '--template', 'vue-ts', '--no-interactive'], { cwd: parent, env: { ...process.env } })
  return join(parent, name)
}

/** Builds a Nuxt app for production (`nuxi build`). */
export function buildNuxtApp(dir: string): Promise<string> {
  return run(npx, ['nuxi', 'build'], { cwd: dir, env: productionEnv() })
}

/** The app's `npm run build` (create-vite's is `vue-tsc -b && vite build`: a typecheck, then the bundle). */
export function buildViteApp(dir: string): Promise<string> {
  return run(npm, ['run', 'build'], { cwd: dir, env: productionEnv() })
}

/** Every copy of `name` installed below `dir`'s node_modules (a second copy of Pinia or Vue means two instances at run time). */
export async function installedCopies(dir: string, name: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (modules: string): Promise<void> => {
    let entries: string[]
    try {
      entries = await readdir(modules)
    }
    catch {
      return
    }
    for (const entry of entries) {
      const packages = entry.startsWith('@') ? (await readdir(join(modules, entry))).map(sub => `${entry}/${sub}`) : [entry]
      for (const pkg of packages) {
        const path = join(modules, pkg)
        if (pkg === name) {
          const { version } = JSON.parse(await readFile(join(path, 'package.json'), 'utf8')) as { version: string }
          found.push(`${path.slice(dir.length + 1)}@${version}`)
        }
        await walk(join(path, 'node_modules'))
      }
    }
  }
  await walk(join(dir, 'node_modules'))
  return found
}

/** Gzipped bytes (level 9) of every JavaScript file below `dir`: what the browser downloads. */
export async function gzippedJs(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue
    total += gzipSync(await readFile(join(entry.parentPath, entry.name)), { level: 9 }).byteLength
  }
  return total
}
