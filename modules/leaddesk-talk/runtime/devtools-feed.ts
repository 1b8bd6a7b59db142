import { watch } from 'vue'
import type { TalkStore } from '../../../stores/talk'

/** The channel the DevTools tab listens on (same origin as the app). */
export const DEVTOOLS_CHANNEL = 'nuxt-leaddesk-talk-devtools'

function mask(number: string | null): string | null {
  return number === null ? null : `…${number.slice(-2)}`
}

/** What the DevTools tab shows: status, agent, call and the message log; phone numbers masked, no SMS text. */
export function devtoolsSnapshot(store: TalkStore) {
  const call = store.activeCall
  return {
    status: store.status,
    agent: { ...store.agent },
    connected: store.connected,
    activeCall: call ? { ...call, number: mask(call.number) } : null,
    historySize: store.history.length,
    lastError: store.lastError ? { ...store.lastError } : null,
    debugLog: store.debugLog.map(line => ({ ...line })),
  }
}

/** Feeds the DevTools tab (dev only): posts a snapshot on every store change and when the tab asks. */
export function startDevtoolsFeed(store: TalkStore): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {}
  const channel = new BroadcastChannel(DEVTOOLS_CHANNEL)
  const send = () => channel.postMessage({ type: 'snapshot', snapshot: devtoolsSnapshot(store) })
  channel.onmessage = (event: MessageEvent) => {
    if ((event.data as { type?: unknown } | null)?.type === 'hello') send()
  }
  const stop = watch(() => [store.status, store.activeCall?.phase, store.debugLog.length, store.debugLog[0], store.history.length, store.lastError], send)
  send()
  return () => {
    stop()
    channel.close()
  }
}
