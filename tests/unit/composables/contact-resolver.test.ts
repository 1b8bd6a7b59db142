import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { createApp } from 'vue'
import { defineTalkContactResolver } from '../../../composables/contact-resolver'
import { createTalk } from '../../../composables/create-talk'
import { useTalkStore } from '../../../stores/talk'
import { createFakeTalk } from '../stores/fake-talk'

const aino = { id: 7, name: 'Aino Virtanen' }

describe('telling the store who is calling', () => {
  it('uses createTalk\'s resolveContact, with its timeout, for a ringing call', async () => {
    vi.useFakeTimers()
    try {
      const pinia = createPinia()
      const app = createApp({ render: () => null })
      app.use(pinia)
      app.use(createTalk({ history: { persist: false }, resolveContact: () => new Promise(() => {}), resolveContactOptions: { timeout: 200 } }, { tabsEnvironment: null }))
      const store = useTalkStore(pinia)
      const talk = createFakeTalk()
      store.attach(talk.bridge)
      talk.login()
      talk.ring(1, 'in')
      expect(store.activeCall?.contactLookup).toBe('pending')
      // The call moves on while the lookup hangs; the lookup gives up at the configured timeout, not the default.
      talk.connect()
      expect(store.status).toBe('in-call')
      await vi.advanceTimersByTimeAsync(200)
      expect(store.activeCall?.contactLookup).toBe('failed')
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('uses a resolver defined later (a Nuxt plugin), until the function it returned removes it', async () => {
    setActivePinia(createPinia())
    const store = useTalkStore()
    const talk = createFakeTalk()
    store.attach(talk.bridge)
    talk.login()
    const asked: string[] = []
    const remove = defineTalkContactResolver((number) => {
      asked.push(number)
      return number === '+358400326411' ? aino : null
    })
    talk.ring(2, 'in', '+358400326411')
    await vi.waitFor(() => expect(store.activeCall?.contact).toEqual(aino))
    talk.disconnect()
    talk.complete(2)

    remove()
    talk.ring(3, 'in', '+358400326411')
    // Nobody is asked any more: the call shows no contact and no lookup.
    expect(store.activeCall).toMatchObject({ id: 3, contact: null, contactLookup: null })
    expect(asked).toEqual(['+358400326411'])
  })
})
