import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { isTalkError } from '../../../protocol/index'
import type { TalkEvent } from '../../../protocol/index'
import { useTalk } from '../../../composables/use-talk'
import { createMemoryHistoryStorage } from '../../../stores/history-storage'
import { useTalkStore } from '../../../stores/talk'
import type { Pinia } from 'pinia'
import type { TalkEventContext } from '../../../stores/talk'
import { createFakeBrowser } from '../tabs/fake-browser'
import type { FakeBrowser } from '../tabs/fake-browser'
import { createFakeTalk } from './fake-talk'

const stops: (() => void)[] = []

afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
})

/**
 * One browser tab of an app: its own Pinia store sharing Talk through the fake browser. With
 * `frame`, it offers a Talk frame (a fake Talk per session, as <TalkFrame> makes a bridge per
 * iframe), so it can host.
 */
function openTab(browser: FakeBrowser, { frame = true } = {}) {
  const env = browser.openTab()
  const pinia = createPinia()
  const store = useTalkStore(pinia)
  const storage = createMemoryHistoryStorage({ limit: 1000 })
  const appended: number[] = []
  const append = storage.append.bind(storage)
  storage.append = (entry) => {
    appended.push(entry.id)
    return append(entry)
  }
  store.configure({ history: { persist: false }, storage })
  stops.push(store.coordinateTabs(env, { timeout: 1000 }))
  const sessions: ReturnType<typeof createFakeTalk>[] = []
  let detach = () => {}
  const leave = frame
    ? store.tabs!.join({
        start() {
          const talk = createFakeTalk()
          sessions.push(talk)
          detach = store.attach(talk.bridge)
        },
        async stop() {
          detach()
          sessions.at(-1)?.bridge.dispose()
        },
      })
    : () => {}
  return { env, store, pinia, appended, leave, talk: () => sessions.at(-1)! }
}

async function hostAndFollower(browser = createFakeBrowser()) {
  const host = openTab(browser)
  const follower = openTab(browser)
  await vi.waitFor(() => expect([host.store.tab.role, follower.store.tab.role]).toEqual(['host', 'follower']))
  host.talk().login()
  await vi.waitFor(() => expect(follower.store.status).toBe('available'))
  return { browser, host, follower }
}

function listen({ pinia }: { pinia: Pinia }) {
  const heard: [string, boolean][] = []
  const scope = effectScope()
  setActivePinia(pinia)
  scope.run(() => {
    const talk = useTalk()
    talk.on('call', (event, context: TalkEventContext) => void heard.push([`call ${event.id}`, context.local]))
    talk.on('completed', (event, context) => void heard.push([`completed ${event.call.id}`, context.local]))
  })
  stops.push(() => scope.stop())
  return heard
}

describe('a follower tab\'s store', () => {
  it('shows the host\'s status, agent and active call, with a live timer', async () => {
    const { host, follower } = await hostAndFollower()
    expect(follower.store.agent).toEqual({ loggedIn: true, language: 'en', enabled: true })
    expect(follower.store.connected).toBe(true)
    expect(follower.store.canCall).toBe(true)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    host.talk().ring(41, 'in')
    host.talk().connect()
    await vi.waitFor(() => expect(follower.store.status).toBe('in-call'))
    expect(follower.store.activeCall).toMatchObject({ id: 41, direction: 'in', phase: 'connected', elapsed: 0 })
    vi.advanceTimersByTime(3000)
    expect(follower.store.activeCall?.elapsed).toBe(3)
    expect(follower.store.moveBlockedReason).toBe('A call is in progress')
  })

  it('forwards a call to the host\'s Talk and resolves once it rings', async () => {
    const { host, follower } = await hostAndFollower()
    const dialled = follower.store.call('+358 40 123 4567')
    await vi.waitFor(() => expect(host.talk().commands.map(c => c.command)).toContainEqual({ action: 'call', number: '+358401234567', autocall: true }))
    host.talk().ring(7)
    await dialled
    expect(follower.store.status).toBe('ringing')
    expect(follower.store.debugLog.some(line => line.direction === 'out' && line.action === 'call' && line.note === 'to the host tab')).toBe(true)
  })

  it('rejects with the host\'s error code: Talk\'s own error, and an invalid argument at once', async () => {
    const { host, follower } = await hostAndFollower()
    const answering = follower.store.answer().catch((e: unknown) => e)
    await vi.waitFor(() => expect(host.talk().commands.map(c => c.command.action)).toContain('answer'))
    host.talk().post({ action: 'error', message: 'general' })
    const error = await answering
    expect(isTalkError(error, 'talk-error') && error.message).toBe('general')
    expect(follower.store.lastError).toMatchObject({ code: 'talk-error', message: 'general' })
    expect(isTalkError(await follower.store.call('not a number').catch((e: unknown) => e), 'invalid-number')).toBe(true)
    expect(isTalkError(await follower.store.setAvailable('yes' as unknown as boolean).catch((e: unknown) => e), 'invalid-argument')).toBe(true)
  })

  it('gets a JWT from the host\'s Talk and keeps it nowhere', async () => {
    const { host, follower } = await hostAndFollower()
    const token = follower.store.requestJwt()
    await vi.waitFor(() => expect(host.talk().commands.map(c => c.command.action)).toContain('getJwt'))
    host.talk().post({ action: 'jwt', jwt: 'eyJ.secret.token' })
    expect(await token).toBe('eyJ.secret.token')
    for (const store of [host.store, follower.store]) {
      expect(JSON.stringify([store.debugLog, store.lastError, store.$state])).not.toContain('secret')
    }
  })

  it('hears every event through useTalk().on, marked as relayed, and keeps the new history entries the host stored', async () => {
    const { host, follower } = await hostAndFollower()
    const inHost = listen(host)
    const inFollower = listen(follower)
    host.talk().ring(9)
    host.talk().connect()
    host.talk().disconnect()
    host.talk().complete(9)
    await vi.waitFor(() => expect(follower.store.history.map(h => h.id)).toEqual([9]))
    expect(inHost).toEqual([['call 9', true], ['completed 9', true]])
    expect(inFollower).toEqual([['call 9', false], ['completed 9', false]])
    // The history storage is shared by the tabs: only the host writes it.
    expect(host.appended).toEqual([9])
    expect(follower.appended).toEqual([])
  })

  it('shows the host\'s last error once; dismissing it here keeps it dismissed', async () => {
    const { host, follower } = await hostAndFollower()
    host.talk().post({ action: 'error', message: 'unknown error' })
    await vi.waitFor(() => expect(follower.store.lastError?.message).toBe('unknown error'))
    follower.store.dismissError()
    await host.store.setAvailable(false)
    await vi.waitFor(() => expect(follower.store.status).toBe('unavailable'))
    expect(follower.store.lastError).toBeNull()
  })

  it('gives a tab opened later the host\'s state at once', async () => {
    const { browser, host } = await hostAndFollower()
    host.talk().ring(3, 'in')
    const late = openTab(browser, { frame: false })
    await vi.waitFor(() => expect(late.store.status).toBe('ringing'))
    expect(late.store.activeCall?.id).toBe(3)
  })

  it('rejects a command with session-ended when the host tab crashes mid-command, then follows the tab that takes over', async () => {
    const { browser, host, follower } = await hostAndFollower()
    const hangingUp = follower.store.hangup().catch((e: unknown) => e)
    await vi.waitFor(() => expect(host.talk().commands.map(c => c.command.action)).toContain('hangup'))
    const third = openTab(browser, { frame: false })
    await vi.waitFor(() => expect(third.store.status).toBe('available'))
    browser.crash(host.env.tab)
    expect(isTalkError(await hangingUp, 'session-ended')).toBe(true)
    await vi.waitFor(() => expect(follower.store.tab).toMatchObject({ role: 'host', change: { cause: 'previous-closed', here: true } }))
    // A new Talk session: it has to log in before anything shows as available.
    expect(follower.store.status).toBe('offline')
    await vi.waitFor(() => expect(third.store.tab).toMatchObject({ role: 'follower', hostKnown: true, change: { cause: 'previous-closed', here: false } }))
    follower.talk().login('fi')
    await vi.waitFor(() => expect(third.store.agent.language).toBe('fi'))
  })

  it('gives the next host\'s Talk the settings and contact metadata the last one had', async () => {
    const { host, follower } = await hostAndFollower()
    await follower.store.useSettings({ preventManualCalling: true })
    await follower.store.setMetadata({ name: 'Ada Lovelace', id: 4 })
    expect(follower.store.metadata).toEqual({ name: 'Ada Lovelace', id: 4 })
    await follower.store.moveTalkHere()
    expect(host.store.tab.role).toBe('follower')
    follower.talk().login()
    expect(follower.talk().commands.map(c => c.command)).toEqual([
      { action: 'useSettings', preventManualCalling: true },
      { action: 'setMetadata', metadata: { name: 'Ada Lovelace', id: 4 } },
    ])
  })
})

describe('events relayed to followers', () => {
  it('arrive in the order Talk sent them, each after the state it led to', async () => {
    const { host, follower } = await hostAndFollower()
    const seen: string[] = []
    follower.store.onEvent((event: TalkEvent) => void seen.push(`${event.action}:${follower.store.status}`))
    host.talk().ring(12)
    host.talk().connect()
    host.talk().disconnect()
    await vi.waitFor(() => expect(seen).toEqual(['call:ringing', 'connected:in-call', 'disconnected:wrap-up']))
  })
})
