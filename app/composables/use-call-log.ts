import { computed, reactive, ref, watch } from 'vue'
import { apiProblem, isAbort } from '../utils/api-error'
import type { ApiProblem } from '../utils/api-error'
import type { Page } from '../utils/api-types'
import { matchesFilter, mergeCallRows, rowFromServerCall, rowFromTalkCall } from '../utils/call-rows'
import type { CallFilter, CallRow } from '../utils/call-rows'

const PAGE_SIZE = 200

/**
 * The call log: this browser's completed calls (from the store, shown the moment Talk reports
 * them) merged with the calls the server stored, one row per call id, filtered and newest first.
 */
export function useCallLog() {
  const store = useTalkStore()
  const outbox = useOutbox()
  const { lastContact } = useDialContext()
  const filter = reactive<CallFilter>({ direction: '', answered: '', text: '' })
  const stored = ref<CallRow[]>([])
  const total = ref(0)
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
    try {
      const page = await $fetch<Page<Record<string, unknown>>>('/api/calls', {
        query: {
          limit: PAGE_SIZE,
          offset: append ? stored.value.length : 0,
          direction: filter.direction || undefined,
          answered: filter.answered === 'yes' ? 'true' : filter.answered === 'no' ? 'false' : undefined,
          q: filter.text.trim() || undefined,
        },
        signal: mine.signal,
        retry: 0,
      })
      const rows = page.items.map(rowFromServerCall).filter((r): r is CallRow => r !== null)
      stored.value = append ? [...stored.value, ...rows] : rows
      total.value = page.total
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

  watch(() => [filter.direction, filter.answered], () => void load())
  watch(() => filter.text, () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void load(), 150)
  })
  // A call the outbox just delivered now has its contact on the server: fetch the fresh rows.
  watch(outbox.syncedCount, () => void load())
  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
    controller?.abort()
  })

  const live = computed(() => store.history.map((entry) => {
    const row = rowFromTalkCall(entry)
    const contact = lastContact.value
    // Until the server has matched it, a call to the contact just dialled is shown under their name.
    if (contact && row.number && row.number.replace(/\D/g, '') === contact.phone.replace(/\D/g, '')) {
      return { ...row, contactId: contact.id, contactName: contact.name }
    }
    return row
  }))

  const rows = computed(() => mergeCallRows(live.value, stored.value).filter(r => matchesFilter(r, filter)))

  return { filter, rows, total, loading, loaded, error, reload: () => load(), loadMore: () => load(true), canLoadMore: computed(() => stored.value.length < total.value) }
}
