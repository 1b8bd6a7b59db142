import type { TalkWindowLike } from '../../../protocol'

/** What a MessageEvent carries that the bridge reads. */
export interface FakeMessageEvent {
  data: unknown
  origin: string
  source: unknown
}

/** The host page's `window`: keeps `message` listeners and dispatches MessageEvent-like objects to them. */
export class FakeHostWindow implements TalkWindowLike {
  private readonly listeners = new Set<(event: MessageEvent) => void>()

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    if (type === 'message') this.listeners.add(listener)
  }

  removeEventListener(type: string, listener: (event: MessageEvent) => void): void {
    if (type === 'message') this.listeners.delete(listener)
  }

  /** How many `message` listeners are attached. */
  get listenerCount(): number {
    return this.listeners.size
  }

  /** Delivers one message to every listener, as the browser does for `window.postMessage`. */
  dispatch(event: FakeMessageEvent): void {
    for (const listener of [...this.listeners]) listener(event as unknown as MessageEvent)
  }
}

/** One call of `postMessage` on the frame window. */
export interface RecordedPost {
  message: unknown
  targetOrigin: string
}

/** The Talk frame's window: records every `postMessage(message, targetOrigin)`. */
export class FakeFrameWindow {
  readonly posts: RecordedPost[] = []

  postMessage(message: unknown, targetOrigin: string): void {
    // structuredClone, like the browser: uncloneable data (functions, proxies) throws here too.
    this.posts.push({ message: structuredClone(message), targetOrigin })
  }

  /** The messages posted so far, without their target origins. */
  get messages(): unknown[] {
    return this.posts.map(post => post.message)
  }

  /** This object typed as the `Window` the bridge expects. */
  asWindow(): Window {
    return this as unknown as Window
  }
}

/** A minimal `<iframe>` element: `contentWindow` plus `load` listeners. */
export class FakeIframeElement {
  private readonly loadListeners = new Set<() => void>()

  constructor(public contentWindow: FakeFrameWindow | null) {}

  addEventListener(type: string, listener: () => void): void {
    if (type === 'load') this.loadListeners.add(listener)
  }

  removeEventListener(type: string, listener: () => void): void {
    if (type === 'load') this.loadListeners.delete(listener)
  }

  /** How many `load` listeners are attached. */
  get listenerCount(): number {
    return this.loadListeners.size
  }

  /** Fires `load`, as the browser does whenever the frame finishes loading a document. */
  load(): void {
    for (const listener of [...this.loadListeners]) listener()
  }

  /** This object typed as the element the bridge expects. */
  asElement(): HTMLIFrameElement {
    return this as unknown as HTMLIFrameElement
  }
}
