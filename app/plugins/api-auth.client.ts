import { FetchError } from 'ofetch'
import type { $Fetch } from 'ofetch'
import { createApiAuth, isApiRequest } from '~/utils/api-auth'

// The plain ofetch signature: Nitro's route-typed `$fetch` is too deep for a generic wrapper.
type Fetch = $Fetch

const LOGIN_WAIT_MS = 30_000

function untilLoggedIn(store: ReturnType<typeof useTalkStore>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error('Log in to Talk: the dashboard API needs your Talk sign-in'))
    }, ms)
    const stop = watch(() => store.agent.loggedIn, (loggedIn) => {
      if (!loggedIn) return
      clearTimeout(timer)
      stop()
      resolve()
    })
  })
}

/**
 * Sends the agent's Talk JWT with every `/api/**` request once the server has asked for one
 * (agent authentication on: `LEADDESK_TALK_JWT_KEY` or `LEADDESK_TALK_JWKS_URL`). Wrapping
 * `$fetch` here covers `useFetch`, `$fetch` and the outbox alike; a 401 Bearer challenge gets
 * one retry with a fresh token from Talk.
 */
export default defineNuxtPlugin(() => {
  const store = useTalkStore()
  const auth = createApiAuth({ requestJwt: async () => {
    // Pages load their data while Talk is still logging in; wait for the login, not fail.
    if (!store.agent.loggedIn) await untilLoggedIn(store, LOGIN_WAIT_MS)
    return store.requestJwt()
  } })
  const base = globalThis.$fetch as unknown as Fetch

  async function withAuth(options: Parameters<Fetch>[1]): Promise<Parameters<Fetch>[1]> {
    const header = await auth.header()
    if (!header) return options
    const headers = new Headers(options?.headers as HeadersInit | undefined)
    headers.set('authorization', header)
    return { ...options, headers }
  }

  const authed = (async (request: Parameters<Fetch>[0], options?: Parameters<Fetch>[1]) => {
    if (!isApiRequest(request)) return base(request, options)
    try {
      return await base(request, await withAuth(options))
    }
    catch (error) {
      if (error instanceof FetchError && error.statusCode === 401 && auth.challenged(error.response?.headers.get('www-authenticate') ?? null)) {
        return base(request, await withAuth(options))
      }
      throw error
    }
  }) as Fetch
  globalThis.$fetch = Object.assign(authed, { raw: base.raw, native: base.native, create: base.create }) as unknown as typeof globalThis.$fetch
})
