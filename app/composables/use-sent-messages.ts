import { ref } from 'vue'

/** An SMS the agent sent from Talk during this session, with the contact it was filed under. */
export interface SentMessage {
  at: number
  text: string
  callId: number | null
  contactId: number | null
  contactName: string | null
  number: string | null
}

const LIMIT = 200
// Client-only: filled from Talk's `sms` events; the server keeps the permanent record.
const messages = ref<SentMessage[]>([])

/** The SMS sent from Talk in this tab, newest first (shown on the Calls page). */
export function useSentMessages() {
  return {
    messages,
    /** Records a sent SMS at the top of the list. */
    add: (message: SentMessage) => {
      messages.value = [message, ...messages.value].slice(0, LIMIT)
    },
  }
}
