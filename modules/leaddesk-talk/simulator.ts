import type { Nuxt } from 'nuxt/schema'
import { writeSimulator } from '../../simulator/build'
import { DEFAULT_MODULE_FRAME_ANCESTORS, simulatorPagePolicy } from '../../simulator/headers'
import { servePublicFiles } from './public-files'

/** Where the simulator is served, below the app's baseURL (must match runtime/talk-options.ts). */
export const SIMULATOR_ROUTE = '/_leaddesk-talk/simulator'

/** Serves the Talk simulator at `/_leaddesk-talk/simulator/`, in `nuxi dev` and from `.output`; only `frameAncestors` may frame it. */
export function serveSimulator(nuxt: Nuxt, frameAncestors: readonly string[] = DEFAULT_MODULE_FRAME_ANCESTORS): void {
  servePublicFiles(nuxt, {
    name: 'leaddesk-talk-simulator',
    route: SIMULATOR_ROUTE,
    write: writeSimulator,
    pageHeaders: { 'content-security-policy': simulatorPagePolicy(frameAncestors) },
  })
}
