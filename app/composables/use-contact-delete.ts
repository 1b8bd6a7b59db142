import { ref } from 'vue'
import { apiProblem } from '../utils/api-error'

/** Deletes contacts through the API, with a busy flag so a double click sends one request. */
export function useContactDelete() {
  const busy = ref(false)

  /** Deletes the contact; resolves `null` when done, or the reason it could not be deleted. */
  async function remove(contact: { id: number | string, name: string }): Promise<string | null> {
    if (busy.value) return null
    busy.value = true
    try {
      await $fetch(`/api/contacts/${encodeURIComponent(String(contact.id))}`, { method: 'DELETE' })
      return null
    }
    catch (e) {
      return `Could not delete ${contact.name}: ${apiProblem(e).message}`
    }
    finally {
      busy.value = false
    }
  }

  return { busy, remove }
}
