import fc from 'fast-check'

/** Talk's time format (the spec's `YYYY-MM-DD HH:MM:SS`). */
export const talkTime = (offsetSeconds = 0) => new Date(Date.UTC(2026, 10, 24, 9, 0, offsetSeconds)).toISOString().slice(0, 19).replace('T', ' ')

/** A completed call as Talk reports it; `patch` replaces fields. */
export function completedCall(id: number, patch: Record<string, unknown> = {}) {
  return {
    id, direction: 'in', to: '+358401110000', from: '+358402220000', answered: true,
    callStart: talkTime(0), talkStart: talkTime(5), callEnd: talkTime(65), duration: 60,
    comment: null, recordUrl: null, reason: { name: 'Sale', logicalName: 'sale' },
    ...patch,
  }
}

/** Every event a real Talk would post for one whole inbound call, perfect in every field. `origin` is the origin the login claims. */
export function perfectTalkEvents(origin: string, id: number) {
  return [
    { action: 'login', language: 'en', origin: `${origin}/` },
    { action: 'call', id, number: '+358409998877', direction: 'in', ringStart: talkTime(0) },
    { action: 'connected', callStart: talkTime(5) },
    { action: 'disconnected', callEnd: talkTime(65), recordUrl: 'https://rec.example.com/1.mp3' },
    { action: 'completed', call: completedCall(id, { from: '+358409998877', comment: `forged ${id}` }) },
    { action: 'sms', sms: `forged sms ${id}`, callId: id },
    { action: 'logout' },
  ]
}

/** Markup that runs script if it is ever parsed as HTML; every piece tries to set `window.__pwned`. */
export const XSS = {
  number: '<img src=x onerror="window.__pwned=\'number\'">',
  comment: '<script>window.__pwned=\'comment\'</script><b>bold</b>',
  reason: '<svg onload="window.__pwned=\'reason\'"></svg>',
  sms: '<iframe srcdoc="<script>parent.__pwned=\'sms\'</script>"></iframe>',
  javascriptUrl: 'javascript:window.__pwned=\'recording\'',
  dataUrl: 'data:text/html,<script>window.__pwned=\'data\'</script>',
}

const ACTIONS = ['login', 'logout', 'call', 'connected', 'disconnected', 'completed', 'sms', 'error', 'jwt'] as const

/** A valid Talk event of any action; call ids from a small range, so duplicates and stale events are common. */
export function validTalkEvent(origin: string): fc.Arbitrary<Record<string, unknown>> {
  const id = fc.integer({ min: 1, max: 40 })
  const number = fc.oneof(fc.constantFrom('+358401234567', '0401234567', '+44 20 7946 0018'), fc.integer({ min: 1, max: 1e9 }))
  const time = fc.integer({ min: 0, max: 3600 }).map(talkTime)
  return fc.oneof(
    fc.constant({ action: 'login', language: 'en', origin: `${origin}/` }),
    fc.constant({ action: 'logout' }),
    fc.record({ action: fc.constant('call'), id, number, direction: fc.constantFrom('in', 'out'), ringStart: time }),
    fc.record({ action: fc.constant('connected'), callStart: time }),
    fc.record({ action: fc.constant('disconnected'), callEnd: time, recordUrl: fc.option(fc.constantFrom('https://rec.example.com/a.mp3', XSS.javascriptUrl), { nil: undefined }) }),
    fc.record({ action: fc.constant('completed'), call: fc.record({ id, comment: fc.option(fc.string({ maxLength: 30 })) }).map(({ id: callId, comment }) => completedCall(callId, { comment })) }),
    fc.record({ action: fc.constant('sms'), sms: fc.string({ maxLength: 40 }), callId: fc.option(id, { nil: undefined }) }),
    fc.record({ action: fc.constant('error'), message: fc.constantFrom('general', 'Invalid number', 'not logged in') }),
    fc.record({ action: fc.constant('jwt'), jwt: fc.constant('eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjdGkifQ.c2ln') }),
  )
}

/** A valid event with one thing broken: a field dropped, retyped or replaced, the action renamed, or junk added. */
export function mutatedTalkEvent(origin: string): fc.Arbitrary<unknown> {
  return fc.tuple(validTalkEvent(origin), fc.nat(), fc.anything({ maxDepth: 2 }), fc.constantFrom(...ACTIONS, 'Login', 'call ', '__proto__', 'constructor', ''))
    .map(([event, pick, junk, action]) => {
      const copy: Record<string, unknown> = JSON.parse(JSON.stringify(event)) as Record<string, unknown>
      const keys = Object.keys(copy)
      const key = keys[pick % keys.length]!
      const mode = pick % 5
      if (mode === 0) delete copy[key]
      else if (mode === 1) copy[key] = junk
      else if (mode === 2) copy.action = action
      else if (mode === 3) copy.call = junk
      else copy[`x${pick}`] = junk
      return copy
    })
}

/** Anything at all: primitives, arrays, deep objects, strings that look like JSON. */
export const garbageMessage: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.json(),
  fc.record({ action: fc.string({ maxLength: 12 }) }),
)

/** `count` messages, about a third each valid, mutated and garbage, reproducible from `seed`. */
export function fuzzMessages(origin: string, count: number, seed: number): unknown[] {
  return fc.sample(fc.oneof(validTalkEvent(origin), mutatedTalkEvent(origin), garbageMessage), { numRuns: count, seed })
}
