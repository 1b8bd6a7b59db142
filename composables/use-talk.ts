import { getCurrentScope, hasInjectionContext, inject, onScopeDispose, shallowRef, toRef, watch } from 'vue'
import type { ShallowRef } from 'vue'
import type { TalkBridge, TalkEventAction, TalkEventMap } from '../protocol/index'
import { useTalkStore } from '../stores/talk'
import type { TalkEventContext } from '../stores/talk'
import { talkOptionsKey } from './talk-options'

/**
 * The Talk integration for a component: status, the active call, the actions, and `on()` to
 * listen to Talk events. Listeners are removed with the component and keep working when the
 * Talk frame is re-created (a remount, a hot reload) or moves to another tab.
 */
export function useTalk() {
  const store = useTalkStore()
  const options = hasInjectionContext() ? inject(talkOptionsKey, {}) : {}
  const bridge: ShallowRef<TalkBridge | null> = shallowRef(store.bridge)
  const stopSync = watch(() => store.bridge, (next) => {
    bridge.value = next
  }, { flush: 'sync' })

  // Listeners added later (in a callback) still end with the scope that called useTalk().
  const listeners = new Set<() => void>()

  /**
   * Calls `handler` for every `action` event from Talk until the component unmounts (or the
   * returned function is called). With Talk shared between tabs, every tab hears every event:
   * `context.local` is `true` only in the tab whose frame received it.
   */
  function on<A extends TalkEventAction>(action: A, handler: (event: TalkEventMap[A], context: TalkEventContext) => void): () => void {
    const off = store.onEvent((event, context) => {
      if (event.action === action) handler(event as TalkEventMap[A], context)
    })
    const dispose = () => {
      off()
      listeners.delete(dispose)
    }
    listeners.add(dispose)
    return dispose
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      stopSync()
      for (const dispose of [...listeners]) dispose()
    })
  }

  return {
    store,
    options,
    status: toRef(store, 'status'),
    activeCall: toRef(store, 'activeCall'),
    canCall: toRef(store, 'canCall'),
    /** This tab's part in sharing Talk between tabs: `{ role, hostKnown, change }`. */
    tab: toRef(store, 'tab'),
    call: store.call,
    answer: store.answer,
    hangup: store.hangup,
    reset: store.reset,
    setAvailable: store.setAvailable,
    setMetadata: store.setMetadata,
    useSettings: store.useSettings,
    requestJwt: store.requestJwt,
    moveTalkHere: store.moveTalkHere,
    bridge,
    on,
  }
}
