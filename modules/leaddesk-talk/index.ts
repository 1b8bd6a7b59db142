import { addComponent, addImports, addPlugin, createResolver, defineNuxtModule } from '@nuxt/kit'
import type { NuxtModule } from 'nuxt/schema'
import { devtoolsEnabled, setupDevtools } from './devtools'
import { moduleDefaults, simulatorEnabled, toPublicConfig, validateModuleOptions } from './options'
import type { LeaddeskTalkPublicConfig, ModuleOptions } from './options'
import { serveSimulator } from './simulator'

export type { LeaddeskTalkPublicConfig, ModuleOptions } from './options'

/**
 * nuxt-leaddesk-talk: LeadDesk Talk in a Nuxt app. Adds `<TalkFrame>` (client-only),
 * auto-imports `useTalk()` and `useTalkStore()`, sets up Pinia (`@pinia/nuxt`) if the app has
 * not, serves the Talk simulator and a DevTools tab. Options land in `runtimeConfig.public.leaddeskTalk`.
 */
const leaddeskTalkModule: NuxtModule<ModuleOptions> = defineNuxtModule<ModuleOptions>({
  meta: { name: 'nuxt-leaddesk-talk', configKey: 'leaddeskTalk', compatibility: { nuxt: '>=4.1.0' } },
  defaults: moduleDefaults,
  moduleDependencies: { '@pinia/nuxt': {} },
  setup(options, nuxt) {
    const { resolve } = createResolver(import.meta.url)
    // The package root: the repository (running from source) or dist/ (the published build);
    // both have the same layout below it.
    const root = resolve('../..')

    validateModuleOptions(options)
    const publicConfig = toPublicConfig(options, nuxt.options.dev)
    nuxt.options.runtimeConfig.public.leaddeskTalk = { ...publicConfig, ...nuxt.options.runtimeConfig.public.leaddeskTalk as Partial<LeaddeskTalkPublicConfig> }

    // From the repository the library is TypeScript source: compile it like app code, and watch it in dev.
    if (import.meta.url.endsWith('.ts')) {
      const layers = ['protocol', 'tabs', 'stores', 'composables', 'components'].map(dir => resolve(root, dir))
      nuxt.options.build.transpile.push(...layers, resolve(root, 'vue'))
      if (nuxt.options.dev) nuxt.options.watch.push(...layers)
    }

    addPlugin({ src: resolve('./runtime/plugin.client'), mode: 'client' })
    addComponent({ name: 'TalkFrame', export: 'TalkFrame', filePath: resolve(root, 'components/TalkFrame'), mode: 'client' })
    addImports([
      { name: 'useTalk', from: resolve(root, 'composables/use-talk') },
      { name: 'useTalkStore', from: resolve(root, 'stores/talk') },
      { name: 'defineTalkContactResolver', from: resolve(root, 'composables/contact-resolver') },
    ])

    if (simulatorEnabled(options, nuxt.options.dev)) serveSimulator(nuxt, options.simulatorFrameAncestors)
    if (nuxt.options.dev && devtoolsEnabled(nuxt.options.devtools)) setupDevtools(nuxt)
  },
})

export default leaddeskTalkModule

declare module 'nuxt/schema' {
  interface PublicRuntimeConfig {
    leaddeskTalk: LeaddeskTalkPublicConfig
  }
}
