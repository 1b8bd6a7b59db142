// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TalkFrame } from '../../../components/TalkFrame'
import { createTalk } from '../../../composables/create-talk'
import { useTalkStore } from '../../../stores/talk'
import type { TalkStore } from '../../../stores/talk'
import { createFakeTalk } from '../stores/fake-talk'
import { createFakeBrowser } from '../tabs/fake-browser'
import type { FakeBrowser } from '../tabs/fake-browser'

const TALK_URL = 'https://login-ce2.leaddesk.com/'
const mounted: VueWrapper[] = []
const stops: (() => void)[] = []

afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
  for (const stop of stops.splice(0)) stop()
  document.body.innerHTML = ''
})

/** A browser tab showing <TalkFrame> (in a detached element: happy-dom then loads nothing). */
function frameTab(browser: FakeBrowser) {
  const pinia = createPinia()
  const wrapper = mount(TalkFrame, {
    attachTo: document.createElement('div'),
    global: { plugins: [pinia, createTalk({ src: TALK_URL, history: { persist: false } }, { tabsEnvironment: browser.openTab() })] },
  })
  mounted.push(wrapper)
  return { wrapper, store: useTalkStore(pinia) }
}

/** A tab whose Talk frame is a fake Talk wired to its store, so tests can post what Talk would. */
function fakeHostTab(browser: FakeBrowser) {
  const store: TalkStore = useTalkStore(createPinia())
  store.configure({ history: { persist: false } })
  stops.push(store.coordinateTabs(browser.openTab()))
  const talk = createFakeTalk()
  const log: string[] = []
  let detach = () => {}
  stops.push(store.tabs!.join({
    start() {
      log.push('host start')
      detach = store.attach(talk.bridge)
    },
    async stop() {
      detach()
      log.push('host stop')
    },
  }))
  return { store, talk, log }
}

/** A fake host tab, then a <TalkFrame> tab that knows it. */
async function hostThenFrame() {
  const browser = createFakeBrowser()
  const host = fakeHostTab(browser)
  await vi.waitFor(() => expect(host.store.tab.role).toBe('host'))
  const tab = frameTab(browser)
  await vi.waitFor(() => expect(tab.store.tab.hostKnown).toBe(true))
  return { host, tab }
}

const notice = (wrapper: VueWrapper) => wrapper.get('[role="status"]').text()
const useHere = (wrapper: VueWrapper) => wrapper.get('button')

describe('<TalkFrame> in several tabs', () => {
  it('creates the iframe in one tab only; the other says where Talk is and offers to bring it', async () => {
    const browser = createFakeBrowser()
    const first = frameTab(browser)
    await vi.waitFor(() => expect(first.wrapper.find('iframe').exists()).toBe(true))
    const second = frameTab(browser)
    await vi.waitFor(() => expect(second.store.tab.role).toBe('follower'))
    await flushPromises()
    expect(second.wrapper.find('iframe').exists()).toBe(false)
    expect(second.wrapper.text()).toContain('LeadDesk Talk is open in another tab')
    expect(useHere(second.wrapper).text()).toBe('Use Talk in this tab')
    expect(useHere(second.wrapper).attributes('disabled')).toBeUndefined()
    // Nothing moved while these tabs were open: nothing to announce.
    expect(notice(first.wrapper)).toBe('')
    expect(notice(second.wrapper)).toBe('')
  })

  it('disables "Use Talk in this tab" while a call is on in the host tab, and says why', async () => {
    const { host, tab } = await hostThenFrame()
    host.talk.login()
    host.talk.ring(5, 'in')
    await vi.waitFor(() => expect(tab.store.status).toBe('ringing'))
    await flushPromises()
    const button = useHere(tab.wrapper)
    expect(button.attributes('disabled')).toBeDefined()
    const reason = tab.wrapper.get(`[id="${button.attributes('aria-describedby')}"]`).text()
    expect(reason).toBe('A call is ringing: LeadDesk Talk can move here once it is over.')
    host.talk.disconnect()
    host.talk.complete(5)
    await vi.waitFor(() => expect(tab.wrapper.get('button').attributes('disabled')).toBeUndefined())
  })

  it('moves Talk here on the button: the host\'s frame goes first, then this tab\'s appears, and both tabs say so', async () => {
    const { host, tab } = await hostThenFrame()
    await flushPromises()
    await useHere(tab.wrapper).trigger('click')
    await vi.waitFor(() => expect(tab.wrapper.find('iframe').exists()).toBe(true))
    expect(host.log).toEqual(['host start', 'host stop'])
    expect(notice(tab.wrapper)).toBe('LeadDesk Talk moved to this tab.')
    await vi.waitFor(() => expect(host.store.tab).toMatchObject({ role: 'follower', hostKnown: true, change: { cause: 'requested', here: false } }))
  })

  it('shows why Talk could not move when the host refuses', async () => {
    const { host, tab } = await hostThenFrame()
    host.talk.login()
    await vi.waitFor(() => expect(tab.store.status).toBe('available'))
    await flushPromises()
    // The call rings in the host tab just as the button is pressed here, before this tab has heard of it.
    host.talk.ring(8, 'in')
    await useHere(tab.wrapper).trigger('click')
    await vi.waitFor(() => expect(tab.wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(tab.wrapper.get('[role="alert"]').text()).toBe('LeadDesk Talk could not move here: A call is ringing')
    expect(tab.wrapper.find('iframe').exists()).toBe(false)
  })
})
