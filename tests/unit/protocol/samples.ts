import type { TalkCommandAction, TalkCommandMap, TalkEventAction, TalkEventMap } from '../../../protocol'

/** The origin of the Talk frame in these tests (a real LeadDesk login host). */
export const TALK_ORIGIN = 'https://login-ce2.leaddesk.com'

/** One realistic message per action, as Talk posts them (the spec's field types). */
export const eventSamples: { [A in TalkEventAction]: TalkEventMap[A] } = {
  login: { action: 'login', language: 'en', origin: 'https://login-ce2.leaddesk.com/' },
  logout: { action: 'logout' },
  call: { action: 'call', id: 123, number: '+358401234567', direction: 'out', ringStart: '2024-05-06 10:11:12' },
  connected: { action: 'connected', callStart: '2024-05-06 10:11:20' },
  disconnected: { action: 'disconnected', callEnd: '2024-05-06 10:15:02', recordUrl: 'https://rec.leaddesk.com/calls/123.mp3' },
  completed: {
    action: 'completed',
    call: {
      id: 123,
      direction: 'out',
      to: '+358401234567',
      from: '+35891234567',
      answered: true,
      callStart: '2024-05-06 10:11:12',
      talkStart: '2024-05-06 10:11:20',
      callEnd: '2024-05-06 10:15:02',
      duration: 222,
      comment: 'Call back next week',
      recordUrl: 'https://rec.leaddesk.com/calls/123.mp3',
      reason: { name: 'Sale', logicalName: 'sale' },
    },
  },
  sms: { action: 'sms', sms: 'Thanks for your time today!', callId: 123 },
  error: { action: 'error', message: 'general' },
  jwt: { action: 'jwt', jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjdGkifQ.c2lnbmF0dXJl' },
}

/** One realistic command per action, as a page posts them to Talk. */
export const commandSamples: { [A in TalkCommandAction]: TalkCommandMap[A] } = {
  useSettings: { action: 'useSettings', preventManualCalling: true },
  call: { action: 'call', number: '+358401234567', autocall: true },
  answer: { action: 'answer' },
  hangup: { action: 'hangup' },
  reset: { action: 'reset' },
  setStatus: { action: 'setStatus', enabled: false },
  setMetadata: { action: 'setMetadata', metadata: { contactId: 42, name: 'Aino Virtanen', tags: ['vip'], company: { name: 'Oy Ab' } } },
  getJwt: { action: 'getJwt' },
}

/** A `login` as Talk on `origin` posts it (the spec example has a trailing slash). */
export function loginFrom(origin: string, language = 'en'): TalkEventMap['login'] {
  return { action: 'login', language, origin: `${origin}/` }
}

/** A `call` event in the given direction. */
export function callEvent(direction: 'in' | 'out', id = 123): TalkEventMap['call'] {
  return { ...eventSamples.call, id, direction }
}
