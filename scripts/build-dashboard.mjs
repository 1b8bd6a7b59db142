// Builds the dashboard for production into a private directory (argv[2]), so an e2e or
// benchmark run never touches the .nuxt/.output that `nuxt dev`, tests or typechecks may be using.
import { join } from 'node:path'
import { buildNuxt, loadNuxt } from '@nuxt/kit'

const outDir = process.argv[2]
if (!outDir) throw new Error('usage: node scripts/build-dashboard.mjs <outDir>')

const nuxt = await loadNuxt({
  cwd: process.cwd(),
  dev: false,
  overrides: {
    buildDir: join(outDir, '.nuxt'),
    nitro: { output: { dir: join(outDir, '.output') } },
    devtools: { enabled: false },
  },
})
await buildNuxt(nuxt)
await nuxt.close()
