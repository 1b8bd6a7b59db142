import fc from 'fast-check'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { talkStatuses } from '../../../stores/call-machine'
import { useTalkStore } from '../../../stores/talk'
import type { TalkStore } from '../../../stores/talk'
import { completedCall, createFakeTalk } from './fake-talk'

const id = fc.integer({ min: 1, max: 4 })
const time = fc.constantFrom('2026-11-24 10:00:00', '2026-11-24 10:00:09', 'not a time')

/** Any valid Talk event, plus the page-side things that change state: availability and a frame reload. */
const step = fc.oneof(
  fc.record({ action: fc.constant('login'), language: fc.constantFrom('en', 'fi') }),
  fc.constant({ action: 'logout' }),
  fc.record({ action: fc.constant('call'), id, number: fc.constantFrom('+358401234567', 401234567), direction: fc.constantFrom('in', 'out'), ringStart: time }),
  fc.record({ action: fc.constant('connected'), callStart: time }),
  fc.record({ action: fc.constant('disconnected'), callEnd: time }),
  id.map(callId => ({ action: 'completed', call: completedCall(callId) })),
  fc.constant({ action: 'sms', sms: 'hello' }),
  fc.constant({ action: 'error', message: 'general' }),
  fc.constant({ action: 'jwt', jwt: 'token' }),
  fc.boolean().map(enabled => ({ page: 'setAvailable' as const, enabled })),
  fc.constant({ page: 'frame-reloaded' as const }),
)

const idle = ['offline', 'available', 'unavailable']
const phaseOf = { 'ringing': 'ringing', 'in-call': 'connected', 'wrap-up': 'wrap-up' } as Record<string, string>

function checkShowable(store: TalkStore, limit: number) {
  expect(talkStatuses).toContain(store.status)
  // activeCall is null exactly when the status has no call to show.
  expect(store.activeCall === null).toBe(idle.includes(store.status))
  if (store.activeCall) {
    expect(store.activeCall.phase).toBe(phaseOf[store.status])
    expect(Number.isInteger(store.activeCall.elapsed) && store.activeCall.elapsed >= 0).toBe(true)
  }
  if (!store.agent.loggedIn) expect(store.status).toBe('offline')
  expect(store.canCall).toBe(store.status === 'available')
  const ids = store.history.map(h => h.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect(ids.length).toBeLessThanOrEqual(limit)
  expect(store.history.every((h, i) => i === 0 || store.history[i - 1]!.completedAt >= h.completedAt)).toBe(true)
  expect(store.debugLog.length).toBeLessThanOrEqual(200)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('useTalkStore invariants', () => {
  it('never reaches a state the UI cannot show, whatever valid events arrive in whatever order', async () => {
    // Timers and the clock only: pending history writes still settle on their own.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
      setActivePinia(createPinia())
      const store = useTalkStore()
      store.configure({ history: { persist: false, limit: 3 } })
      await store.loadHistory()
      const talk = createFakeTalk()
      store.attach(talk.bridge)
      for (const s of steps) {
        if ('page' in s) {
          if (s.page === 'setAvailable') await store.setAvailable(s.enabled).catch(() => {})
          else {
            // A page that does not log in, loaded long after the last login: the bridge ends the session.
            vi.advanceTimersByTime(60_000)
            talk.bridge.frameLoaded()
            vi.advanceTimersByTime(5_000)
          }
        }
        else {
          talk.post(s.action === 'login' ? { ...s, origin: 'https://login-ce2.leaddesk.com' } : s)
        }
        checkShowable(store, 3)
      }
      // Completed calls are shown once storage has them; let those writes finish.
      await new Promise(resolve => setImmediate(resolve))
      checkShowable(store, 3)
      const completedIds = new Set(steps.flatMap(s => 'action' in s && s.action === 'completed' ? [(s.call as { id: number }).id] : []))
      expect(store.history.length).toBe(Math.min(3, completedIds.size))
      store.$dispose()
    }), { numRuns: 300 })
  })
})
