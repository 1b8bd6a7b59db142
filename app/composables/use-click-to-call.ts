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

  /** Calls a number from the log: Talk gets the contact when there is one, and no one's details otherwise (its SMS would greet the wrong person). */
  async function callNumber(number: string, contact: { id: number, name: string } | null): Promise<void> {
    try {
      await store.setMetadata(contact ? dialMetadata({ ...contact, company: null, phone: number }) : {})
      await store.call(number, { autocall: true })
    }
    catch {
      // The store has already put the reason in lastError, which the page shows.
    }
  }

  return {
    canCall: computed(() => store.canCall),
    callNumber,
    blockedReason: computed(() => store.callBlockedReason),
    callContact,
  }
}
