// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, nextTick } from 'vue'
import { NO_TALK_URL_MESSAGE, TalkFrame } from '../../../components/TalkFrame'
import { createTalk } from '../../../composables/create-talk'
import type { TalkOptions } from '../../../composables/talk-options'
import { useTalkStore } from '../../../stores/talk'

const TALK_URL = 'https://login-ce2.leaddesk.com/'

// Mounted into a detached element: happy-dom then does not try to load the iframe (no network in tests).
function mountFrame(options: TalkOptions = { src: TALK_URL }, props: Record<string, unknown> = {}, host = document.createElement('div')) {
  return mount(TalkFrame, { props, attachTo: host, global: { plugins: [createPinia(), createTalk({ history: { persist: false }, ...options })] } })
}

interface ListenerSpy { mock: { calls: unknown[][] } }

function messageListenerCount(spy: { add: ListenerSpy, remove: ListenerSpy }) {
  const count = (s: ListenerSpy) => s.mock.calls.filter(call => call[0] === 'message').length
  return count(spy.add) - count(spy.remove)
}

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('<TalkFrame>', () => {
  it('renders the iframe with the attributes the Talk spec requires', async () => {
    const wrapper = mountFrame()
    await nextTick()
    const iframe = wrapper.get('iframe')
    expect(iframe.attributes()).toMatchObject({ id: 'LD_talk', title: 'LeadDesk Talk', allow: 'microphone *', src: TALK_URL, width: '400', height: '800' })
    wrapper.unmount()
  })

  it('creates the iframe only after the message listener exists, so an immediate login is not lost', async () => {
    const framesWhenListening: number[] = []
    const host = document.createElement('div')
    const add = window.addEventListener.bind(window)
    vi.spyOn(window, 'addEventListener').mockImplementation((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
      if (type === 'message') framesWhenListening.push(host.querySelectorAll('iframe').length)
      add(type, listener, options)
    })
    const wrapper = mountFrame({ src: TALK_URL }, {}, host)
    await nextTick()
    expect(framesWhenListening).toEqual([0])
    expect(wrapper.find('iframe').exists()).toBe(true)
    wrapper.unmount()
  })

  it('leaves no message listener on window after unmount, across remounts', async () => {
    const spy = { add: vi.spyOn(window, 'addEventListener'), remove: vi.spyOn(window, 'removeEventListener') }
    for (let i = 0; i < 3; i++) {
      const wrapper = mountFrame()
      await nextTick()
      expect(messageListenerCount(spy)).toBe(1)
      wrapper.unmount()
      expect(messageListenerCount(spy)).toBe(0)
    }
  })

  it('explains what to configure when there is no Talk URL', () => {
    const wrapper = mountFrame({})
    expect(wrapper.get('[role="alert"]').text()).toBe(NO_TALK_URL_MESSAGE)
    expect(wrapper.find('iframe').exists()).toBe(false)
  })

  it('connects when a Talk URL is given after mounting, with a fresh bridge per URL', async () => {
    const spy = { add: vi.spyOn(window, 'addEventListener'), remove: vi.spyOn(window, 'removeEventListener') }
    const wrapper = mountFrame({})
    expect(wrapper.find('[role="alert"]').exists()).toBe(true)
    await wrapper.setProps({ src: TALK_URL })
    expect(wrapper.get('iframe').attributes('src')).toBe(TALK_URL)
    await wrapper.setProps({ src: 'https://login-fi1.leaddesk.com/' })
    expect(wrapper.get('iframe').attributes('src')).toBe('https://login-fi1.leaddesk.com/')
    expect(messageListenerCount(spy)).toBe(1)
    wrapper.unmount()
    expect(messageListenerCount(spy)).toBe(0)
  })

  it('loads the simulator when no src is set but a simulator URL is', async () => {
    const wrapper = mountFrame({ simulatorUrl: 'http://localhost:3000/_leaddesk-talk/simulator/' })
    await nextTick()
    expect(wrapper.get('iframe').attributes('src')).toBe('http://localhost:3000/_leaddesk-talk/simulator/')
    wrapper.unmount()
  })

  it('takes id, size and title from props over the plugin options, and fills its container when responsive', async () => {
    const wrapper = mountFrame({ src: TALK_URL, frameId: 'from-options', width: 300 }, { frameId: 'talk-2', title: 'Phone', height: '90vh' })
    await nextTick()
    expect(wrapper.get('iframe').attributes()).toMatchObject({ id: 'talk-2', title: 'Phone', width: '300', height: '90vh' })
    await wrapper.setProps({ responsive: true })
    const iframe = wrapper.get('iframe')
    expect(iframe.attributes('width')).toBeUndefined()
    expect(iframe.element.style.width).toBe('100%')
    wrapper.unmount()
  })

  it('shows the reason instead of a frame when allowedOrigins is invalid', async () => {
    const wrapper = mountFrame({ src: TALK_URL, allowedOrigins: ['leaddesk.com'] })
    await nextTick()
    expect(wrapper.get('[role="alert"]').text()).toMatch(/not an origin/i)
  })

  it('connects the store while mounted and reports dropped messages as diagnostics', async () => {
    const onDiagnostic = vi.fn()
    const wrapper = mountFrame({ src: TALK_URL, onDiagnostic })
    await nextTick()
    const store = useTalkStore()
    expect(store.connected).toBe(true)
    window.dispatchEvent(new MessageEvent('message', { data: { action: 'login', language: 'en', origin: TALK_URL }, origin: 'https://login-ce2.leaddesk.com' }))
    expect(store.status).toBe('offline')
    expect(wrapper.emitted('diagnostic')?.[0]?.[0]).toMatchObject({ kind: 'foreign-source' })
    expect(onDiagnostic).toHaveBeenCalledWith(expect.objectContaining({ kind: 'foreign-source' }))
    wrapper.unmount()
    expect(store.connected).toBe(false)
  })
})

describe('createTalk', () => {
  it('refuses to install without Pinia, saying what to do', () => {
    expect(() => mount(defineComponent({ render: () => null }), { global: { plugins: [createTalk()] } })).toThrow(/app.use\(createPinia\(\)\)/)
  })

  it('makes any element a click-to-call trigger with v-talk-call', async () => {
    const Caller = defineComponent({ render: () => null })
    const wrapper = mount(defineComponent({
      template: '<button v-talk-call="number">Call</button>',
      data: () => ({ number: '+358 40 111' }),
    }), { global: { plugins: [createPinia(), createTalk({ history: { persist: false } })] } })
    void Caller
    const store = useTalkStore()
    const called: unknown[] = []
    store.$onAction(({ name, args }) => {
      if (name === 'call') called.push(args[0])
    })
    await wrapper.get('button').trigger('click')
    await wrapper.setData({ number: '+358 40 222' })
    await wrapper.get('button').trigger('click')
    expect(called).toEqual(['+358 40 111', '+358 40 222'])
    await vi.waitFor(() => expect(store.lastError?.code).toBe('not-logged-in'))
  })

  it('turns tel: link clicks into calls only when interceptTelLinks is on, until the app unmounts', async () => {
    const calls: unknown[] = []
    const run = (interceptTelLinks: boolean) => {
      const wrapper = mount(defineComponent({ template: '<a href="tel:+358%2040%20333">Call</a>' }), {
        attachTo: document.body,
        global: { plugins: [createPinia(), createTalk({ history: { persist: false }, interceptTelLinks })] },
      })
      useTalkStore().$onAction(({ name, args }) => {
        if (name === 'call') calls.push(args[0])
      })
      return wrapper
    }
    const click = () => {
      const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })
      document.querySelector('a')!.dispatchEvent(event)
      return event.defaultPrevented
    }
    const off = run(false)
    expect(click()).toBe(false)
    off.unmount()
    const on = run(true)
    expect(click()).toBe(true)
    expect(calls).toEqual(['+358 40 333'])
    on.unmount()
    document.body.innerHTML = '<a href="tel:+35840">x</a>'
    expect(click()).toBe(false)
  })
})
