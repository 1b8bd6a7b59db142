import { computed } from 'vue'
import type { Contact } from '../utils/api-types'

/** Click-to-call for contacts: tells Talk who is being called (for its SMS), then dials. */
export function useClickToCall() {
  const store = useTalkStore()
  const { lastContact } = useDialContext()

  async function callContact(contact: Pick<Contact, 'id' | 'name' | 'company' | 'phone'>): Promise<void> {
    lastContact.value = { id: contact.id, name: contact.name, company: contact.company, phone: contact.phone }
    try {
      await store.setMetadata({ name: contact.name, company: contact.company ?? '', id: contact.id })
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
