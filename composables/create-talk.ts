import type { Plugin } from 'vue'
import type { Pinia } from 'pinia'
import { useTalkStore } from '../stores/talk'
import { browserTabsEnvironment } from '../tabs/environment'
import type { TalkTabsEnvironment } from '../tabs/environment'
import { vTalkCall } from './talk-call-directive'
import { interceptTelLinks } from './tel-links'
import { talkOptionsKey } from './talk-options'
import type { TalkOptions } from './talk-options'

/** How `createTalk` installs itself; the defaults suit a client-rendered Vue app. */
export interface TalkInstallOptions {
  /**
   * Do not load the stored history while installing; it then loads when `<TalkFrame>` mounts
   * or `useTalkStore().loadHistory()` is called. Server-rendered apps need this: history that
   * appeared before hydration would not match the server's HTML.
   */
  deferHistoryLoad?: boolean
  /**
   * The Web Locks and BroadcastChannel tabs coordinate through (`tabs: 'single'`). Default: the
   * browser's own; `null` (or a browser without them): every tab runs its own Talk. For tests.
   */
  tabsEnvironment?: TalkTabsEnvironment | null
}

/**
 * The Vue plugin of the Talk integration: `app.use(createTalk({ src }))` after Pinia. Gives
 * `<TalkFrame>` and `useTalk()` their options, registers `v-talk-call`, loads the call
 * history, makes the tabs of the browser share one Talk (unless `tabs: 'independent'`) and,
 * with `interceptTelLinks`, turns `tel:` links into Talk calls.
 */
export function createTalk(options: TalkOptions = {}, install: TalkInstallOptions = {}): Plugin {
  return {
    install(app) {
      const pinia = app.config.globalProperties.$pinia as Pinia | undefined
      if (!pinia) throw new Error('createTalk needs Pinia: call app.use(createPinia()) before app.use(createTalk(...))')
      app.provide(talkOptionsKey, options)
      app.directive('talk-call', vTalkCall)
      const store = useTalkStore(pinia)
      store.configure({ history: options.history, debug: options.debug, onDiagnostic: options.onDiagnostic })
      if (options.resolveContact) store.setContactResolver(options.resolveContact, options.resolveContactOptions)
      if (!install.deferHistoryLoad && typeof window !== 'undefined') void store.loadHistory()
      const environment = options.tabs === 'independent' ? null : install.tabsEnvironment !== undefined ? install.tabsEnvironment : browserTabsEnvironment()
      if (environment) app.onUnmount(store.coordinateTabs(environment, { timeout: options.timeout }))
      if (options.interceptTelLinks && typeof document !== 'undefined') {
        const stop = interceptTelLinks(number => void store.call(number).catch(() => {}))
        app.onUnmount(stop)
      }
    },
  }
}
