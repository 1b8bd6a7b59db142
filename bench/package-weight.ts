import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'vite'
import vue from '@vitejs/plugin-vue'
import { productionEnv, run } from '../tests/support/apps'
import { gzippedJs, packPackage, readmeSnippets, ROOT } from '../tests/package/consumers'
import type { Snippet } from '../tests/package/consumers'
import { formatBytes } from './bundle-size'
import type { BenchModule, BenchRow } from './types'

// The last commit that shipped TypeScript source instead of compiled files: measured in the same run.
const BEFORE_COMPILING = 'e2bd8d6'

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

function row(what: string, base: number, now: number, before: number): BenchRow {
  const added = now - base
  const addedBefore = before - base
  return {
    what,
    measured: `+${formatBytes(added)} gz (${formatBytes(base)} -> ${formatBytes(now)})`,
    comparison: `source package (${BEFORE_COMPILING}): +${formatBytes(addedBefore)} gz`,
    target: '<= the source package',
    pass: added <= addedBefore,
  }
}

/** Puts a copy of the package into `<dir>/node_modules/nuxt-leaddesk-talk`: today's packed tarball, or the source tree of an older commit. */
async function installCopy(dir: string, from: { tarball: string } | { commit: string }): Promise<void> {
  const target = join(dir, 'node_modules/nuxt-leaddesk-talk')
  await mkdir(target, { recursive: true })
  // A package boundary of its own: without it, `nuxt-leaddesk-talk` would resolve to the repository itself.
  await writeFile(join(dir, 'package.json'), '{ "name": "package-weight", "private": true, "type": "module" }\n')
  if ('tarball' in from) await run('tar', ['-xzf', from.tarball, '-C', target, '--strip-components=1'], { cwd: dir })
  else await run('sh', ['-c', `git -C "${ROOT}" archive ${from.commit} package.json vue.ts protocol stores composables components modules simulator | tar -x -C "${target}"`], { cwd: dir })
}

/**
 * What the package adds to a consumer's client JavaScript: the README's plain-Vue and Nuxt apps
 * built with the packed tarball and with the package as it was before it was compiled, each
 * beside the same app without the library, in one run.
 */
export const packageWeight: BenchModule = {
  name: 'package-weight',
  async run(): Promise<BenchRow[]> {
    await rm(WORK, { recursive: true, force: true })
    try {
      const { tarball } = await packPackage(join(WORK, 'pack'))
      await installCopy(join(WORK, 'now'), { tarball })
      await installCopy(join(WORK, 'before'), { commit: BEFORE_COMPILING })
      await installCopy(join(WORK, 'base'), { tarball })

      const vueSnippets = await readmeSnippets('In a plain Vue 3 app')
      const vueApp = { 'src/main.ts': block(vueSnippets, 'ts'), 'src/App.vue': block(vueSnippets, 'vue') }
      const vue = {
        base: await viteApp('base/vue', {
          'src/main.ts': 'import { createPinia } from \'pinia\'\nimport { createApp } from \'vue\'\nimport App from \'./App.vue\'\n\ncreateApp(App).use(createPinia()).mount(\'#app\')\n',
          'src/App.vue': BASELINE_VUE,
        }),
        now: await viteApp('now/vue', vueApp),
        before: await viteApp('before/vue', vueApp),
      }

      const nuxtSnippets = await readmeSnippets('In a Nuxt app')
      const nuxt = {
        base: await nuxtApp('base/nuxt', 'export default defineNuxtConfig({\n  modules: [\'@pinia/nuxt\'],\n})\n', BASELINE_VUE.replace('</template>', '  <NuxtPage />\n</template>')),
        now: await nuxtApp('now/nuxt', block(nuxtSnippets, 'ts'), block(nuxtSnippets, 'vue')),
        before: await nuxtApp('before/nuxt', block(nuxtSnippets, 'ts'), block(nuxtSnippets, 'vue')),
      }

      return [
        row('library in a Vue 3 + Pinia app (README setup, Vite build)', vue.base, vue.now, vue.before),
        row('module in a Nuxt 4 + Pinia app (README setup, nuxi build)', nuxt.base, nuxt.now, nuxt.before),
      ]
    }
    finally {
      await rm(WORK, { recursive: true, force: true })
    }
  },
}
