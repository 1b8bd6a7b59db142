import { afterEach, describe, expect, it, vi } from 'vitest'
import { isTalkError, TalkError } from '../../../protocol/errors'
import type { TalkCommand } from '../../../protocol/commands'
import type { TalkDiagnostic, TalkEvent } from '../../../protocol/index'
import { number, object, string } from '../../../protocol/schema'
import { createTalkTabs } from '../../../tabs/coordinator'
import type { TalkTabs, TalkTabsOptions } from '../../../tabs/coordinator'
import { TABS_APP, TABS_VERSION } from '../../../tabs/messages'
import { createFakeBrowser } from './fake-browser'
import type { FakeBrowser } from './fake-browser'

type State = { status: string, calls: number }
const readState = object({ status: string, calls: number })

/** The frames on screen across all tabs, and the most there ever were at once. */
const screen = { frames: new Set<number>(), most: 0, log: [] as string[] }

let open: TalkTabs<State>[] = []

afterEach(() => {
  for (const tabs of open) tabs.dispose()
  open = []
  screen.frames.clear()
  screen.most = 0
  screen.log = []
  vi.useRealTimers()
})

/**
 * A tab with a store stand-in: as host it runs commands (`execute` decides how) and owns the
 * state; as follower it records what arrives. `frame: true` puts a <TalkFrame> up for hosting.
 */
function openTab(browser: FakeBrowser, setup: {
  frame?: boolean
  execute?: (command: TalkCommand, tab: number) => Promise<string | void>
  moveBlocked?: () => string | null
  options?: Partial<TalkTabsOptions<State>>
} = {}) {
  const env = browser.openTab()
  const diagnostics: TalkDiagnostic[] = []
  const tabs = createTalkTabs<State>({ ...env, readState, onDiagnostic: d => diagnostics.push(d), timeout: 1000, ...setup.options })
  open.push(tabs)
  const seen = { states: [] as (State | null)[], events: [] as TalkEvent[] }
  let own: State = { status: 'offline', calls: 0 }
  tabs.bind({
    snapshot: () => own,
    execute: command => setup.execute?.(command, env.tab) ?? Promise.resolve(),
    moveBlocked: () => setup.moveBlocked?.() ?? null,
    state: state => void seen.states.push(state),
    event: event => void seen.events.push(event),
  })
  const tab = {
    env, tabs, seen, diagnostics,
    /** What this tab's store would show: its own state as host, the host's as follower. */
    shows: () => tabs.status.role === 'host' ? own : seen.states.at(-1) ?? null,
    /** The host's store changes: publish to the others. */
    change(next: State, event?: TalkEvent) {
      own = next
      tabs.publish(own, event)
    },
    leave: () => {},
  }
  if (setup.frame !== false) {
    tab.leave = tabs.join({
      start() {
        screen.frames.add(env.tab)
        screen.most = Math.max(screen.most, screen.frames.size)
        screen.log.push(`start ${env.tab}`)
        // The store attaches to the new bridge and announces the host's state.
        tab.change({ status: 'offline', calls: own.calls })
      },
      async stop() {
        // Removing an iframe takes a render: later than any message or lock grant already queued.
        await new Promise(resolve => setTimeout(resolve, 5))
        screen.frames.delete(env.tab)
        screen.log.push(`stop ${env.tab}`)
      },
    })
  }
  return tab
}

const roles = (...tabs: { tabs: TalkTabs<State> }[]) => tabs.map(t => t.tabs.status.role)

const call: TalkCommand = { action: 'call', number: '+358401234567', autocall: true }

describe('one host among tabs', () => {
  it('elects exactly one of three tabs; the others follow it and show its state', async () => {
    const browser = createFakeBrowser()
    const [a, b, c] = [openTab(browser), openTab(browser), openTab(browser)]
    await vi.waitFor(() => expect(roles(a, b, c)).toEqual(['host', 'follower', 'follower']))
    expect([...screen.frames]).toEqual([a.env.tab])
    a.change({ status: 'available', calls: 0 })
    await vi.waitFor(() => expect([b.shows(), c.shows()]).toEqual([{ status: 'available', calls: 0 }, { status: 'available', calls: 0 }]))
    expect(b.tabs.status).toMatchObject({ hostKnown: true, change: null })
  })

  it('gives a tab that opens later the current state at once', async () => {
    const browser = createFakeBrowser()
    const a = openTab(browser)
    await vi.waitFor(() => expect(a.tabs.status.role).toBe('host'))
    a.change({ status: 'in-call', calls: 1 })
    const late = openTab(browser, { frame: false })
    await vi.waitFor(() => expect(late.shows()).toEqual({ status: 'in-call', calls: 1 }))
    expect(late.tabs.status).toEqual({ role: 'follower', hostKnown: true, change: null })
  })

  it('relays each Talk event after the state it led to', async () => {
    const browser = createFakeBrowser()
    const [a, b] = [openTab(browser), openTab(browser)]
    await vi.waitFor(() => expect(b.tabs.status.hostKnown).toBe(true))
    const ring: TalkEvent = { action: 'call', id: 7, number: '+358401234567', direction: 'in', ringStart: '2026-11-24 10:00:00' }
    a.change({ status: 'ringing', calls: 1 }, ring)
    await vi.waitFor(() => expect(b.seen.events).toEqual([ring]))
    expect(b.shows()).toEqual({ status: 'ringing', calls: 1 })
  })
})

describe('forwarded commands', () => {
  it('run in the host tab and resolve with its answer; a JWT goes to the asking tab only', async () => {
    const browser = createFakeBrowser()
    const executed: string[] = []
    const execute = async (command: TalkCommand, tab: number) => {
      executed.push(`${command.action}@${tab}`)
      return command.action === 'getJwt' ? `jwt-from-${tab}` : undefined
    }
    const [a, b, c] = [openTab(browser, { execute }), openTab(browser, { execute }), openTab(browser, { execute })]
    await vi.waitFor(() => expect([b.tabs.status.hostKnown, c.tabs.status.hostKnown]).toEqual([true, true]))
    const inboxOfC: unknown[] = []
    const spy = browser.openTab().openChannel(`${TABS_APP}:tab:${c.tabs.id}`)
    spy.addEventListener('message', event => inboxOfC.push(event.data))
    const shared: unknown[] = []
    browser.openTab().openChannel(TABS_APP).addEventListener('message', event => shared.push(event.data))

    expect(await b.tabs.request({ action: 'getJwt' })).toBe(`jwt-from-${a.env.tab}`)
    expect(await b.tabs.request(call)).toBeUndefined()
    expect(executed).toEqual([`getJwt@${a.env.tab}`, `call@${a.env.tab}`])
    expect(JSON.stringify([inboxOfC, shared])).not.toContain('jwt-from')
  })

  it('reject with the host\'s TalkError code and message', async () => {
    const browser = createFakeBrowser()
    const execute = async () => {
      throw new TalkError('talk-error', 'general')
    }
    const [, b] = [openTab(browser, { execute }), openTab(browser)]
    await vi.waitFor(() => expect(b.tabs.status.hostKnown).toBe(true))
    const error = await b.tabs.request({ action: 'answer' }).catch((e: unknown) => e)
    expect(isTalkError(error, 'talk-error') && error.message).toBe('general')
  })

  it('apply the state the host reports with its answer before resolving, whichever channel is faster', async () => {
    const browser = createFakeBrowser()
    const tabs: ReturnType<typeof openTab>[] = []
    const execute = async (command: TalkCommand) => {
      if (command.action === 'setStatus') tabs[0]!.change({ status: command.enabled ? 'available' : 'unavailable', calls: 0 })
    }
    tabs.push(openTab(browser, { execute }), openTab(browser))
    const b = tabs[1]!
    await vi.waitFor(() => expect(b.tabs.status.hostKnown).toBe(true))
    browser.hold(TABS_APP)
    await b.tabs.request({ action: 'setStatus', enabled: false })
    expect(b.shows()).toEqual({ status: 'unavailable', calls: 0 })
    browser.deliver(TABS_APP)
  })

  it('time out when no tab hosts Talk', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const browser = createFakeBrowser()
    const lonely = openTab(browser, { frame: false })
    const result = lonely.tabs.request(call).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(2000)
    expect(isTalkError(await result, 'timeout')).toBe(true)
  })

  it('wait for a host that is still starting, then run there', async () => {
    const browser = createFakeBrowser()
    const follower = openTab(browser, { frame: false })
    const answered = follower.tabs.request({ action: 'getJwt' })
    openTab(browser, { execute: async (_command, tab) => `jwt-${tab}` })
    expect(await answered).toMatch(/^jwt-/)
  })

  it('reject with session-ended when the host vanishes mid-command, and the next tab takes over', async () => {
    const browser = createFakeBrowser()
    const started: string[] = []
    const execute = (command: TalkCommand) => {
      started.push(command.action)
      // Talk never answers: the tab crashes first.
      return new Promise<void>(() => {})
    }
    const [a, b, c] = [openTab(browser, { execute }), openTab(browser), openTab(browser, { frame: false })]
    await vi.waitFor(() => expect(roles(a, b, c)).toEqual(['host', 'follower', 'follower']))
    const fromB = b.tabs.request({ action: 'hangup' }).catch((e: unknown) => e)
    const fromC = c.tabs.request(call).catch((e: unknown) => e)
    await vi.waitFor(() => expect(started).toEqual(['hangup', 'call']))

    browser.crash(a.env.tab)
    const [errorB, errorC] = await Promise.all([fromB, fromC])
    expect(isTalkError(errorB, 'session-ended')).toBe(true)
    expect(isTalkError(errorC, 'session-ended')).toBe(true)
    await vi.waitFor(() => expect(roles(b, c)).toEqual(['host', 'follower']))
    expect(b.tabs.status.change).toMatchObject({ cause: 'previous-closed', here: true })
    await vi.waitFor(() => expect(c.tabs.status.change).toMatchObject({ cause: 'previous-closed', here: false }))
    expect(c.tabs.status.hostKnown).toBe(true)
  })

  it('reject waiting commands with disposed', async () => {
    const browser = createFakeBrowser()
    const lonely = openTab(browser, { frame: false })
    const waiting = lonely.tabs.request(call).catch((e: unknown) => e)
    lonely.tabs.dispose()
    expect(isTalkError(await waiting, 'disposed')).toBe(true)
  })
})

describe('moving Talk', () => {
  it('moves on "Use Talk in this tab": the old host removes its frame before the new one creates it', async () => {
    const browser = createFakeBrowser()
    const [a, b] = [openTab(browser), openTab(browser)]
    await vi.waitFor(() => expect(b.tabs.status.hostKnown).toBe(true))
    await b.tabs.claim()
    expect(roles(a, b)).toEqual(['follower', 'host'])
    expect(screen.log).toEqual([`start ${a.env.tab}`, `stop ${a.env.tab}`, `start ${b.env.tab}`])
    expect(screen.most).toBe(1)
    expect(b.tabs.status.change).toMatchObject({ cause: 'requested', here: true })
    await vi.waitFor(() => expect(a.tabs.status).toMatchObject({ hostKnown: true, change: { cause: 'requested', here: false } }))
  })

  it('reaches the claiming tab even when another tab waited for Talk longer', async () => {
    const browser = createFakeBrowser()
    const [a, early, claimer] = [openTab(browser), openTab(browser), openTab(browser)]
    await vi.waitFor(() => expect(claimer.tabs.status.hostKnown).toBe(true))
    await claimer.tabs.claim()
    expect(roles(a, early, claimer)).toEqual(['follower', 'follower', 'host'])
    // Straight there: the tab that queued first never started a frame on the way.
    expect(screen.log).toEqual([`start ${a.env.tab}`, `stop ${a.env.tab}`, `start ${claimer.env.tab}`])
    expect(browser.holder(`${TABS_APP}:host`)).toBe(claimer.env.tab)
  })

  it('is refused with the host\'s reason while a call is on', async () => {
    const browser = createFakeBrowser()
    const [a, b] = [openTab(browser, { moveBlocked: () => 'A call is in progress' }), openTab(browser)]
    await vi.waitFor(() => expect(b.tabs.status.hostKnown).toBe(true))
    const error = await b.tabs.claim().catch((e: unknown) => e)
    expect(isTalkError(error, 'handover-refused') && error.message).toBe('A call is in progress')
    expect(roles(a, b)).toEqual(['host', 'follower'])
    expect(screen.frames).toEqual(new Set([a.env.tab]))
  })

  it('passes to the next tab when the host\'s frame leaves its page', async () => {
    const browser = createFakeBrowser()
    const [a, b, watcher] = [openTab(browser), openTab(browser), openTab(browser, { frame: false })]
    await vi.waitFor(() => expect(watcher.tabs.status.hostKnown).toBe(true))
    screen.frames.delete(a.env.tab)
    a.leave()
    await vi.waitFor(() => expect(roles(a, b)).toEqual(['follower', 'host']))
    await vi.waitFor(() => expect(watcher.tabs.status).toMatchObject({ hostKnown: true, change: { cause: 'previous-closed', here: false } }))
    expect(screen.most).toBe(1)
  })
})

describe('messages from other code on the origin', () => {
  it('are dropped and reported, never thrown, and change nothing', async () => {
    const browser = createFakeBrowser()
    const [a, b] = [openTab(browser), openTab(browser)]
    await vi.waitFor(() => expect(b.tabs.status.hostKnown).toBe(true))
    a.change({ status: 'available', calls: 2 })
    await vi.waitFor(() => expect(b.shows()).toEqual({ status: 'available', calls: 2 }))
    const envelope = { app: TABS_APP, v: TABS_VERSION, from: 'intruder' }
    const stamp = { since: Date.now() + 60_000, seq: 1, cause: 'first' }
    const garbage: unknown[] = [
      'hello',
      null,
      { type: 'state' },
      { ...envelope, v: 2, type: 'hello' },
      { ...envelope, type: 'shutdown' },
      { ...envelope, from: 'not a tab id!', type: 'hello' },
      { ...envelope, type: 'state', host: stamp, state: { status: 5, calls: 0 } },
      { ...envelope, type: 'event', host: stamp, state: { status: 'x', calls: 0 }, event: { action: 'call', id: 'one' } },
      { ...envelope, type: 'result', id: 1, host: stamp, state: null, outcome: { ok: false, code: 'pwned', message: '' } },
    ]
    for (const data of garbage) browser.postRaw(TABS_APP, data)
    await vi.waitFor(() => expect(b.diagnostics.filter(d => d.kind === 'invalid-tab-message')).toHaveLength(garbage.length))
    expect(b.shows()).toEqual({ status: 'available', calls: 2 })
    expect(b.seen.events).toEqual([])
    expect(b.diagnostics.every(d => !JSON.stringify(d).includes('pwned'))).toBe(true)
  })

  it('ignores the state of a host that has been replaced', async () => {
    const browser = createFakeBrowser()
    const [a, b, c] = [openTab(browser), openTab(browser), openTab(browser, { frame: false })]
    await vi.waitFor(() => expect(c.tabs.status.hostKnown).toBe(true))
    const oldStamp = { since: 1, seq: 99, cause: 'first' }
    await b.tabs.claim()
    b.change({ status: 'available', calls: 3 })
    await vi.waitFor(() => expect(c.shows()).toEqual({ status: 'available', calls: 3 }))
    browser.postRaw(TABS_APP, { app: TABS_APP, v: TABS_VERSION, from: a.tabs.id, type: 'state', host: oldStamp, state: { status: 'in-call', calls: 0 } })
    // A message posted after it is delivered after it: once it arrives, the stale one has been seen.
    b.change({ status: 'available', calls: 4 })
    await vi.waitFor(() => expect(c.shows()).toEqual({ status: 'available', calls: 4 }))
    expect(c.seen.states).not.toContainEqual({ status: 'in-call', calls: 0 })
  })
})
