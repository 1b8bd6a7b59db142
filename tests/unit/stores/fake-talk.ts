import { createTalkBridge } from '../../../protocol/index'
import type { TalkBridge, TalkCommand, TalkWindowLike } from '../../../protocol/index'
import type { TalkHistoryEntry } from '../../../stores/history-entry'

/** The origin the fake Talk frame speaks from. */
export const TALK_ORIGIN = 'https://login-ce2.leaddesk.com'

/** A Talk frame and page window in memory, wired to a real bridge: tests post what Talk would post. */
export function createFakeTalk() {
  const listeners = new Set<(event: MessageEvent) => void>()
  const commands: { command: TalkCommand, targetOrigin: string }[] = []
  const frame = { postMessage: (command: TalkCommand, targetOrigin: string) => commands.push({ command, targetOrigin }) } as unknown as Window
  const page: TalkWindowLike = {
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  }
  const bridge: TalkBridge = createTalkBridge({ frame: () => frame, window: page, allowedOrigins: [TALK_ORIGIN], timeout: 1000 })

  /** Posts `data` as if from the Talk frame (or from another window/origin). */
  function post(data: unknown, from: { origin?: string, source?: unknown } = {}) {
    const event = { data, origin: from.origin ?? TALK_ORIGIN, source: from.source ?? frame } as MessageEvent
    for (const listener of [...listeners]) listener(event)
  }

  return {
    bridge, commands, listeners, post,
    login: (language = 'en') => post({ action: 'login', language, origin: `${TALK_ORIGIN}/` }),
    logout: () => post({ action: 'logout' }),
    ring: (id: number, direction: 'in' | 'out' = 'out', number = '+358401234567') => post({ action: 'call', id, number, direction, ringStart: '2026-11-24 10:00:00' }),
    connect: () => post({ action: 'connected', callStart: '2026-11-24 10:00:05' }),
    disconnect: (recordUrl?: string) => post({ action: 'disconnected', callEnd: '2026-11-24 10:01:05', recordUrl }),
    complete: (id: number, extra: Record<string, unknown> = {}) => post({ action: 'completed', call: completedCall(id, extra) }),
  }
}

/** A `completed.call` record as Talk sends it. */
export function completedCall(id: number, extra: Record<string, unknown> = {}) {
  return {
    id, direction: 'out', to: '+358401234567', from: null, answered: true,
    callStart: '2026-11-24 10:00:00', talkStart: '2026-11-24 10:00:05', callEnd: '2026-11-24 10:01:05',
    duration: 60, comment: null, recordUrl: null, reason: { name: 'Sale', logicalName: 'sale' }, ...extra,
  }
}

/** A history entry as the store keeps it. */
export function historyEntry(id: number, completedAt: number): TalkHistoryEntry {
  return { ...completedCall(id), direction: 'out', completedAt } as TalkHistoryEntry
}
