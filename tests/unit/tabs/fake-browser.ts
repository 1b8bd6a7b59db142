import type { TalkLockManager, TalkLockOptions, TalkTabChannel, TalkTabsEnvironment } from '../../../tabs/environment'

type Request = {
  tab: number
  name: string
  grant: () => void
  drop: () => void
}

type Channel = {
  tab: number
  name: string
  listeners: ((event: MessageEvent) => void)[]
  open: boolean
}

/**
 * One browser profile in memory: Web Locks (exclusive, FIFO per name, `ifAvailable`, abort,
 * `query`) and BroadcastChannels (delivered to every other open channel of the name, as a
 * structured clone, in a later microtask), shared by the tabs it opens. `crash(tab)` does what
 * closing or killing a tab does: its locks are released, its requests and channels vanish.
 */
export function createFakeBrowser() {
  const holders = new Map<string, number>()
  const queues = new Map<string, Request[]>()
  const channels: Channel[] = []
  const gone = new Set<number>()
  /** Channels whose messages wait (delivery order across channels is not guaranteed in browsers). */
  const held = new Map<string, (() => void)[]>()
  let tabs = 0

  function grantNext(name: string) {
    if (holders.has(name)) return
    const next = queues.get(name)?.shift()
    if (next) next.grant()
  }

  function release(name: string, tab: number) {
    if (holders.get(name) !== tab) return
    holders.delete(name)
    grantNext(name)
  }

  function locksFor(tab: number): TalkLockManager {
    return {
      request<T>(name: string, options: TalkLockOptions, callback: (lock: { name: string } | null) => T): Promise<Awaited<T>> {
        return new Promise<Awaited<T>>((resolve, reject) => {
          if (gone.has(tab)) return
          const run = (lock: { name: string } | null) => {
            Promise.resolve().then(() => callback(lock)).then(
              (value) => {
                if (lock) release(name, tab)
                resolve(value as Awaited<T>)
              },
              (error) => {
                if (lock) release(name, tab)
                reject(error)
              },
            )
          }
          if (options.ifAvailable && holders.has(name)) return run(null)
          const request: Request = {
            tab,
            name,
            grant: () => {
              options.signal?.removeEventListener('abort', abort)
              holders.set(name, tab)
              run({ name })
            },
            drop: () => options.signal?.removeEventListener('abort', abort),
          }
          const abort = () => {
            queues.set(name, (queues.get(name) ?? []).filter(r => r !== request))
            reject(new DOMException('The request was aborted', 'AbortError'))
          }
          if (options.signal?.aborted) return abort()
          options.signal?.addEventListener('abort', abort)
          queues.set(name, [...(queues.get(name) ?? []), request])
          queueMicrotask(() => grantNext(name))
        })
      },
      async query() {
        return { held: [...holders.keys()].map(name => ({ name })) }
      },
    }
  }

  function channelFor(tab: number, name: string): TalkTabChannel {
    const self: Channel = { tab, name, listeners: [], open: true }
    channels.push(self)
    return {
      postMessage(message) {
        if (!self.open || gone.has(tab)) throw new DOMException('Channel is closed', 'InvalidStateError')
        const data = structuredClone(message)
        for (const other of channels) {
          if (other === self || other.name !== name || !other.open) continue
          const deliver = () => {
            if (!other.open || gone.has(other.tab)) return
            for (const listener of other.listeners) listener({ data: structuredClone(data) } as MessageEvent)
          }
          const waiting = held.get(name)
          if (waiting) waiting.push(deliver)
          else queueMicrotask(deliver)
        }
      },
      addEventListener(_type, listener) {
        self.listeners.push(listener)
      },
      close() {
        self.open = false
      },
    }
  }

  return {
    /** Opens a tab: its own view of the locks and channels. */
    openTab(): TalkTabsEnvironment & { tab: number } {
      const tab = ++tabs
      return { tab, locks: locksFor(tab), openChannel: name => channelFor(tab, name) }
    },
    /** The tab closes or crashes: the browser releases its locks and forgets its requests and channels. */
    crash(tab: number) {
      gone.add(tab)
      for (const channel of channels) if (channel.tab === tab) channel.open = false
      for (const [name, queue] of queues) {
        const kept = queue.filter(r => r.tab !== tab)
        for (const r of queue) if (r.tab === tab) r.drop()
        queues.set(name, kept)
      }
      for (const [name, holder] of [...holders]) if (holder === tab) release(name, tab)
    },
    /** Posts `data` on a channel as any other script on the origin could. */
    postRaw(name: string, data: unknown) {
      const channel = channelFor(0, name)
      channel.postMessage(data)
      channel.close()
    },
    /** Holds back every message posted on channel `name` until `deliver(name)`. */
    hold: (name: string) => void held.set(name, held.get(name) ?? []),
    /** Delivers what `hold` held back, in order, and stops holding. */
    deliver(name: string) {
      const waiting = held.get(name) ?? []
      held.delete(name)
      for (const deliver of waiting) deliver()
    },
    /** Which tab holds a lock now. */
    holder: (name: string) => holders.get(name),
  }
}

/** The fake browser's type, for helpers. */
export type FakeBrowser = ReturnType<typeof createFakeBrowser>
