import type { TalkMetadata } from '../protocol'
import { CALL_ENDING_REASONS, hasLiveCall, isAvailable } from './machine'
import type { SimulatorCall, SimulatorState } from './machine'
import { summarizeMessage } from './event-log'

/** Languages offered on the login screen (Talk's UI languages). */
export const SIMULATOR_LANGUAGES: readonly (readonly [code: string, label: string])[] = [
  ['en', 'English'], ['fi', 'Suomi'], ['sv', 'Svenska'], ['nb', 'Norsk'], ['da', 'Dansk'],
  ['et', 'Eesti'], ['de', 'Deutsch'], ['fr', 'Français'], ['es', 'Español'], ['pl', 'Polski'],
]

type Props<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'style'>>

/** Creates an element; children given as strings become text nodes, never markup. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props<K> = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const element = Object.assign(document.createElement(tag), props)
  element.append(...children)
  return element
}

function labelled<T extends HTMLElement>(id: string, text: string, control: T): [HTMLLabelElement, T] {
  control.id = id
  return [h('label', { htmlFor: id, textContent: text }), control]
}

/** A label above one row holding the control and its button. */
function inline([label, control]: [HTMLLabelElement, HTMLElement], action: HTMLButtonElement): HTMLElement[] {
  return [label, h('div', { className: 'inline' }, [control, action])]
}

function button(text: string, className = ''): HTMLButtonElement {
  return h('button', { type: 'button', textContent: text, className })
}

const pad = (n: number) => String(n).padStart(2, '0')

function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`
}

const STATUS_TEXT: Record<SimulatorState['kind'], string> = {
  'logged-out': 'Logged out',
  'idle': 'Available',
  'ringing-out': 'Calling',
  'ringing-in': 'Incoming call',
  'connected': 'In call',
  'wrap-up': 'Wrap-up',
}

function statusText(state: SimulatorState): string {
  return state.kind === 'idle' && !isAvailable(state.agent) ? 'Unavailable' : STATUS_TEXT[state.kind]
}

function callLine(kind: SimulatorState['kind'], call: SimulatorCall, now: number): string {
  const who = call.direction === 'out' ? `Outbound call to ${call.number}` : `Inbound call from ${call.number}`
  switch (kind) {
    case 'ringing-out':
    case 'ringing-in': return `${who} · ringing ${clock(now - call.ringStart)}`
    case 'connected': return `${who} · talking ${clock(now - (call.callStart ?? now))}`
    default: {
      const end = call.callEnd ?? now
      return call.callStart === null ? `${who} · not answered` : `${who} · ended after ${clock(end - call.callStart)}`
    }
  }
}

function metadataRows(metadata: TalkMetadata): HTMLElement[] {
  return Object.entries(metadata).slice(0, 12).flatMap(([key, value]) => [
    h('dt', { textContent: key.slice(0, 40) }),
    h('dd', { textContent: typeof value === 'string' ? value.slice(0, 200) : summarizeMessage(value).slice(0, 200) }),
  ])
}

/** Builds the simulator UI into `root` and returns its controls plus a `render(state, now)` that syncs them. */
export function createSimulatorView(root: HTMLElement) {
  const status = h('span', { className: 'status', role: 'status' })
  const agentName = h('input', { type: 'text', autocomplete: 'off', required: true, value: 'Agent' })
  const language = h('select', {}, SIMULATOR_LANGUAGES.map(([code, label]) => h('option', { value: code, textContent: label })))
  const loginForm = h('form', { className: 'card' }, [
    h('h2', { textContent: 'Log in to the simulator' }),
    ...labelled('agent-name', 'Agent name', agentName),
    ...labelled('language', 'Language', language),
    h('button', { type: 'submit', textContent: 'Log in', className: 'primary' }),
  ])

  const agentInfo = h('span', { className: 'agent' })
  const logout = button('Log out')
  const settingsNote = h('p', { className: 'hint', textContent: 'Manual calling is disabled by the CRM (preventManualCalling)' })
  const agentBar = h('section', { className: 'card row' }, [agentInfo, logout])

  const number = h('input', { type: 'tel', autocomplete: 'off', placeholder: '+358 40 123 4567' })
  const callButton = h('button', { type: 'submit', textContent: 'Call', className: 'primary' })
  const dialForm = h('form', { className: 'card' }, [
    h('h2', { textContent: 'Dialer' }),
    ...inline(labelled('number', 'Number', number), callButton),
    settingsNote,
  ])

  const callInfo = h('p', { className: 'call-line' })
  const answer = button('Answer', 'primary')
  const hangup = button('Hang up', 'danger')
  const calleeAnswers = button('Callee answers', 'customer')
  const calleeRejects = button('Callee does not answer', 'customer')
  const calleeHangsUp = button('Callee hangs up', 'customer')
  const callPanel = h('section', { className: 'card call' }, [
    h('h2', { textContent: 'Current call' }),
    callInfo,
    h('div', { className: 'actions' }, [answer, hangup, calleeAnswers, calleeRejects, calleeHangsUp]),
  ])

  const reason = h('select', {}, [
    h('option', { value: '', textContent: 'No reason' }),
    ...CALL_ENDING_REASONS.map(r => h('option', { value: r.name, textContent: r.name })),
  ])
  const comment = h('textarea', { rows: 2 })
  const wrapUpForm = h('form', { className: 'card' }, [
    h('h2', { textContent: 'Wrap-up' }),
    ...labelled('reason', 'Call ending reason', reason),
    ...labelled('comment', 'Comment', comment),
    h('div', { className: 'actions' }, [h('button', { type: 'submit', textContent: 'Complete call', className: 'primary' })]),
  ])

  const incomingNumber = h('input', { type: 'tel', autocomplete: 'off', value: '+358401234567' })
  const incomingButton = h('button', { type: 'submit', textContent: 'Simulate incoming call', className: 'customer' })
  const incomingForm = h('form', { className: 'card' }, [
    h('h2', { textContent: 'Customer side' }),
    ...inline(labelled('incoming-number', 'Incoming number', incomingNumber), incomingButton),
  ])

  const contactList = h('dl')
  const contact = h('section', { className: 'card' }, [h('h2', { textContent: 'Contact (setMetadata)' }), contactList])

  const smsText = h('textarea', { rows: 2 })
  const smsForm = h('form', { className: 'card' }, [
    h('h2', { textContent: 'SMS' }),
    ...labelled('sms-text', 'SMS text', smsText),
    h('div', { className: 'actions' }, [h('button', { type: 'submit', textContent: 'Send SMS' })]),
  ])

  const logList = h('ol', { className: 'log' })
  logList.setAttribute('aria-label', 'Event log')
  const logSection = h('section', { className: 'card log-card' }, [h('h2', { textContent: 'Event log' }), logList])

  root.append(
    h('header', { className: 'bar' }, [h('h1', { textContent: 'Talk simulator' }), status]),
    loginForm, agentBar, callPanel, wrapUpForm, dialForm, incomingForm, contact, smsForm, logSection,
  )

  let lastKind: SimulatorState['kind'] | null = null
  let lastMetadata: TalkMetadata | null = null

  /** Syncs every control with the machine state. */
  function render(state: SimulatorState, now: number) {
    const loggedIn = state.kind !== 'logged-out'
    const live = hasLiveCall(state)
    status.textContent = statusText(state)
    status.dataset.kind = state.kind === 'idle' && !isAvailable(state.agent) ? 'unavailable' : state.kind
    loginForm.hidden = loggedIn
    for (const part of [agentBar, dialForm, incomingForm, smsForm]) part.hidden = !loggedIn
    if (state.kind !== 'logged-out') {
      agentInfo.textContent = `${state.agent.name} · ${state.agent.language} · ${isAvailable(state.agent) ? 'available' : 'unavailable'}`
    }
    number.disabled = state.settings.preventManualCalling
    settingsNote.hidden = !state.settings.preventManualCalling
    if (number.value !== state.number) number.value = state.number
    callButton.disabled = state.kind !== 'idle'
    incomingButton.disabled = state.kind !== 'idle'

    callPanel.hidden = !(live || state.kind === 'wrap-up')
    if (live || state.kind === 'wrap-up') callInfo.textContent = callLine(state.kind, state.call, now)
    answer.hidden = state.kind !== 'ringing-in'
    hangup.hidden = !live
    calleeAnswers.hidden = state.kind !== 'ringing-out'
    calleeRejects.hidden = state.kind !== 'ringing-out'
    calleeHangsUp.hidden = state.kind !== 'connected'

    wrapUpForm.hidden = state.kind !== 'wrap-up'
    if (state.kind === 'wrap-up' && lastKind !== 'wrap-up') {
      reason.value = ''
      comment.value = ''
    }
    contact.hidden = !loggedIn || !state.metadata
    if (state.metadata !== lastMetadata) {
      contactList.replaceChildren(...(state.metadata ? metadataRows(state.metadata) : []))
      lastMetadata = state.metadata
    }
    lastKind = state.kind
  }

  return {
    loginForm, agentName, language, logout,
    dialForm, number,
    answer, hangup, calleeAnswers, calleeRejects, calleeHangsUp,
    wrapUpForm, reason, comment,
    incomingForm, incomingNumber,
    smsForm, smsText,
    logList,
    render,
  }
}

/** The controls and `render` returned by `createSimulatorView`. */
export type SimulatorView = ReturnType<typeof createSimulatorView>
