import { ref, watch } from 'vue'
import { apiProblem, isAbort } from '../utils/api-error'
import type { ApiProblem } from '../utils/api-error'
import type { Contact, Page } from '../utils/api-types'

const PAGE_SIZE = 50
const DEBOUNCE_MS = 150

/**
 * Server-side contact search as you type: debounced, a newer query cancels the request in
 * flight, and the previous results stay on screen until the new ones arrive.
 */
export function useContactSearch() {
  const query = ref('')
  const items = ref<Contact[]>([])
  const total = ref(0)
  /** The query the shown items answer (so "No contacts match" names the right text). */
  const shownQuery = ref('')
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<ApiProblem | null>(null)
  let controller: AbortController | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  async function load(append = false): Promise<void> {
    controller?.abort()
    const mine = new AbortController()
    controller = mine
    loading.value = true
    const q = query.value.trim()
    try {
      const page = await $fetch<Page<Contact>>('/api/contacts', {
        query: { q: q || undefined, limit: PAGE_SIZE, offset: append ? items.value.length : 0 },
        signal: mine.signal,
        retry: 0,
      })
      items.value = append ? [...items.value, ...page.items] : page.items
      total.value = page.total
      shownQuery.value = q
      error.value = null
      loaded.value = true
    }
    catch (e) {
      if (isAbort(e) || mine.signal.aborted) return
      error.value = apiProblem(e)
    }
    finally {
      if (controller === mine) loading.value = false
    }
  }

  watch(query, () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void load(), DEBOUNCE_MS)
  })

  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
    controller?.abort()
  })

  return { query, items, total, shownQuery, loading, loaded, error, reload: () => load(), loadMore: () => load(true) }
}
