import { formatBytes, measureBundle } from './bundle-size'
import type { BundleEntry, BundleSize } from './bundle-size'
import type { BenchModule, BenchRow } from './types'

/** Every public export of `nuxt-leaddesk-talk/protocol`: `export *` keeps all of it in the bundle. */
const PROTOCOL: BundleEntry = { contents: 'export * from \'./protocol/index.ts\'' }

/** `nuxt-leaddesk-talk/vue` (store, composables, TalkFrame) as a Vue app ships it: Vue and Pinia are the app's own. */
const VUE_LAYER: BundleEntry = { contents: 'export * from \'./vue.ts\'', external: ['vue', 'pinia'] }

/**
 * How much the Vue layer may add on top of the protocol it includes (gzipped bytes): the store,
 * composables and `<TalkFrame>` (about 5.2 kB) and the coordination of tabs, which is on by
 * default (about 5.2 kB: election, forwarding, validated messages between tabs).
 */
const VUE_LAYER_BUDGET = 11_000

/** Comparable postMessage libraries, each bundled whole from its public entry in node_modules. */
const LIBRARIES: { name: string, entry: BundleEntry }[] = [
  { name: 'aircall-everywhere', entry: { contents: 'export * from \'aircall-everywhere\'' } },
  { name: 'penpal', entry: { contents: 'export * from \'penpal\'' } },
  { name: 'post-robot', entry: { contents: 'export * from \'post-robot\'' } },
]

/** The library the protocol layer must not outweigh (gzipped). */
const TARGET = 'penpal'

const describe = (size: BundleSize) => `${formatBytes(size.min)} min · ${formatBytes(size.gzip)} gz`
const ratio = (a: number, b: number) => `x${(a / b).toFixed(2)}`

/** Bundle size of the protocol layer next to other postMessage libraries, and of the Vue layer on top of it. */
export const footprint: BenchModule = {
  name: 'footprint',
  async run(): Promise<BenchRow[]> {
    const protocol = await measureBundle(PROTOCOL)
    const vueLayer = await measureBundle(VUE_LAYER)
    const libraries = await Promise.all(LIBRARIES.map(async lib => ({ ...lib, size: await measureBundle(lib.entry) })))
    const target = libraries.find(lib => lib.name === TARGET)!.size
    return [
      {
        what: 'protocol (every export)',
        measured: describe(protocol),
        comparison: `${TARGET} ${formatBytes(target.gzip)} gz (${ratio(protocol.gzip, target.gzip)})`,
        target: `gz <= ${TARGET}`,
        pass: protocol.gzip <= target.gzip,
      },
      {
        what: 'nuxt-leaddesk-talk/vue (vue, pinia external)',
        measured: describe(vueLayer),
        comparison: `protocol ${formatBytes(protocol.gzip)} gz (+${formatBytes(vueLayer.gzip - protocol.gzip)})`,
        target: `gz <= protocol + ${formatBytes(VUE_LAYER_BUDGET)}`,
        pass: vueLayer.gzip <= protocol.gzip + VUE_LAYER_BUDGET,
      },
      ...libraries.map(lib => ({
        what: lib.name,
        measured: describe(lib.size),
        comparison: `protocol is ${ratio(protocol.gzip, lib.size.gzip)} of it (gz)`,
        target: '',
        pass: null,
      })),
    ]
  },
}
