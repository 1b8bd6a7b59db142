import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watch } from 'vue'
import { isTalkError } from '../../../protocol/index'
import { createMemoryHistoryStorage } from '../../../stores/history-storage'
import { useTalkStore } from '../../../stores/talk'
import { createFakeTalk, TALK_ORIGIN } from './fake-talk'

function setup(config: Parameters<ReturnType<typeof useTalkStore>['configure']>[0] = {}) {
  setActivePinia(createPinia())
  const store = useTalkStore()
  store.configure({ history: { persist: false }, ...config })
  const talk = createFakeTalk()
  const detach = store.attach(talk.bridge)
  return { store, talk, detach }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('useTalkStore status', () => {
  it('is offline until Talk logs in, available after, offline again after logout', () => {
    const { store, talk } = setup()
    expect(store.status).toBe('offline')
    talk.login('fi')
    expect(store.status).toBe('available')
    expect(store.agent).toEqual({ loggedIn: true, language: 'fi', enabled: true })
    talk.logout()
    expect(store.status).toBe('offline')
    expect(store.agent.loggedIn).toBe(false)
  })

  it('walks an outbound call through ringing, in-call and wrap-up into the history', async () => {
    const { store, talk } = setup()
    talk.login()
    talk.ring(7)
    expect(store.status).toBe('ringing')
    expect(store.activeCall).toMatchObject({ id: 7, number: '+358401234567', direction: 'out', phase: 'ringing' })
    talk.connect()
    expect(store.status).toBe('in-call')
    talk.disconnect('https://rec.leaddesk.com/7.mp3')
    expect(store.status).toBe('wrap-up')
    expect(store.activeCall).toMatchObject({ phase: 'wrap-up', recordUrl: 'https://rec.leaddesk.com/7.mp3' })
    talk.complete(7)
    expect(store.status).toBe('available')
    expect(store.activeCall).toBeNull()
    await vi.waitFor(() => expect(store.history.map(h => h.id)).toEqual([7]))
  })

  it('keeps the agent unavailable after setAvailable(false) and available again after reset', async () => {
    const { store, talk } = setup()
    talk.login()
    await store.setAvailable(false)
    expect(store.status).toBe('unavailable')
    expect(store.canCall).toBe(false)
    expect(store.callBlockedReason).toBe('You are unavailable')
    expect(talk.commands.at(-1)).toEqual({ command: { action: 'setStatus', enabled: false }, targetOrigin: TALK_ORIGIN })
    await store.reset()
    expect(store.status).toBe('available')
    expect(store.canCall).toBe(true)
  })

  it('explains why calling is blocked', () => {
    setActivePinia(createPinia())
    const store = useTalkStore()
    expect(store.callBlockedReason).toBe('Talk is not loaded')
    const talk = createFakeTalk()
    store.attach(talk.bridge)
    expect(store.callBlockedReason).toBe('Log in to Talk first')
    talk.login()
    talk.ring(1, 'in')
    expect(store.callBlockedReason).toBe('A call is ringing')
    talk.connect()
    expect(store.callBlockedReason).toBe('A call is in progress')
    talk.disconnect()
    expect(store.callBlockedReason).toBe('The last call is still in wrap-up')
  })
})

describe('useTalkStore live timer', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('counts ring time, then talk time, and freezes at hang-up', () => {
    const { store, talk } = setup()
    talk.login()
    talk.ring(1)
    vi.advanceTimersByTime(3000)
    expect(store.activeCall?.elapsed).toBe(3)
    talk.connect()
    expect(store.activeCall?.elapsed).toBe(0)
    vi.advanceTimersByTime(65_000)
    expect(store.activeCall?.elapsed).toBe(65)
    talk.disconnect()
    vi.advanceTimersByTime(10_000)
    expect(store.activeCall?.elapsed).toBe(65)
  })

  it('runs no interval while idle, in wrap-up, or after the store is disposed', () => {
    const { store, talk } = setup()
    talk.login()
    expect(vi.getTimerCount()).toBe(0)
    talk.ring(1)
    expect(vi.getTimerCount()).toBe(1)
    talk.disconnect()
    expect(vi.getTimerCount()).toBe(0)
    talk.connect()
    expect(vi.getTimerCount()).toBe(1)
    store.$dispose()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('useTalkStore with events as real connections deliver them', () => {
  it('shows an in-call with an unknown number for `connected` without a prior `call` (page reloaded mid-call)', () => {
    const { store, talk } = setup()
    talk.login()
    talk.connect()
    expect(store.status).toBe('in-call')
    expect(store.activeCall).toMatchObject({ id: null, number: null, direction: null, phase: 'connected' })
  })

  it('goes to wrap-up for `disconnected` without a call', () => {
    const { store, talk } = setup()
    talk.login()
    talk.disconnect()
    expect(store.status).toBe('wrap-up')
  })

  it('only adds a history entry for `completed` without an active call', async () => {
    const { store, talk } = setup()
    talk.login()
    talk.complete(3)
    expect(store.status).toBe('available')
    await vi.waitFor(() => expect(store.history).toHaveLength(1))
  })

  it('keeps one history entry when `completed` arrives twice for one call', async () => {
    const { store, talk } = setup()
    talk.login()
    talk.complete(3)
    talk.complete(3)
    talk.complete(4)
    await vi.waitFor(() => expect(store.history.map(h => h.id)).toEqual([4, 3]))
    expect(store.debugLog.some(line => line.note?.includes('duplicate'))).toBe(true)
  })

  it('stays connected when `call` is repeated for the call already connected', () => {
    const { store, talk } = setup()
    talk.login()
    talk.ring(5)
    talk.connect()
    talk.ring(5)
    expect(store.status).toBe('in-call')
  })

  it('ends a late `completed` of an older call without touching the current call', () => {
    const { store, talk } = setup()
    talk.login()
    talk.ring(6)
    talk.complete(5)
    expect(store.activeCall?.id).toBe(6)
  })

  it('clears the active call but keeps the history on logout during a call', async () => {
    const { store, talk } = setup()
    talk.login()
    talk.complete(1)
    await vi.waitFor(() => expect(store.history).toHaveLength(1))
    talk.ring(2)
    talk.connect()
    talk.logout()
    expect(store.status).toBe('offline')
    expect(store.activeCall).toBeNull()
    expect(store.history.map(h => h.id)).toEqual([1])
  })

  it('starts a fresh session on a second login without logout', () => {
    const { store, talk } = setup()
    talk.login('en')
    talk.ring(2)
    talk.login('sv')
    expect(store.status).toBe('available')
    expect(store.agent.language).toBe('sv')
    expect(store.activeCall).toBeNull()
  })

  it('goes offline when the Talk frame loads a page that does not log in (the session ends without logout)', () => {
    vi.useFakeTimers()
    const { store, talk } = setup()
    talk.login()
    talk.ring(2)
    vi.advanceTimersByTime(60_000)
    talk.bridge.frameLoaded()
    vi.advanceTimersByTime(5_000)
    expect(store.status).toBe('offline')
    expect(store.activeCall).toBeNull()
  })

  it('goes offline when the bridge is disposed or detached', () => {
    const { store, talk, detach } = setup()
    talk.login()
    talk.bridge.dispose()
    expect(store.status).toBe('offline')
    talk.login()
    detach()
    expect(store.connected).toBe(false)
    expect(store.status).toBe('offline')
  })

  it('ignores call events while logged out', () => {
    const { store, talk } = setup()
    talk.ring(1)
    talk.connect()
    talk.disconnect()
    expect(store.status).toBe('offline')
    expect(store.activeCall).toBeNull()
  })

  it('ignores events from another window or origin', () => {
    const { store, talk } = setup()
    talk.post({ action: 'login', language: 'en', origin: 'https://evil.example' }, { origin: 'https://evil.example' })
    talk.post({ action: 'login', language: 'en', origin: `${TALK_ORIGIN}/` }, { source: {} })
    expect(store.status).toBe('offline')
    expect(store.debugLog).toEqual([])
  })

  it('keeps SMS newest first and shows Talk errors as the last error', () => {
    const { store, talk } = setup()
    talk.login()
    talk.post({ action: 'sms', sms: 'first', callId: 9 })
    talk.post({ action: 'sms', sms: 'second' })
    expect(store.smsLog.map(s => [s.sms, s.callId])).toEqual([['second', null], ['first', 9]])
    talk.post({ action: 'error', message: 'general' })
    expect(store.lastError).toMatchObject({ message: 'general', code: 'talk' })
    store.dismissError()
    expect(store.lastError).toBeNull()
  })
})

describe('useTalkStore actions', () => {
  it('rejects with not-logged-in and sets lastError when no Talk frame is attached', async () => {
    setActivePinia(createPinia())
    const store = useTalkStore()
    const error = await store.call('+358401234567').catch((e: unknown) => e)
    expect(isTalkError(error, 'not-logged-in')).toBe(true)
    expect(store.lastError?.code).toBe('not-logged-in')
  })

  it('rejects a call before login without posting anything', async () => {
    const { store, talk } = setup()
    await expect(store.call('+358401234567')).rejects.toMatchObject({ code: 'not-logged-in' })
    expect(talk.commands).toEqual([])
  })

  it('posts the call to the origin learned from login and resolves when Talk rings', async () => {
    const { store, talk } = setup()
    talk.login()
    const calling = store.call('040 123 4567')
    await vi.waitFor(() => expect(talk.commands).toHaveLength(1))
    expect(talk.commands[0]).toEqual({ command: { action: 'call', number: '0401234567', autocall: true }, targetOrigin: TALK_ORIGIN })
    talk.ring(11, 'out', '0401234567')
    await expect(calling).resolves.toBeUndefined()
    expect(store.status).toBe('ringing')
  })

  it('sets lastError when Talk answers a command with an error', async () => {
    const { store, talk } = setup()
    talk.login()
    const hangingUp = store.hangup()
    await vi.waitFor(() => expect(talk.commands).toHaveLength(1))
    talk.post({ action: 'error', message: 'unknown error' })
    await expect(hangingUp).rejects.toMatchObject({ code: 'talk-error' })
    expect(store.lastError).toMatchObject({ code: 'talk-error', message: 'unknown error' })
  })

  it('returns the JWT without keeping it in state or in the debug log', async () => {
    const { store, talk } = setup()
    talk.login()
    const token = 'eyJhbGciOiJSUzI1NiJ9.secret-payload.signature'
    const jwt = store.requestJwt()
    await vi.waitFor(() => expect(talk.commands).toHaveLength(1))
    talk.post({ action: 'jwt', jwt: token })
    await expect(jwt).resolves.toBe(token)
    expect(JSON.stringify(store.$state)).not.toContain('secret-payload')
    expect(JSON.stringify(store.debugLog)).not.toContain('secret-payload')
  })

  it('keeps a bounded debug log without phone numbers', () => {
    const { store, talk } = setup()
    talk.login()
    for (let id = 1; id <= 150; id++) {
      talk.ring(id, 'in', '+358409998877')
      talk.disconnect()
    }
    expect(store.debugLog).toHaveLength(200)
    expect(store.debugLog[0]).toMatchObject({ direction: 'in', action: 'disconnected' })
    expect(JSON.stringify(store.debugLog)).not.toContain('9998877')
  })
})

describe('useTalkStore history persistence', () => {
  it('shows a completed call only after storage has saved it', async () => {
    let release: () => void = () => {}
    const memory = createMemoryHistoryStorage({ limit: 10 })
    const storage = {
      ...memory,
      append: (entry: Parameters<typeof memory.append>[0]) => new Promise<void>((resolve) => {
        release = () => void memory.append(entry).then(resolve)
      }),
    }
    const { store, talk } = setup({ storage })
    talk.login()
    talk.complete(1)
    await Promise.resolve()
    expect(store.history).toEqual([])
    release()
    await vi.waitFor(() => expect(store.history.map(h => h.id)).toEqual([1]))
    expect((await memory.loadRecent(10)).map(h => h.id)).toEqual([1])
  })

  it('still shows the call and reports the problem when storage fails', async () => {
    const memory = createMemoryHistoryStorage({ limit: 10 })
    const storage = { ...memory, append: () => Promise.reject(new Error('QuotaExceededError')) }
    const { store, talk } = setup({ storage })
    talk.login()
    talk.complete(1)
    await vi.waitFor(() => expect(store.history.map(h => h.id)).toEqual([1]))
    expect(store.lastError?.message).toContain('could not be saved')
  })

  it('loads stored history newest first, skipping corrupt and foreign records with a diagnostic', async () => {
    const onDiagnostic = vi.fn()
    const { completedCall } = await import('./fake-talk')
    const storage = createMemoryHistoryStorage({
      limit: 10,
      records: [{ ...completedCall(1), completedAt: 1000 }, { hello: 'other app' }, { ...completedCall(2), duration: 'long', completedAt: 3000 }, { ...completedCall(3), completedAt: 2000 }],
      onSkipped: reason => onDiagnostic(reason),
    })
    setActivePinia(createPinia())
    const store = useTalkStore()
    expect(store.historyReady).toBe(false)
    store.configure({ storage })
    await store.loadHistory()
    expect(store.historyReady).toBe(true)
    expect(store.history.map(h => h.id)).toEqual([3, 1])
    expect(onDiagnostic).toHaveBeenCalledTimes(2)
  })

  it('keeps only the newest `history.limit` calls, in the store and in storage', async () => {
    const storage = createMemoryHistoryStorage({ limit: 3 })
    const { store, talk } = setup({ storage, history: { limit: 3 } })
    talk.login()
    for (let id = 1; id <= 5; id++) {
      talk.complete(id)
      await vi.waitFor(() => expect(store.history[0]?.id).toBe(id))
    }
    expect(store.history.map(h => h.id)).toEqual([5, 4, 3])
    expect((await storage.loadRecent(10)).map(h => h.id)).toEqual([5, 4, 3])
  })

  it('tells watchers of `history` and `debugLog` about every new call, with a new array each time', async () => {
    const { store, talk } = setup({ history: { limit: 3 } })
    talk.login()
    await store.loadHistory()
    const seenHistories: number[][] = []
    const seenLogs: unknown[] = []
    watch(() => store.history, history => seenHistories.push(history.map(h => h.id)), { flush: 'sync' })
    watch(() => store.debugLog, log => seenLogs.push(log), { flush: 'sync' })
    for (let id = 1; id <= 8; id++) {
      talk.complete(id)
      await vi.waitFor(() => expect(store.history[0]?.id).toBe(id))
    }
    expect(seenHistories).toEqual([[1], [2, 1], [3, 2, 1], [4, 3, 2], [5, 4, 3], [6, 5, 4], [7, 6, 5], [8, 7, 6]])
    expect(seenLogs.length).toBeGreaterThanOrEqual(8)
    expect(new Set(seenLogs).size).toBe(seenLogs.length)
  })

  it('still ignores a repeated call that is in the history after thousands of calls', async () => {
    const { store, talk } = setup({ history: { limit: 3 } })
    talk.login()
    for (let id = 1; id <= 40; id++) talk.complete(id)
    await vi.waitFor(() => expect(store.history.map(h => h.id)).toEqual([40, 39, 38]))
    talk.complete(39)
    talk.complete(41)
    await vi.waitFor(() => expect(store.history.map(h => h.id)).toEqual([41, 40, 39]))
    expect(store.debugLog.some(line => line.note === 'duplicate for call 39 ignored')).toBe(true)
  })

  it('keeps the newest `limit` calls in memory storage when calls arrive out of order', async () => {
    const { historyEntry } = await import('./fake-talk')
    const storage = createMemoryHistoryStorage({ limit: 3 })
    for (const [id, at] of [[1, 1000], [2, 5000], [3, 2000], [4, 4000], [5, 3000]] as const) await storage.append(historyEntry(id, at))
    expect((await storage.loadRecent(10)).map(h => h.id)).toEqual([2, 4, 5])
    await storage.append(historyEntry(4, 6000))
    await storage.append(historyEntry(6, 7000))
    expect((await storage.loadRecent(10)).map(h => h.id)).toEqual([6, 4, 2])
  })

  it('clears the history in the store and in storage', async () => {
    const storage = createMemoryHistoryStorage({ limit: 10 })
    const { store, talk } = setup({ storage })
    talk.login()
    talk.complete(1)
    await vi.waitFor(() => expect(store.history).toHaveLength(1))
    await store.clearHistory()
    expect(store.history).toEqual([])
    expect(await storage.loadRecent(10)).toEqual([])
  })
})
