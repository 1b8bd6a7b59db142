/**
 * `nuxt-leaddesk-talk/vue`: the Talk integration for any Vue 3 app (Nuxt or not).
 * `app.use(createPinia()); app.use(createTalk({ src }))`, then `<TalkFrame>` and `useTalk()`.
 */
export { TalkFrame, NO_TALK_URL_MESSAGE } from './components/TalkFrame'
export { createTalk } from './composables/create-talk'
export { defineTalkContactResolver } from './composables/contact-resolver'
export type { TalkInstallOptions } from './composables/create-talk'
export { vTalkCall } from './composables/talk-call-directive'
export { interceptTelLinks, telNumber } from './composables/tel-links'
export { resolveAllowedOrigins, resolveTalkSrc, talkOptionsKey } from './composables/talk-options'
export type { TalkOptions, TalkTabsMode } from './composables/talk-options'
export { useTalk } from './composables/use-talk'
export { talkStatuses } from './stores/call-machine'
export type { TalkAgent, TalkCallPhase, TalkStatus } from './stores/call-machine'
export type { TalkHistoryEntry } from './stores/history-entry'
export { createHistoryStorage, createMemoryHistoryStorage } from './stores/history-storage'
export type { TalkHistoryStorage, TalkHistoryStorageOptions } from './stores/history-storage'
export { useTalkStore } from './stores/talk'
export type { TalkContact, TalkContactLookup, TalkContactQuery, TalkContactResolver, TalkContactResolverOptions, TalkRegister } from './stores/contact-lookup'
export type { TalkActiveCall, TalkDebugEntry, TalkEventContext, TalkHostCause, TalkLastError, TalkSmsLogEntry, TalkStore, TalkStoreConfig, TalkTabChange, TalkTabRole, TalkTabState } from './stores/talk'
export type { TalkLockManager, TalkLockOptions, TalkTabChannel, TalkTabsEnvironment } from './tabs/environment'
export { isTalkError, TalkError } from './protocol/index'
export type { TalkBridge, TalkDiagnostic, TalkErrorCode, TalkEvent, TalkEventAction, TalkEventMap, TalkOriginRule } from './protocol/index'
