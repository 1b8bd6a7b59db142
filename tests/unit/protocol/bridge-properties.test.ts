import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { talkEventActions } from '../../../protocol'
import type { TalkBridge } from '../../../protocol'
import { createBridgeHarness } from './bridge-harness'
import { FakeFrameWindow } from './fake-window'
import { eventSamples, loginFrom } from './samples'

afterEach(() => {
  vi.useRealTimers()
})

const ALLOWED = ['https://login-ce2.leaddesk.com', 'https://login-qed-fi1.leaddesk.com', 'https://a.b.leaddesk.com']
const FOREIGN = ['https://leaddesk.com', 'https://evil-leaddesk.com', 'https://leaddesk.com.evil.com', 'http://login-ce2.leaddesk.com', 'https://login-ce2.leaddesk.com:8443', 'null', 'https://evil.example']

/** A valid Talk message; a login names the origin it is sent from. */
const validMessage = (origin: string) => fc.constantFrom(...talkEventActions).map(action => action === 'login' ? loginFrom(origin) : eventSamples[action])

type Step
  = | { kind: 'valid', origin: string, data: unknown }
    | { kind: 'foreign-origin', origin: string, data: unknown }
    | { kind: 'foreign-source', origin: string, data: unknown }
    | { kind: 'mismatched-login', origin: string, data: unknown }
    | { kind: 'invalid', origin: string, data: unknown }

const valid = fc.constantFrom(...ALLOWED).chain(origin => validMessage(origin).map((data): Step => ({ kind: 'valid', origin, data })))
// A foreign sender may claim anything, including a login naming its own or Talk's origin.
const foreignOrigin = fc.tuple(fc.constantFrom(...FOREIGN), fc.constantFrom(...ALLOWED, ...FOREIGN)).chain(([origin, claimed]) =>
  validMessage(claimed).map((data): Step => ({ kind: 'foreign-origin', origin, data })))
const foreignSource = fc.tuple(fc.constantFrom(...ALLOWED, ...FOREIGN), fc.constantFrom(...ALLOWED)).chain(([origin, claimed]) =>
  validMessage(claimed).map((data): Step => ({ kind: 'foreign-source', origin, data })))
const mismatchedLogin = fc.tuple(fc.constantFrom(...ALLOWED), fc.constantFrom(...ALLOWED, ...FOREIGN)).filter(([a, b]) => a !== b)
  .map(([origin, claimed]): Step => ({ kind: 'mismatched-login', origin, data: loginFrom(claimed) }))
const invalid = fc.tuple(fc.constantFrom(...ALLOWED), fc.anything()).map(([origin, data]): Step => ({ kind: 'invalid', origin, data }))
const anyStep = fc.oneof(valid, foreignOrigin, foreignSource, mismatchedLogin, invalid)

describe('createTalkBridge properties', () => {
  it('never lets a message from a foreign origin or source reach a listener', () => {
    fc.assert(fc.property(fc.array(anyStep, { maxLength: 40 }), (steps) => {
      const { bridge, host, talk } = createBridgeHarness()
      const stranger = new FakeFrameWindow()
      let current: Step | undefined
      const delivered: Step[] = []
      bridge.onAny(() => delivered.push(current!))
      for (const action of talkEventActions) bridge.on(action, () => delivered.push(current!))
      bridge.onSession(() => delivered.push(current!))
      for (const step of steps) {
        current = step
        host.dispatch({ data: step.data, origin: step.origin, source: step.kind === 'foreign-source' ? stranger : talk })
      }
      expect(delivered.every(step => step.kind === 'valid' || (step.kind === 'invalid' && isValidEvent(step.data)))).toBe(true)
      // Every valid step reached onAny and its own listener.
      const validCount = steps.filter(step => step.kind === 'valid').length
      expect(delivered.filter(step => step.kind === 'valid').length).toBeGreaterThanOrEqual(validCount * 2)
      bridge.dispose()
    }))
  })

  it('never posts before a login, nor to any origin but the one of the last accepted login', async () => {
    type Command = (bridge: TalkBridge) => Promise<unknown>
    const command = fc.constantFrom<Command>(
      b => b.call('+358401234567'),
      b => b.call('0401234567', { autocall: false }),
      b => b.call('not a number'),
      b => b.answer(),
      b => b.hangup(),
      b => b.reset(),
      b => b.setStatus(true),
      b => b.setMetadata({ contactId: 1 }),
      b => b.useSettings({ preventManualCalling: true }),
      b => b.getJwt(),
    ).map(run => ({ kind: 'command' as const, run }))
    const reload = fc.constant({ kind: 'reload' as const })
    const script = fc.array(fc.oneof(command, anyStep, reload), { maxLength: 40 })

    vi.useFakeTimers()
    await fc.assert(fc.asyncProperty(script, async (steps) => {
      const { bridge, host, talk, element } = createBridgeHarness()
      const stranger = new FakeFrameWindow()
      const pending: Promise<unknown>[] = []
      let verified: string | null = null
      for (const step of steps) {
        const before = talk.posts.length
        if (step.kind === 'command') pending.push(step.run(bridge).catch(() => {}))
        else if (step.kind === 'reload') {
          // A page loaded long after the last login, which does not log in: the session ends.
          vi.advanceTimersByTime(60_000)
          element.load()
          vi.advanceTimersByTime(5_000)
          verified = null
        }
        else {
          host.dispatch({ data: step.data, origin: step.origin, source: step.kind === 'foreign-source' ? stranger : talk })
          if (step.kind === 'valid') {
            const action = (step.data as { action: string }).action
            if (action === 'login') verified = step.origin
            if (action === 'logout') verified = null
          }
          else if (step.kind === 'invalid' && isValidEvent(step.data)) {
            // fc.anything() can produce a valid logout (no other fields), which really logs out
            // when it comes from the Talk frame; from a foreign origin or source it is dropped.
            if ((step.data as { action: string }).action === 'logout') verified = null
          }
        }
        const posted = talk.posts.slice(before)
        if (verified === null) expect(posted).toEqual([])
        for (const post of posted) expect(post.targetOrigin).toBe(verified)
      }
      bridge.dispose()
      await Promise.all(pending)
    }), { numRuns: 200 })
  })
})

function isValidEvent(data: unknown): boolean {
  // Only a data-less action can be valid when produced by fc.anything().
  return typeof data === 'object' && data !== null && (data as { action?: unknown }).action === 'logout'
}
