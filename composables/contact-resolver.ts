import type { Pinia } from 'pinia'
import { useTalkStore } from '../stores/talk'
import type { TalkContactResolver, TalkContactResolverOptions } from '../stores/contact-lookup'

/**
 * Tells the Talk store how to find the app's contact for a caller's number: what
 * `createTalk({ resolveContact })` does, for apps that do not call `createTalk` themselves (a
 * Nuxt plugin). Returns the function that removes the resolver again.
 */
export function defineTalkContactResolver(resolve: TalkContactResolver, options: TalkContactResolverOptions & { pinia?: Pinia } = {}): () => void {
  return useTalkStore(options.pinia).setContactResolver(resolve, options)
}
