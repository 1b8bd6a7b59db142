import { ref, watch } from 'vue'

const KEY = 'leaddesk-talk:prevent-manual-calling'
const prevent = ref(false)
let started = false

/**
 * The agent's "prevent manual calling" choice. Talk forgets settings when its page reloads,
 * so the choice is kept in this browser and sent again after every Talk login.
 */
export function useManualCallingPreference() {
  const store = useTalkStore()

  function start(): void {
    if (started || typeof window === 'undefined') return
    started = true
    prevent.value = localStorage.getItem(KEY) === 'true'
    // Sent by the tab whose Talk logged in; the other tabs would only send it to that tab again.
    watch(() => store.agent.loggedIn, (loggedIn) => {
      const talkHere = store.tab.role === 'host' || store.tab.role === 'independent'
      if (loggedIn && talkHere && prevent.value) store.useSettings({ preventManualCalling: true }).catch(() => {})
    }, { immediate: true })
  }

  /** Saves the choice and tells Talk; rejects (with the store's lastError set) if Talk refused. */
  async function set(value: boolean): Promise<void> {
    prevent.value = value
    localStorage.setItem(KEY, String(value))
    await store.useSettings({ preventManualCalling: value })
  }

  return { prevent, start, set }
}
