import { createTalkBridge } from '../../../protocol'
import type { TalkBridge, TalkBridgeOptions, TalkDiagnostic } from '../../../protocol'
import { FakeFrameWindow, FakeHostWindow, FakeIframeElement } from './fake-window'
import { loginFrom, TALK_ORIGIN } from './samples'

/** A bridge wired to fake windows, with helpers to play Talk's side. */
export interface BridgeHarness {
  host: FakeHostWindow
  talk: FakeFrameWindow
  element: FakeIframeElement
  bridge: TalkBridge
  diagnostics: TalkDiagnostic[]
  /** Posts `data` from the Talk frame (or another `source`) with the given origin. */
  fromTalk: (data: unknown, origin?: string, source?: unknown) => void
  /** Posts a valid `login` from `origin` (default: the Talk origin). */
  login: (origin?: string) => void
  /** The diagnostic kinds reported so far. */
  kinds: () => string[]
}

/** Creates a bridge on fake windows; the frame is given as an iframe element unless `frame` is overridden. */
export function createBridgeHarness(options: Partial<TalkBridgeOptions> = {}): BridgeHarness {
  const host = new FakeHostWindow()
  const talk = new FakeFrameWindow()
  const element = new FakeIframeElement(talk)
  const diagnostics: TalkDiagnostic[] = []
  const bridge = createTalkBridge({
    frame: element.asElement(),
    window: host,
    allowedOrigins: ['https://*.leaddesk.com'],
    onDiagnostic: diagnostic => diagnostics.push(diagnostic),
    ...options,
  })
  const fromTalk = (data: unknown, origin = TALK_ORIGIN, source: unknown = talk) => host.dispatch({ data, origin, source })
  return {
    host,
    talk,
    element,
    bridge,
    diagnostics,
    fromTalk,
    login: (origin = TALK_ORIGIN) => fromTalk(loginFrom(origin), origin),
    kinds: () => diagnostics.map(d => d.kind),
  }
}
