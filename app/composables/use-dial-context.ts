import { computed } from 'vue'
import type { TalkMetadata } from '../../protocol/index'

/** The contact the agent last dialled from the dashboard (what `setMetadata` told Talk). */
export interface DialContext {
  id: number
  name: string
  company: string | null
  phone: string
}

/** The metadata the dashboard gives Talk for a contact: Talk's SMS use the name, the dashboard the rest. */
export function dialMetadata(contact: DialContext): TalkMetadata {
  return { id: contact.id, name: contact.name, company: contact.company ?? '', phone: contact.phone }
}

/** Reads a contact back from Talk's metadata; `null` for metadata the dashboard did not set. */
export function readDialContext(metadata: TalkMetadata | null): DialContext | null {
  const { id, name, company, phone } = metadata ?? {}
  if (typeof id !== 'number' || typeof name !== 'string' || typeof phone !== 'string') return null
  return { id, name, company: typeof company === 'string' && company ? company : null, phone }
}

/**
 * Which contact the current Talk metadata belongs to, so SMS can be filed under it. Read from
 * the store, which keeps what Talk was last given in whichever tab hosts it: a contact dialled
 * in one tab is known to every tab, including the one that files the SMS.
 */
export function useDialContext() {
  const store = useTalkStore()
  return { lastContact: computed(() => readDialContext(store.metadata)) }
}
