import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'vite'
import vue from '@vitejs/plugin-vue'
import { productionEnv, run } from '../tests/support/apps'
import { gzippedJs, packPackage, readmeSnippets, ROOT } from '../tests/package/consumers'
import type { Snippet } from '../tests/package/consumers'
import { formatBytes } from './bundle-size'
import type { BenchModule, BenchRow } from './types'

// The last commit that shipped TypeScript source instead of compiled files: measured in the same run, for the record of growth.
const BEFORE_COMPILING = 'e2bd8d6'

// The library's layers as the repository has them, and the entries the source package exported.
const LIBRARY = ['vue.ts', 'protocol', 'stores', 'composables', 'components', 'modules', 'simulator', 'tabs']
const SOURCE_EXPORTS = { '.': './modules/leaddesk-talk/index.ts', './protocol': './protocol/index.ts', './vue': './vue.ts', './simulator': './simulator/index.ts' }

// Inside the repository, so the apps resolve vue, pinia, vite and nuxt from its node_modules
// (no registry), while `nuxt-leaddesk-talk` resolves to the packed tarball unpacked beside them.
const WORK = join(ROOT, 'bench/.package-weight')

const BASELINE_VUE = `<script setup lang="ts">
import { ref } from 'vue'
const status = ref('offline')
</script>

<template>
  <p>Status: {{ status }}</p>
  <button @click="status = 'ringing'">Call</button>
</template>
`

const block = (snippets: Snippet[], lang: string) => snippets.find(s => s.lang === lang)!.code

/** Builds a Vite + Vue app from `files` (paths below the app) and returns its client JS, gz. */
async function viteApp(name: string, files: Record<string, string>): Promise<number> {
  const dir = join(WORK, name)
  await mkdir(join(dir, 'src'), { recursive: true })
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><body><div id="app"></div><script type="module" src="/src/main.ts"></script></body></html>\n')
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text)
  await build({ root: dir, plugins: [vue()], logLevel: 'silent', build: { outDir: 'dist', emptyOutDir: true } })
  return gzippedJs(join(dir, 'dist'))
}

/** Builds a Nuxt app with `nuxtConfig` and `app.vue` and returns its client JS, gz. */
async function nuxtApp(name: string, nuxtConfig: string, appVue: string): Promise<number> {
  const dir = join(WORK, name)
  await mkdir(join(dir, 'app'), { recursive: true })
  await writeFile(join(dir, 'nuxt.config.ts'), nuxtConfig)
  await writeFile(join(dir, 'app/app.vue'), appVue)
  await run(process.execPath, [join(ROOT, 'node_modules/.bin/nuxi'), 'build', dir], { cwd: ROOT, env: productionEnv() })
  return gzippedJs(join(dir, '.output/public/_nuxt'))
}

/** Added client JS of each variant, measured against the same app without the library. */
interface Weights { base: number, now: number, source: number, before: number }

function row(what: string, w: Weights): BenchRow {
  const added = (size: number) => size - w.base
  return {
    what,
    measured: `+${formatBytes(added(w.now))} gz (${formatBytes(w.base)} -> ${formatBytes(w.now)})`,
    comparison: `same code as source: +${formatBytes(added(w.source))} gz; source package at ${BEFORE_COMPILING}: +${formatBytes(added(w.before))} gz`,
    target: '<= the same code as source, +0.5 %',
    // The two builds minify the same code with different identifiers: a few bytes either way are noise, a packaging mistake is kilobytes.
    pass: added(w.now) <= added(w.source) * 1.005,
  }
}

/** Where a copy of the package comes from: the packed tarball, this tree's source, or an older commit's source. */
type Copy = { tarball: string } | { source: true } | { commit: string }

/** Puts a copy of the package into `<dir>/node_modules/nuxt-leaddesk-talk`. */
async function installCopy(dir: string, from: Copy): Promise<void> {
  const target = join(dir, 'node_modules/nuxt-leaddesk-talk')
  await mkdir(target, { recursive: true })
  // A package boundary of its own: without it, `nuxt-leaddesk-talk` would resolve to the repository itself.
  await writeFile(join(dir, 'package.json'), '{ "name": "package-weight", "private": true, "type": "module" }\n')
  if ('tarball' in from) {
    await run('tar', ['-xzf', from.tarball, '-C', target, '--strip-components=1'], { cwd: dir })
  }
  else if ('source' in from) {
    await Promise.all(LIBRARY.map(path => cp(join(ROOT, path), join(target, path), { recursive: true })))
    const exports = Object.fromEntries(Object.entries(SOURCE_EXPORTS).map(([entry, file]) => [entry, { types: file, import: file }]))
    await writeFile(join(target, 'package.json'), `${JSON.stringify({ name: 'nuxt-leaddesk-talk', type: 'module', exports }, null, 2)}\n`)
  }
  else {
    await run('sh', ['-c', `git -C "${ROOT}" archive ${from.commit} package.json vue.ts protocol stores composables components modules simulator | tar -x -C "${target}"`], { cwd: dir })
  }
}

/**
 * What the package adds to a consumer's client JavaScript: the README's plain-Vue and Nuxt apps
 * built with the packed tarball, with the same code shipped as TypeScript source (as the
 * package was before it was compiled), and with the source package of an older commit, each
 * beside the same app without the library, in one run.
 */
export const packageWeight: BenchModule = {
  name: 'package-weight',
  async run(): Promise<BenchRow[]> {
    await rm(WORK, { recursive: true, force: true })
    try {
      const { tarball } = await packPackage(join(WORK, 'pack'))
      await installCopy(join(WORK, 'now'), { tarball })
      await installCopy(join(WORK, 'source'), { source: true })
      await installCopy(join(WORK, 'before'), { commit: BEFORE_COMPILING })
      await installCopy(join(WORK, 'base'), { tarball })

      const vueSnippets = await readmeSnippets('In a plain Vue 3 app')
      const vueApp = { 'src/main.ts': block(vueSnippets, 'ts'), 'src/App.vue': block(vueSnippets, 'vue') }
      const vue: Weights = {
        base: await viteApp('base/vue', {
          'src/main.ts': 'import { createPinia } from \'pinia\'\nimport { createApp } from \'vue\'\nimport App from \'./App.vue\'\n\ncreateApp(App).use(createPinia()).mount(\'#app\')\n',
          'src/App.vue': BASELINE_VUE,
        }),
        now: await viteApp('now/vue', vueApp),
        source: await viteApp('source/vue', vueApp),
        before: await viteApp('before/vue', vueApp),
      }

      const nuxtSnippets = await readmeSnippets('In a Nuxt app')
      const nuxt: Weights = {
        base: await nuxtApp('base/nuxt', 'export default defineNuxtConfig({\n  modules: [\'@pinia/nuxt\'],\n})\n', BASELINE_VUE.replace('</template>', '  <NuxtPage />\n</template>')),
        now: await nuxtApp('now/nuxt', block(nuxtSnippets, 'ts'), block(nuxtSnippets, 'vue')),
        source: await nuxtApp('source/nuxt', block(nuxtSnippets, 'ts'), block(nuxtSnippets, 'vue')),
        before: await nuxtApp('before/nuxt', block(nuxtSnippets, 'ts'), block(nuxtSnippets, 'vue')),
      }

      return [
        row('library in a Vue 3 + Pinia app (README setup, Vite build)', vue),
        row('module in a Nuxt 4 + Pinia app (README setup, nuxi build)', nuxt),
      ]
    }
    finally {
      await rm(WORK, { recursive: true, force: true })
    }
  },
}
