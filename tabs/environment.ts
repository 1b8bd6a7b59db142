/**
 * What tab coordination needs from the browser: the Web Locks API, which elects the host tab
 * and notices when a tab goes away (the browser releases a closed or crashed tab's locks), and
 * BroadcastChannel, which carries the messages. Both are written out as small interfaces so
 * tests can pass fakes and the types compile without a DOM.
 */

/** Options of a lock request (a subset of the Web Locks `LockOptions`). */
export interface TalkLockOptions {
  /** Grant the lock only if it is free right now; otherwise the callback gets `null`. */
  ifAvailable?: boolean
  /** Aborting it withdraws a request that is still waiting (the promise rejects with an `AbortError`). */
  signal?: AbortSignal
}

/** The part of `navigator.locks` the tabs use. */
export interface TalkLockManager {
  request<T>(name: string, options: TalkLockOptions, callback: (lock: { name: string } | null) => T): Promise<Awaited<T>>
  query(): Promise<{ held?: { name?: string }[] }>
}

/** The part of a `BroadcastChannel` the tabs use. */
export interface TalkTabChannel {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  close(): void
}

/** Where tabs find each other: a lock manager and a way to open a named channel. */
export interface TalkTabsEnvironment {
  locks: TalkLockManager
  openChannel(name: string): TalkTabChannel
}

/**
 * The browser's own Web Locks and BroadcastChannel, or `null` where either is missing: on the
 * server, in old browsers, on plain-http pages (Web Locks need a secure context) and in test
 * DOMs. Without them every tab runs its own Talk, as with `tabs: 'independent'`.
 */
export function browserTabsEnvironment(): TalkTabsEnvironment | null {
  const scope = globalThis as { window?: unknown, navigator?: { locks?: TalkLockManager | null }, BroadcastChannel?: new (name: string) => TalkTabChannel }
  const locks = scope.navigator?.locks
  const Channel = scope.BroadcastChannel
  if (!scope.window || !locks || typeof locks.request !== 'function' || typeof Channel !== 'function') return null
  return { locks, openChannel: name => new Channel(name) }
}
