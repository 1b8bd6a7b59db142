import { ref } from 'vue'

/** The contact the agent last dialled from the dashboard (what `setMetadata` told Talk). */
export interface DialContext {
  id: number
  name: string
  company: string | null
  phone: string
}

// Client-only state: set by a click-to-call, read when Talk reports an SMS.
const lastContact = ref<DialContext | null>(null)

/** Remembers which contact the current Talk metadata belongs to, so SMS can be filed under it. */
export function useDialContext() {
  return { lastContact }
}
