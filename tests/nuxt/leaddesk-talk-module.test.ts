import { mountSuspended } from '@nuxt/test-utils/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { TalkFrame } from '#components'
import { useNuxtApp, useRuntimeConfig, useTalk, useTalkStore } from '#imports'
import { talkOptionsKey } from '../../composables/talk-options'
import { NO_TALK_URL_MESSAGE } from '../../components/TalkFrame'

const TALK_URL = 'https://login-ce2.leaddesk.com/'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('leaddesk-talk Nuxt module', () => {
  it('registers <TalkFrame>, which renders the iframe the Talk spec asks for', async () => {
    const wrapper = await mountSuspended(TalkFrame, { props: { src: TALK_URL } })
    await vi.waitFor(() => expect(wrapper.find('iframe').exists()).toBe(true))
    expect(wrapper.get('iframe').attributes()).toMatchObject({ id: 'LD_talk', title: 'LeadDesk Talk', allow: 'microphone *', src: TALK_URL, width: '400', height: '800' })
    wrapper.unmount()
  })

  it('loads the built-in simulator below the app base URL when no src is configured', async () => {
    const wrapper = await mountSuspended(TalkFrame)
    await vi.waitFor(() => expect(wrapper.find('iframe').exists()).toBe(true))
    expect(wrapper.get('iframe').attributes('src')).toMatch(/^http:\/\/[^/]+\/_leaddesk-talk\/simulator\/\?agent=$/)
    wrapper.unmount()
  })

  it('shows what to configure when there is neither a src nor the simulator', async () => {
    const wrapper = await mountSuspended(TalkFrame, { global: { provide: { [talkOptionsKey as symbol]: {} } } })
    expect(wrapper.get('[role="alert"]').text()).toBe(NO_TALK_URL_MESSAGE)
  })

  it('leaves no message listener on window after unmount', async () => {
    const add = vi.spyOn(window, 'addEventListener')
    const remove = vi.spyOn(window, 'removeEventListener')
    const count = () => add.mock.calls.filter(c => c[0] === 'message').length - remove.mock.calls.filter(c => c[0] === 'message').length
    for (let i = 0; i < 2; i++) {
      const wrapper = await mountSuspended(TalkFrame, { props: { src: TALK_URL } })
      await vi.waitFor(() => expect(count()).toBe(1))
      wrapper.unmount()
      expect(count()).toBe(0)
    }
  })

  it('auto-imports useTalk and useTalkStore, wired to the same store <TalkFrame> drives', async () => {
    let seen: ReturnType<typeof useTalk> | undefined
    const Probe = defineComponent({
      setup() {
        seen = useTalk()
        return () => h('p', { 'data-testid': 'talk-status' }, seen!.status.value)
      },
    })
    const wrapper = await mountSuspended(defineComponent({ render: () => [h(TalkFrame, { src: TALK_URL }), h(Probe)] }))
    await vi.waitFor(() => expect(useTalkStore().connected).toBe(true))
    expect(seen!.store).toBe(useTalkStore())
    expect(wrapper.get('[data-testid="talk-status"]').text()).toBe('offline')
    wrapper.unmount()
    await nextTick()
    expect(useTalkStore().connected).toBe(false)
  })

  it('puts its options in public runtime config and installs the Vue plugin with v-talk-call', () => {
    expect(useRuntimeConfig().public.leaddeskTalk).toMatchObject({ frameId: 'LD_talk', history: { limit: expect.any(Number) }, simulator: true })
    expect(useNuxtApp().vueApp.directive('talk-call')).toBeDefined()
  })
})
