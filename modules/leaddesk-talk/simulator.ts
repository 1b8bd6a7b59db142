import { join } from 'node:path'
import type { Nuxt } from '@nuxt/schema'
import { SIMULATOR_PAGE_POLICY } from '../../simulator/headers'

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
    // Static files are served before any server middleware: route rules are how they get headers.
    config.routeRules ||= {}
    const page = { headers: { 'content-security-policy': SIMULATOR_PAGE_POLICY, 'x-content-type-options': 'nosniff' } }
    for (const path of [`${SIMULATOR_ROUTE}/`, `${SIMULATOR_ROUTE}/index.html`]) config.routeRules[path] = { ...config.routeRules[path], ...page }
    config.routeRules[`${SIMULATOR_ROUTE}/**`] = { headers: { 'x-content-type-options': 'nosniff' }, ...config.routeRules[`${SIMULATOR_ROUTE}/**`] }
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
