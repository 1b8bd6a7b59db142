import { computed, reactive, watch } from 'vue'
import { matchesFilter, mergeCallRows, rowFromServerCall, rowFromTalkCall } from '../utils/call-rows'
import { isInterruptedCall } from '../utils/outbox-queue'
import type { TalkCompletedCall } from '../../protocol/index'
import { usePagedList } from './use-paged-list'
import type { CallFilter, CallRow } from '../utils/call-rows'

const PAGE_SIZE = 200
/** Calls in the server-rendered page: more than the tallest log shows; scrolling fetches the rest. */
const FIRST_PAGE_SIZE = 50

/**
 * The call log: this browser's completed calls (from the store, shown the moment Talk reports
 * them) and interrupted ones still waiting in the outbox, merged with the calls the server
 * stored, one row per call id, filtered and newest first.
 */
export function useCallLog() {
  const store = useTalkStore()
  const outbox = useOutbox()
  const { lastContact } = useDialContext()
  const filter = reactive<CallFilter>({ direction: '', answered: '', text: '' })
  const list = usePagedList<Record<string, unknown>, CallRow>({
    url: '/api/calls',
    pageSize: PAGE_SIZE,
    query: () => ({
      direction: filter.direction || undefined,
      answered: filter.answered === 'yes' ? 'true' : filter.answered === 'no' ? 'false' : undefined,
      q: filter.text.trim() || undefined,
    }),
    map: rowFromServerCall,
  })
  const { items: stored, total, loading, stale, loaded, error, load } = list

  watch(() => [filter.direction, filter.answered], () => void load())
  watch(() => filter.text, list.debouncedLoad)
  // A call the outbox just delivered now has its contact on the server: fetch the fresh rows.
  watch(outbox.syncedCount, () => void load())

  // Interrupted first: a completed record of the same call, later in the list, wins.
  const lost = computed(() => outbox.items.value.filter(isInterruptedCall).map(item => item.body as TalkCompletedCall & { interrupted: unknown }))
  const live = computed(() => [...lost.value, ...store.history].map((entry) => {
    const row = rowFromTalkCall(entry)
    const contact = lastContact.value
    // Until the server has matched it, a call to the contact just dialled is shown under their name.
    if (contact && row.number && row.number.replace(/\D/g, '') === contact.phone.replace(/\D/g, '')) {
      return { ...row, contactId: contact.id, contactName: contact.name }
    }
    return row
  }))

  const rows = computed(() => mergeCallRows(live.value, stored.value).filter(r => matchesFilter(r, filter)))

  return {
    filter, rows, total, loading, stale, loaded, error,
    reload: () => load(),
    loadMore: () => load(true),
    /** Renders the first page on the server (see `usePagedList`); the browser then only loads when that was not possible. */
    loadOnServer: () => list.loadOnServer('call-log:first-page', FIRST_PAGE_SIZE),
    canLoadMore: computed(() => stored.value.length < total.value),
  }
}
