import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEVTOOLS_CHANNEL, startDevtoolsFeed } from '../../../modules/leaddesk-talk/runtime/devtools-feed'
import { useTalkStore } from '../../../stores/talk'
import { createFakeTalk } from '../stores/fake-talk'

type Snapshot = { status: string, activeCall: { number: string | null } | null, historySize: number, debugLog: { action: string, note?: string }[] }

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** The DevTools tab's side of the channel: every snapshot it received. */
function devtoolsTab() {
  const channel = new BroadcastChannel(DEVTOOLS_CHANNEL)
  const snapshots: Snapshot[] = []
  channel.onmessage = (event: MessageEvent) => {
    if ((event.data as { type?: string }).type === 'snapshot') snapshots.push((event.data as { snapshot: Snapshot }).snapshot)
  }
  cleanups.push(() => channel.close())
  return { snapshots, hello: () => channel.postMessage({ type: 'hello' }), latest: () => snapshots.at(-1) }
}

function setup() {
  setActivePinia(createPinia())
  const store = useTalkStore()
  store.configure({ history: { persist: false } })
  const talk = createFakeTalk()
  cleanups.push(store.attach(talk.bridge))
  return { store, talk }
}

describe('the DevTools tab feed', () => {
  it('sends the store\'s state as it changes, with phone numbers masked and no SMS text', async () => {
    const { store, talk } = setup()
    const tab = devtoolsTab()
    cleanups.push(startDevtoolsFeed(store))
    await vi.waitFor(() => expect(tab.latest()?.status).toBe('offline'))
    talk.login()
    await vi.waitFor(() => expect(tab.latest()?.status).toBe('available'))
    talk.ring(5, 'in', '+358409998877')
    await vi.waitFor(() => expect(tab.latest()?.status).toBe('ringing'))
    expect(tab.latest()!.activeCall!.number).toBe('…77')
    talk.post({ action: 'sms', sms: 'Secret offer text', callId: 5 })
    talk.disconnect()
    talk.complete(5)
    await vi.waitFor(() => expect(tab.latest()?.historySize).toBe(1))
    const everything = JSON.stringify(tab.snapshots)
    expect(everything).not.toContain('9998877')
    expect(everything).not.toContain('Secret offer text')
  })

  it('answers a tab that opens later, and stops when the app stops it', async () => {
    const { store, talk } = setup()
    talk.login()
    const stop = startDevtoolsFeed(store)
    const tab = devtoolsTab()
    tab.hello()
    await vi.waitFor(() => expect(tab.latest()?.status).toBe('available'))
    stop()
    const seen = tab.snapshots.length
    talk.logout()
    tab.hello()
    // A marker on a second channel proves the messages above were delivered (and ignored) by now.
    const marker = devtoolsTab()
    const sender = new BroadcastChannel(DEVTOOLS_CHANNEL)
    cleanups.push(() => sender.close())
    sender.postMessage({ type: 'snapshot', snapshot: { status: 'marker' } })
    await vi.waitFor(() => expect(marker.latest()?.status).toBe('marker'))
    await vi.waitFor(() => expect(tab.latest()?.status).toBe('marker'))
    expect(tab.snapshots.slice(seen).map(s => s.status)).toEqual(['marker'])
  })
})
