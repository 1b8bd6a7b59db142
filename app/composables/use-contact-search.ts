import { computed, ref, watch } from 'vue'
import { usePagedList } from './use-paged-list'
import type { Contact } from '../utils/api-types'

/**
 * Server-side contact search as you type: debounced, a newer query cancels the request in
 * flight, and the previous results stay on screen until the new ones arrive.
 */
export function useContactSearch() {
  const query = ref('')
  const list = usePagedList<Contact, Contact>({
    url: '/api/contacts',
    pageSize: 50,
    // A newer keystroke already cancels the request in flight, and a search takes a few ms on the server: no need to wait.
    debounceMs: 0,
    query: () => ({ q: query.value.trim() || undefined }),
    map: contact => contact,
  })
  watch(query, list.debouncedLoad)

  const { items, total, totalCapped, loading, stale, loaded, error } = list
  /** The query the shown items answer (so "No contacts match" names the right text). */
  const shownQuery = computed(() => String(list.shownQuery.value.q ?? ''))
  /** "12 contacts", or "10000+ contacts" when the server stopped counting. */
  const totalText = computed(() => `${total.value}${totalCapped.value ? '+' : ''} ${total.value === 1 && !totalCapped.value ? 'contact' : 'contacts'}`)
  return { query, items, total, totalCapped, totalText, shownQuery, loading, stale, loaded, error, reload: () => list.load(), loadMore: () => list.load(true) }
}
