/**
 * Caller identification: the app tells the store how to find its own contact for a phone
 * number, and the store asks on every ringing call. Only the types live here; the store runs
 * the lookup (it alone knows which call is current).
 */
import type { TalkDirection, TalkMetadata } from '../protocol/index'
import type { JsonValue } from '../protocol/schema'

/**
 * Where an app names the shape of its contacts, once, for every typed API of the package:
 * `declare module 'nuxt-leaddesk-talk/vue' { interface TalkRegister { contact: CrmContact } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the app through declaration merging
export interface TalkRegister {}

/**
 * The app's contact, as `resolveContact` returns it: the type registered in `TalkRegister`, or
 * any plain JSON object. It must be plain JSON either way: it is shared with the other tabs and
 * may be given to Talk as metadata.
 */
export type TalkContact = TalkRegister extends { contact: infer C } ? C : { [key: string]: JsonValue }

/** The ringing call a lookup is about. */
export interface TalkContactQuery {
  id: number
  direction: TalkDirection
}

/** Finds the app's contact for a number as Talk sent it (any format); `null` when there is none. */
export type TalkContactResolver = (number: string, call: TalkContactQuery) => TalkContact | null | PromiseLike<TalkContact | null>

/** How the store uses a contact resolver. */
export interface TalkContactResolverOptions {
  /** How long a lookup may take before the call goes on without a contact, in ms. Default: 3000. */
  timeout?: number
  /** What Talk's `setMetadata` gets for a found contact. Default: the contact itself. */
  metadata?: (contact: TalkContact) => TalkMetadata
}

/** How far the lookup of the active call's caller got: asked, a contact, no contact, or failed (timed out, threw, returned no JSON object). */
export type TalkContactLookup = 'pending' | 'found' | 'not-found' | 'failed'

/** The lookup of one call, as the host tab shares it. */
export interface TalkLookupState {
  callId: number
  state: TalkContactLookup
  contact: TalkContact | null
}
