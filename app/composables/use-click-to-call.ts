import { computed } from 'vue'
import type { Contact } from '../utils/api-types'

/** Click-to-call for contacts: tells Talk who is being called (for its SMS), then dials. */
export function useClickToCall() {
  const store = useTalkStore()

  async function callContact(contact: Pick<Contact, 'id' | 'name' | 'company' | 'phone'>): Promise<void> {
    try {
      // Also how the dashboard remembers whom it dialled (useDialContext), in every tab.
      await store.setMetadata(dialMetadata(contact))
      await store.call(contact.phone, { autocall: true })
    }
    catch {
      // The store has already put the reason in lastError, which the page shows.
    }
  }

  return {
    canCall: computed(() => store.canCall),
    blockedReason: computed(() => store.callBlockedReason),
    callContact,
  }
}
