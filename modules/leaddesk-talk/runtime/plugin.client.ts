import { defineNuxtPlugin, useRuntimeConfig } from '#app'
import { createTalk } from '../../../composables/create-talk'
import { useTalkStore } from '../../../stores/talk'
import { startDevtoolsFeed } from './devtools-feed'
import { toTalkOptions } from './talk-options'

/** Installs the Talk integration in the browser with the options from runtime config (env overrides apply without a rebuild). */
export default defineNuxtPlugin({
  name: 'leaddesk-talk',
  dependsOn: ['pinia'],
  setup(nuxtApp) {
    const config = useRuntimeConfig()
    const appBase = new URL(config.app.baseURL || '/', window.location.origin).href
    nuxtApp.vueApp.use(createTalk(toTalkOptions(config.public.leaddeskTalk, appBase), { deferHistoryLoad: true }))
    const store = useTalkStore(nuxtApp.$pinia as Parameters<typeof useTalkStore>[0])
    // After hydration: history loaded earlier would not match the server-rendered HTML.
    nuxtApp.hook('app:mounted', () => void store.loadHistory())
    if (import.meta.dev) startDevtoolsFeed(store)
  },
})
