import { ref } from 'vue'

const DOCK_KEY = 'leaddesk-talk:dock-open'
const NARROW = '(max-width: 900px)'

// Client-only UI state shared by the header toggle and the dock itself.
const open = ref(true)
const narrow = ref(false)
let started = false

/** Whether the Talk dock is expanded; on narrow screens it is a drawer that starts closed. */
export function useDock() {
  function init(): void {
    if (started || typeof window === 'undefined') return
    started = true
    const media = window.matchMedia(NARROW)
    narrow.value = media.matches
    const saved = localStorage.getItem(DOCK_KEY)
    open.value = narrow.value ? false : saved !== 'false'
    media.addEventListener('change', (e) => {
      narrow.value = e.matches
      if (e.matches) open.value = false
    })
  }
  function setOpen(value: boolean): void {
    open.value = value
    if (!narrow.value) localStorage.setItem(DOCK_KEY, String(value))
  }
  return { open, narrow, init, setOpen, toggle: () => setOpen(!open.value) }
}
