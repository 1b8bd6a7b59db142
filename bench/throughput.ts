import { createPinia, setActivePinia } from 'pinia'
import { createTalkBridge } from '../protocol/index'
import type { TalkWindowLike } from '../protocol/index'
import { useTalkStore } from '../stores/talk'
import { formatCount, median, percentile } from './stats'
import type { BenchModule, BenchRow } from './types'

const TALK_ORIGIN = 'https://login-ce2.leaddesk.com'
/** Calls per timed round (four events each); rounds are repeated and reported as median / p95. */
const CALLS_PER_ROUND = 500
const ROUNDS = 25
const WARMUP_ROUNDS = 5
/** The store must handle at least this share of what bare `JSON.parse` of the same messages reaches. */
const TARGET_SHARE = 0.25

/** One outbound call as Talk posts it: ring, answer, hang-up with a recording, wrap-up. */
function callMessages(id: number): Record<string, unknown>[] {
  const number = `+35840${String(1_000_000 + (id % 9_000_000)).padStart(7, '0')}`
  return [
    { action: 'call', id, number, direction: 'out', ringStart: '2026-11-24 10:00:00' },
    { action: 'connected', callStart: '2026-11-24 10:00:05' },
    { action: 'disconnected', callEnd: '2026-11-24 10:01:05', recordUrl: `https://recordings.leaddesk.com/${id}.mp3` },
    {
      action: 'completed',
      call: {
        id, direction: 'out', to: number, from: null, answered: true,
        callStart: '2026-11-24 10:00:00', talkStart: '2026-11-24 10:00:05', callEnd: '2026-11-24 10:01:05',
        duration: 60, comment: 'Interested, send the offer', recordUrl: `https://recordings.leaddesk.com/${id}.mp3`,
        reason: { name: 'Sale', logicalName: 'SALE' },
      },
    },
  ]
}

/** A store attached to a real bridge whose page window is in memory: `post` delivers a message as `window` would. */
function createAttachedStore() {
  setActivePinia(createPinia())
  const store = useTalkStore()
  store.configure({ history: { persist: false } })
  const listeners = new Set<(event: MessageEvent) => void>()
  const frame = { postMessage: () => {} } as unknown as Window
  const page: TalkWindowLike = {
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  }
  const bridge = createTalkBridge({ frame: () => frame, window: page, allowedOrigins: [TALK_ORIGIN] })
  const detach = store.attach(bridge)
  const post = (data: unknown) => {
    const event = { data, origin: TALK_ORIGIN, source: frame } as MessageEvent
    for (const listener of listeners) listener(event)
  }
  post({ action: 'login', language: 'en', origin: `${TALK_ORIGIN}/` })
  const dispose = () => {
    detach()
    bridge.dispose()
  }
  return { store, post, dispose }
}

/** Lets the store's pending history writes (promises) settle, so their cost lands in the round that caused it. */
const settle = () => new Promise<void>(resolve => setImmediate(resolve))

/** Events per second: the real bridge (origin check, `parseTalkEvent`) into the Pinia store, against bare `JSON.parse` of the same messages. */
export const throughput: BenchModule = {
  name: 'throughput',
  async run(): Promise<BenchRow[]> {
    const target = createAttachedStore()
    let nextId = 1
    const storeRates: number[] = []
    const parseRates: number[] = []
    let sink = 0
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const messages = Array.from({ length: CALLS_PER_ROUND }, () => callMessages(nextId++)).flat()
      const json = messages.map(message => JSON.stringify(message))
      // Ceiling and store are measured alternately on the same messages, so CPU noise hits both alike.
      let start = performance.now()
      for (const text of json) sink += (JSON.parse(text) as { action: string }).action.length
      const parseMs = performance.now() - start
      start = performance.now()
      for (const message of messages) target.post(message)
      await settle()
      const storeMs = performance.now() - start
      if (round < WARMUP_ROUNDS) continue
      parseRates.push(messages.length / (parseMs / 1000))
      storeRates.push(messages.length / (storeMs / 1000))
    }
    const historyLength = target.store.history.length
    target.dispose()
    if (!sink || historyLength === 0) throw new Error('the store recorded no calls: the benchmark is not measuring what it claims')
    const share = median(storeRates) / median(parseRates)
    const perSecond = (rates: number[]) => `median ${formatCount(median(rates))}/s · p5 ${formatCount(percentile(rates, 5))}/s`
    return [{
      what: `events -> store (bridge + parseTalkEvent + Pinia), ${ROUNDS} rounds x ${CALLS_PER_ROUND * 4} events`,
      measured: perSecond(storeRates),
      comparison: `JSON.parse ${perSecond(parseRates)} (${(share * 100).toFixed(1)}%)`,
      target: `>= ${TARGET_SHARE * 100}% of JSON.parse`,
      pass: share >= TARGET_SHARE,
    }]
  },
}
