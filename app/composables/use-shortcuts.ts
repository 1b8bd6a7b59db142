import { ref } from 'vue'
import { useDock } from './use-dock'
import { isTypingIn } from '../utils/typing'

/** The dashboard's keyboard shortcuts, as the help dialog lists them. */
export const SHORTCUTS = [
  { keys: ['Alt', 'Shift', 'A'], code: 'KeyA', does: 'Answer the ringing call' },
  { keys: ['Alt', 'Shift', 'H'], code: 'KeyH', does: 'Hang up (or decline the ringing call)' },
  { keys: ['Alt', 'Shift', 'F'], code: 'KeyF', does: 'Search: the page\'s search field, else the contact search' },
  { keys: ['Alt', 'Shift', 'K'], code: 'KeyK', does: 'Show these shortcuts' },
  { keys: ['Escape'], code: 'Escape', does: 'Close a dialog, hide the incoming-call alert, or close the Talk drawer on a narrow screen' },
] as const

const helpOpen = ref(false)

/**
 * The dashboard's keyboard shortcuts, on one listener for the whole page. Each uses Alt+Shift
 * with a letter (by its key position, so keyboard layouts agree), never a single character, and
 * none acts while focus is in a text field: what an agent types is never taken. Escape closes
 * the Talk drawer on a narrow screen from anywhere in the page once dialogs had their turn.
 */
export function useShortcuts() {
  const store = useTalkStore()
  const dock = useDock()

  async function focusSearch(): Promise<void> {
    const find = () => document.querySelector<HTMLInputElement>('#main input[type=search]')
    if (!find()) await navigateTo('/')
    await nextTick()
    find()?.focus()
  }

  function onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      // A modal dialog closes itself first; the incoming-call alert handles its own Escape.
      if (event.defaultPrevented || document.querySelector('dialog[open]') || !dock.narrow.value || !dock.open.value) return
      dock.setOpen(false)
      document.getElementById('talk-dock-toggle')?.focus()
      return
    }
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || isTypingIn(document.activeElement)) return
    const call = store.activeCall
    const act = (action: () => Promise<unknown>) => void action().catch(() => {})
    switch (event.code) {
      case 'KeyA':
        if (call?.phase === 'ringing' && call.direction === 'in') act(store.answer)
        break
      case 'KeyH':
        if (call?.phase === 'ringing' || call?.phase === 'connected') act(store.hangup)
        break
      case 'KeyF':
        void focusSearch()
        break
      case 'KeyK':
        helpOpen.value = true
        break
      default:
        return
    }
    event.preventDefault()
  }

  return {
    helpOpen,
    start: () => window.addEventListener('keydown', onKeydown),
  }
}
