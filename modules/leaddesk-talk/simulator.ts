import type { Nuxt } from 'nuxt/schema'
import { writeSimulator } from '../../simulator/build'
import { SIMULATOR_PAGE_POLICY } from '../../simulator/headers'
import { servePublicFiles } from './public-files'

/** Where the simulator is served, below the app's baseURL (must match runtime/talk-options.ts). */
export const SIMULATOR_ROUTE = '/_leaddesk-talk/simulator'

/** Serves the Talk simulator at `/_leaddesk-talk/simulator/`, in `nuxi dev` and from `.output`. */
export function serveSimulator(nuxt: Nuxt): void {
  servePublicFiles(nuxt, {
    name: 'leaddesk-talk-simulator',
    route: SIMULATOR_ROUTE,
    write: writeSimulator,
    pageHeaders: { 'content-security-policy': SIMULATOR_PAGE_POLICY },
  })
}
