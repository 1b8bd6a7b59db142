import { computed, reactive, toValue } from 'vue'
import type { MaybeRefOrGetter } from 'vue'
import type { CallerLookup } from '../utils/api-types'
import { rowFromServerCall } from '../utils/call-rows'
import type { CallRow } from '../utils/call-rows'
import type { DialContext } from './use-dial-context'

declare module '../../stores/contact-lookup' {
  /** The dashboard's callers are its contacts, as `setMetadata` gives them to Talk. */
  interface TalkRegister {
    contact: DialContext
  }
}

/** Numbers looked up in this tab, newest last; a ringing call needs one, the log a few. */
const LIMIT = 50
const answers = reactive(new Map<string, CallerLookup | 'failed'>())
const asking = new Map<string, Promise<CallerLookup>>()

/** Keeps the newest answer for a number (failures too), dropping the oldest past the limit. */
function remember(number: string, answer: CallerLookup | 'failed'): void {
  answers.delete(number)
  answers.set(number, answer)
  if (answers.size > LIMIT) answers.delete(answers.keys().next().value!)
}

/**
 * Asks the server who a number belongs to (any format), once per number while this tab lives:
 * the resolver of the Talk store (its own tab) and the call UI (every tab) share the answer.
 */
export function lookupCaller(number: string): Promise<CallerLookup> {
  const known = answers.get(number)
  if (known && known !== 'failed') return Promise.resolve(known)
  let request = asking.get(number)
  if (!request) {
    request = $fetch<CallerLookup>('/api/contacts/lookup', { query: { number }, retry: 0 })
    asking.set(number, request)
    request.then(answer => remember(number, answer), () => remember(number, 'failed')).finally(() => asking.delete(number))
  }
  return request
}

/** The contact of a lookup in the shape Talk's metadata and the dial context use. */
export function callerContact(answer: CallerLookup): DialContext | null {
  const contact = answer.contact
  return contact && { id: contact.id, name: contact.name, company: contact.company, phone: contact.phone }
}

/** Forgets what the server said about a number (its contact was just added or changed). */
export function forgetCaller(number: string): void {
  answers.delete(number)
}

/** What is known about a number for showing it: its display form, contact and last call (asked for when first needed). */
export function useCaller(number: MaybeRefOrGetter<string | null | undefined>) {
  const answer = computed(() => {
    const value = toValue(number)
    if (!value) return null
    const known = answers.get(value)
    if (known === undefined && import.meta.client && !asking.has(value)) void lookupCaller(value).catch(() => {})
    return known ?? null
  })
  const found = computed(() => (answer.value && answer.value !== 'failed' ? answer.value : null))
  return {
    /** `pending` until the server answered, then `done` or `failed`. */
    state: computed(() => (answer.value === null ? 'pending' : answer.value === 'failed' ? 'failed' : 'done')),
    display: computed(() => found.value?.number.display ?? toValue(number) ?? ''),
    contact: computed(() => found.value?.contact ?? null),
    lastCall: computed<CallRow | null>(() => (found.value?.lastCall ? rowFromServerCall(found.value.lastCall) : null)),
  }
}
