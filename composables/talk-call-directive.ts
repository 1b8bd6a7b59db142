import type { Directive } from 'vue'
import { useTalkStore } from '../stores/talk'

type TalkCallElement = HTMLElement & { __talkCall?: { number: string | number, onClick: (event: Event) => void } }

/**
 * `v-talk-call="number"`: clicking the element calls `number` through Talk. A failure is
 * shown through the store's `lastError` (the element has no place to show it).
 */
export const vTalkCall: Directive<HTMLElement, string | number> = {
  mounted(el: TalkCallElement, binding) {
    const store = useTalkStore(binding.instance?.$pinia)
    const state = {
      number: binding.value,
      onClick(event: Event) {
        event.preventDefault()
        store.call(state.number).catch(() => {})
      },
    }
    el.__talkCall = state
    el.addEventListener('click', state.onClick)
  },
  updated(el: TalkCallElement, binding) {
    if (el.__talkCall) el.__talkCall.number = binding.value
  },
  beforeUnmount(el: TalkCallElement) {
    if (el.__talkCall) el.removeEventListener('click', el.__talkCall.onClick)
    delete el.__talkCall
  },
}
