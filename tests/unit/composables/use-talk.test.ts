import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useTalk } from '../../../composables/use-talk'
import { useTalkStore } from '../../../stores/talk'
import { createFakeTalk } from '../stores/fake-talk'

describe('useTalk', () => {
  it('keeps an on() listener across a re-created Talk frame and drops it with its scope', () => {
    setActivePinia(createPinia())
    const store = useTalkStore()
    const first = createFakeTalk()
    const detachFirst = store.attach(first.bridge)
    const onLogin = vi.fn()
    const scope = effectScope()
    const talk = scope.run(() => useTalk())!
    talk.on('login', onLogin)
    expect(talk.bridge.value).toBe(first.bridge)

    first.login('en')
    detachFirst()
    first.bridge.dispose()
    const second = createFakeTalk()
    store.attach(second.bridge)
    expect(talk.bridge.value).toBe(second.bridge)
    second.login('fi')
    expect(onLogin.mock.calls.map(([event]) => event.language)).toEqual(['en', 'fi'])

    scope.stop()
    second.login('sv')
    expect(onLogin).toHaveBeenCalledTimes(2)
  })

  it('exposes the live status and the store actions', async () => {
    setActivePinia(createPinia())
    const store = useTalkStore()
    const fake = createFakeTalk()
    store.attach(fake.bridge)
    const talk = useTalk()
    expect(talk.status.value).toBe('offline')
    fake.login()
    expect(talk.status.value).toBe('available')
    expect(talk.canCall.value).toBe(true)
    await talk.setAvailable(false)
    expect(talk.status.value).toBe('unavailable')
  })
})
