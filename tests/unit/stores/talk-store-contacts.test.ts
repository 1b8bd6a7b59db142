import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TalkDiagnostic } from '../../../protocol/index'
import { createMemoryHistoryStorage } from '../../../stores/history-storage'
import { useTalkStore } from '../../../stores/talk'
import type { TalkContact, TalkContactResolverOptions } from '../../../vue'
import { createFakeBrowser } from '../tabs/fake-browser'
import { createFakeTalk } from './fake-talk'

const aino = { id: 7, name: 'Aino Virtanen', company: 'Kivi Oy' }
const elina = { id: 8, name: 'Elina Virtanen', company: null }

/** A store on a fake Talk with `resolve` as its contact resolver; diagnostics are collected. */
function setup(resolve: (number: string) => TalkContact | null | Promise<TalkContact | null>, options: TalkContactResolverOptions = {}) {
  setActivePinia(createPinia())
  const store = useTalkStore()
  const diagnostics: TalkDiagnostic[] = []
  store.configure({ history: { persist: false }, onDiagnostic: d => void diagnostics.push(d) })
  const asked: string[] = []
  store.setContactResolver((number) => {
    asked.push(number)
    return resolve(number)
  }, options)
  const talk = createFakeTalk()
  store.attach(talk.bridge)
  talk.login()
  const metadataSent = () => talk.commands.filter(c => c.command.action === 'setMetadata').map(c => (c.command as { metadata: unknown }).metadata)
  return { store, talk, asked, diagnostics, metadataSent }
}

/** A promise and the functions that settle it, for a resolver that answers when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('caller identification', () => {
  it('shows the caller of an inbound call and gives Talk their metadata', async () => {
    const { store, talk, asked, metadataSent } = setup(() => aino)
    talk.ring(1, 'in', '+358400326411')
    expect(asked).toEqual(['+358400326411'])
    // The call shows at once; the contact follows.
    expect(store.status).toBe('ringing')
    await vi.waitFor(() => expect(store.activeCall?.contact).toEqual(aino))
    expect(store.activeCall?.contactLookup).toBe('found')
    expect(metadataSent()).toEqual([aino])
    expect(store.metadata).toEqual(aino)
  })

  it('clears the previous contact\'s metadata when an inbound caller matches nobody', async () => {
    const { store, talk, metadataSent } = setup(() => null)
    await store.setMetadata(elina)
    talk.ring(2, 'in', '+358401112222')
    await vi.waitFor(() => expect(store.activeCall?.contactLookup).toBe('not-found'))
    expect(store.activeCall?.contact).toBeNull()
    expect(metadataSent()).toEqual([elina, {}])
  })

  it('keeps the metadata the app set before dialling out when the callee matches nobody', async () => {
    const { store, talk, metadataSent } = setup(() => null)
    await store.setMetadata(elina)
    talk.ring(3, 'out')
    await vi.waitFor(() => expect(store.activeCall?.contactLookup).toBe('not-found'))
    expect(metadataSent()).toEqual([elina])
  })

  it('goes on without a contact when the resolver is too slow, and says why', async () => {
    vi.useFakeTimers()
    const never = deferred<TalkContact | null>()
    const { store, talk, diagnostics, metadataSent } = setup(() => never.promise, { timeout: 500 })
    await store.setMetadata(elina)
    talk.ring(4, 'in')
    talk.connect()
    // The call flow never waited for the lookup.
    expect(store.status).toBe('in-call')
    expect(store.activeCall?.contactLookup).toBe('pending')
    await vi.advanceTimersByTimeAsync(500)
    expect(store.activeCall?.contactLookup).toBe('failed')
    expect(diagnostics).toEqual([expect.objectContaining({ kind: 'contact-lookup', reason: 'Caller of call 4 not identified: no answer in 500 ms' })])
    expect(metadataSent()).toEqual([elina, {}])
    // An answer after the timeout changes nothing.
    never.resolve(aino)
    await vi.advanceTimersByTimeAsync(0)
    expect(store.activeCall?.contact).toBeNull()
  })

  it('reports a resolver that throws or returns no JSON object, without the number, and the call goes on', async () => {
    const { store, talk, diagnostics } = setup((number) => {
      if (number.endsWith('1')) throw new Error(`GET /api/lookup?number=${number}: 500`)
      return 'Aino' as unknown as TalkContact
    })
    talk.ring(5, 'in', '+358400000001')
    await vi.waitFor(() => expect(store.activeCall?.contactLookup).toBe('failed'))
    talk.disconnect()
    talk.complete(5)
    talk.ring(6, 'in', '+358400000002')
    await vi.waitFor(() => expect(store.activeCall?.contactLookup).toBe('failed'))
    expect(diagnostics.map(d => d.reason)).toEqual([
      'Caller of call 5 not identified: GET /api/lookup?number=+…: 500',
      'Caller of call 6 not identified: it returned no plain JSON object',
    ])
    expect(store.status).toBe('ringing')
  })

  it('drops an answer for an older call that arrives after the next call rang', async () => {
    const answers = [deferred<TalkContact | null>(), deferred<TalkContact | null>()]
    let asked = 0
    const { store, talk, metadataSent } = setup(() => answers[asked++]!.promise)
    talk.ring(10, 'in')
    talk.disconnect()
    talk.complete(10)
    talk.ring(11, 'in')
    answers[1]!.resolve(elina)
    await vi.waitFor(() => expect(store.activeCall?.contact).toEqual(elina))
    answers[0]!.resolve(aino)
    await Promise.resolve()
    await Promise.resolve()
    expect(store.activeCall).toMatchObject({ id: 11, contact: elina })
    expect(metadataSent()).toEqual([elina])
  })

  it('asks once per call, however often Talk repeats its call event', async () => {
    const { talk, asked } = setup(() => aino)
    talk.ring(12, 'in')
    talk.ring(12, 'in')
    expect(asked).toHaveLength(1)
  })

  it('shows the caller found by the host tab in a follower tab, which asks nobody itself', async () => {
    const browser = createFakeBrowser()
    const stores = [0, 1].map((i) => {
      const store = useTalkStore(createPinia())
      store.configure({ history: { persist: false }, storage: createMemoryHistoryStorage({ limit: 10 }) })
      return { store, env: browser.openTab(), i }
    })
    const asked: number[] = []
    const talks: ReturnType<typeof createFakeTalk>[] = []
    const stops = stores.map(({ store, env, i }) => {
      store.setContactResolver(() => {
        asked.push(i)
        return aino
      })
      const disconnect = store.coordinateTabs(env, { timeout: 1000 })
      store.tabs!.join({
        start() {
          const talk = createFakeTalk()
          talks.push(talk)
          store.attach(talk.bridge)
        },
        async stop() {},
      })
      return disconnect
    })
    try {
      await vi.waitFor(() => expect(stores.map(s => s.store.tab.role).sort()).toEqual(['follower', 'host']))
      const host = stores.find(s => s.store.tab.role === 'host')!
      const follower = stores.find(s => s.store.tab.role === 'follower')!
      talks[0]!.login()
      talks[0]!.ring(20, 'in')
      await vi.waitFor(() => expect(follower.store.activeCall).toMatchObject({ id: 20, contact: aino, contactLookup: 'found' }))
      expect(asked).toEqual([host.i])
    }
    finally {
      for (const stop of stops) stop()
    }
  })

  it('names the command that failed in the last error', async () => {
    const { store, talk } = setup(() => null)
    const answering = store.answer().catch(() => {})
    await vi.waitFor(() => expect(talk.commands.map(c => c.command.action)).toContain('answer'))
    talk.post({ action: 'error', message: 'general' })
    await answering
    expect(store.lastError).toMatchObject({ code: 'talk-error', message: 'general', action: 'answer' })
  })
})
