import { join } from 'node:path'
import type { Nuxt } from 'nuxt/schema'

/** Static files the module serves: where, how they are written, and their response headers. */
export interface PublicFiles {
  /** Folder name below the build dir. */
  name: string
  /** URL path below the app's baseURL, without a trailing slash. */
  route: string
  /** Writes the files into `dir` (created by the callee). */
  write: (dir: string) => Promise<void>
  /** Headers of the folder's page (`/` and `/index.html`). */
  pageHeaders: Record<string, string>
}

/**
 * Serves generated files as static Nitro assets, so they work in `nuxi dev` and from `.output`
 * after `nuxi build`. The files are written into the build dir before each Nitro build, and
 * every file is sent with `nosniff`.
 */
export function servePublicFiles(nuxt: Nuxt, { name, route, write, pageHeaders }: PublicFiles): void {
  const dir = join(nuxt.options.buildDir, name)
  nuxt.hook('nitro:config', (config) => {
    config.publicAssets ||= []
    config.publicAssets.push({ dir, baseURL: route, maxAge: 0 })
    // Static files are served before any server middleware: route rules are how they get headers.
    config.routeRules ||= {}
    const page = { headers: { ...pageHeaders, 'x-content-type-options': 'nosniff' } }
    for (const path of [`${route}/`, `${route}/index.html`]) config.routeRules[path] = { ...config.routeRules[path], ...page }
    config.routeRules[`${route}/**`] = { headers: { 'x-content-type-options': 'nosniff' }, ...config.routeRules[`${route}/**`] }
  })
  // Nitro's own build step (dev and production): never runs where nothing is served, such as
  // the Nuxt test runtime, so the files are written only when they can be used.
  nuxt.hook('nitro:init', (nitro) => {
    nitro.hooks.hook('build:before', () => write(dir))
  })
}
