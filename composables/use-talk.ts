import { getCurrentScope, hasInjectionContext, inject, onScopeDispose, shallowRef, toRef, watch } from 'vue'
import type { ShallowRef } from 'vue'
import type { TalkBridge, TalkEventAction, TalkEventMap } from '../protocol/index'
import { useTalkStore } from '../stores/talk'
import { talkOptionsKey } from './talk-options'

/**
 * The Talk integration for a component: status, the active call, the actions, and `on()` to
 * listen to Talk events. Listeners are removed with the component and follow the Talk frame
 * when it is re-created (a remount, a hot reload).
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

  /** Calls `handler` for every `action` event from Talk until the component unmounts (or the returned function is called). */
  function on<A extends TalkEventAction>(action: A, handler: (event: TalkEventMap[A]) => void): () => void {
    let off: (() => void) | undefined
    const stop = watch(bridge, (next) => {
      off?.()
      off = next?.on(action, handler)
    }, { immediate: true, flush: 'sync' })
    const dispose = () => {
      stop()
      off?.()
      off = undefined
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
    call: store.call,
    answer: store.answer,
    hangup: store.hangup,
    reset: store.reset,
    setAvailable: store.setAvailable,
    setMetadata: store.setMetadata,
    useSettings: store.useSettings,
    requestJwt: store.requestJwt,
    bridge,
    on,
  }
}
