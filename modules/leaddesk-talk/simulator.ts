import { join } from 'node:path'
import type { Nuxt } from '@nuxt/schema'

/** Where the simulator is served, below the app's baseURL (must match runtime/talk-options.ts). */
export const SIMULATOR_ROUTE = '/_leaddesk-talk/simulator'

/**
 * Serves the Talk simulator as static Nitro assets, so it works in `nuxi dev` and from
 * `.output` after `nuxi build`. The files are written into the build dir before each Nitro build.
 */
export function serveSimulator(nuxt: Nuxt, simulatorBuildFile: string): void {
  const dir = join(nuxt.options.buildDir, 'leaddesk-talk-simulator')
  nuxt.hook('nitro:config', (config) => {
    config.publicAssets ||= []
    config.publicAssets.push({ dir, baseURL: SIMULATOR_ROUTE, maxAge: 0 })
  })
  // Nitro's own build step (dev and production): never runs where nothing is served, such as
  // the Nuxt test runtime, so the simulator is bundled only when it can be used.
  nuxt.hook('nitro:init', (nitro) => {
    nitro.hooks.hook('build:before', async () => {
      const { writeSimulator } = await import(simulatorBuildFile) as { writeSimulator: (outDir: string) => Promise<void> }
      await writeSimulator(dir)
    })
  })
}
