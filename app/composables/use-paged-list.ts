import { ref } from 'vue'
import type { Ref } from 'vue'
import { apiProblem, isAbort } from '../utils/api-error'
import type { ApiProblem } from '../utils/api-error'
import type { Page } from '../utils/api-types'

/** How `usePagedList` fetches one page. */
export interface PagedListOptions<Raw, Item> {
  url: string
  pageSize: number
  /** The filter part of the query, read at each load. */
  query: () => Record<string, string | number | undefined>
  /** Turns one item of the answer into a list item (`null` drops it). */
  map: (raw: Raw) => Item | null
  /** How long typing waits before `debouncedLoad` fetches. */
  debounceMs?: number
}

/** How long a load that replaces the items may take before they count as stale (and are dimmed). */
const STALE_AFTER_MS = 250

/**
 * A server-paged list: a newer load cancels the request in flight, the shown items stay until
 * the new ones arrive, and `loadMore` appends the next page.
 */
export function usePagedList<Raw, Item>(options: PagedListOptions<Raw, Item>) {
  const items = ref<Item[]>([]) as Ref<Item[]>
  const total = ref(0)
  /** The server counted up to `total` and stopped: there are more. */
  const totalCapped = ref(false)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<ApiProblem | null>(null)
  /**
   * A load that replaces the items has been running for a while: pages dim the shown items.
   * Not at once: dimming a list for the few ms a search takes would only flicker (and make
   * the browser repaint the whole list twice per keystroke).
   */
  const stale = ref(false)
  let staleTimer: ReturnType<typeof setTimeout> | null = null
  /** The filter the shown items answer (so an empty state names the right search). */
  const shownQuery = ref<Record<string, string | number | undefined>>({})
  let controller: AbortController | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  function show(page: Page<Raw>, query: Record<string, string | number | undefined>, append: boolean): void {
    const fresh = page.items.map(options.map).filter((item): item is Item => item !== null)
    items.value = append ? [...items.value, ...fresh] : fresh
    total.value = page.total
    totalCapped.value = page.totalCapped === true
    error.value = null
    shownQuery.value = query
    loaded.value = true
  }

  /** Fetches the first page (or the next one with `append`). */
  async function load(append = false): Promise<void> {
    controller?.abort()
    const mine = new AbortController()
    controller = mine
    loading.value = true
    if (!append && !stale.value) staleTimer ??= setTimeout(() => {
      staleTimer = null
      stale.value = true
    }, STALE_AFTER_MS)
    const query = options.query()
    try {
      const page = await $fetch<Page<Raw>>(options.url, {
        query: { ...query, limit: options.pageSize, offset: append ? items.value.length : 0 },
        signal: mine.signal,
        retry: 0,
      })
      show(page, query, append)
    }
    catch (e) {
      if (!isAbort(e) && !mine.signal.aborted) error.value = apiProblem(e)
    }
    finally {
      if (controller === mine) {
        loading.value = false
        stale.value = false
        if (staleTimer) clearTimeout(staleTimer)
        staleTimer = null
      }
    }
  }

  function debouncedLoad(): void {
    if (timer) clearTimeout(timer)
    timer = null
    // Without a debounce the request starts now: a zero timer would wait for the next frame to be painted first.
    if (options.debounceMs === 0) void load()
    else timer = setTimeout(() => void load(), options.debounceMs ?? 150)
  }

  /**
   * Fetches the first page while the server renders the page, and hands it to the browser in
   * the Nuxt payload: the HTML already lists the items and hydration needs no request. Call it
   * in a page's setup under a key of its own. Where the server may not read the list (agent
   * authentication on: only the browser holds the Talk JWT, and nothing of the page request is
   * forwarded), the page renders its loading state, `loaded` stays false, and the browser loads
   * the list as usual. `pageSize` may be smaller than the usual page, to keep the HTML light;
   * `loadMore` goes on from there.
   */
  function loadOnServer(key: string, pageSize = options.pageSize): void {
    const state = useState<{ page: Page<Raw>, query: Record<string, string | number | undefined> } | null>(key, () => null)
    onServerPrefetch(async () => {
      const query = options.query()
      try {
        const page = await $fetch<Page<Raw>>(options.url, { query: { ...query, limit: pageSize, offset: 0 }, retry: 0 })
        state.value = { page, query }
        show(page, query, false)
      }
      catch {
        // Refused or failed: the browser fetches the list itself and shows any error then.
      }
    })
    if (import.meta.client && state.value) {
      show(state.value.page, state.value.query, false)
      // Used once: coming back to the page later fetches fresh items.
      state.value = null
    }
  }

  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
    if (staleTimer) clearTimeout(staleTimer)
    controller?.abort()
  })

  return { items, total, totalCapped, loading, stale, loaded, error, shownQuery, load, debouncedLoad, loadOnServer }
}
