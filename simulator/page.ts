/**
 * The simulator page: wires the window's `message` events, the agent's buttons and the
 * `window.talkSimulator` scripting API to the pure machine, posts what it returns to the
 * embedding page, and renders the state. Bundled by build.ts into simulator.js.
 */
import type { TalkEvent } from '../protocol'
import type { SimulatorResult, TalkSimulatorApi } from './api'
import { createEventLog, summarizeMessage } from './event-log'
import { signSimulatorJwt } from './jwt'
import { createSimulatorState, handleAction, handleCommand } from './machine'
import type { SimulatorAction, SimulatorEffect, SimulatorEnv, SimulatorState, SimulatorStep } from './machine'
import { resolveParentOrigin } from './parent-origin'
import { smsGreeting } from './sms-greeting'
import { createSimulatorView } from './view'

declare global {
  interface Window {
    talkSimulator?: TalkSimulatorApi
  }
}

const query = new URLSearchParams(location.search)
const embedded = window.parent !== window
const parentOrigin = embedded
  ? resolveParentOrigin({ ancestorOrigins: location.ancestorOrigins, referrer: document.referrer, query: query.get('parentOrigin') })
  : null
const env: SimulatorEnv = { now: () => Date.now(), origin: location.origin }
const answerAfter = query.has('answerAfter') ? Number(query.get('answerAfter')) : Number.NaN
const firstCallId = Number(query.get('firstCallId'))

let state: SimulatorState = createSimulatorState({
  // Ids from the clock keep calls of a reloaded simulator distinct from the ones already in a CRM's history.
  firstCallId: Number.isSafeInteger(firstCallId) && firstCallId > 0 ? firstCallId : Date.now(),
})

const root = document.getElementById('app') ?? document.body
const view = createSimulatorView(root)
const log = createEventLog(view.logList)

function postToParent(message: unknown): boolean {
  if (!embedded || !parentOrigin) {
    log.add('note', `Not posted (${embedded ? 'the embedding page\'s origin is unknown' : 'not embedded in a page'}): ${summarizeMessage(message)}`)
    return false
  }
  try {
    window.parent.postMessage(message, parentOrigin)
    log.add('out', summarizeMessage(message))
    return true
  }
  catch (error) {
    log.add('note', `Could not post: ${error instanceof Error ? error.message : String(error)}`)
    return false
  }
}

function runEffect(effect: SimulatorEffect) {
  switch (effect.kind) {
    case 'issue-jwt':
      signSimulatorJwt(effect.agent).then(
        (jwt) => {
          // Signing is asynchronous; a token must not outlive the session it was asked for.
          if (state.kind !== 'logged-out' && state.agent.name === effect.agent) postToParent({ action: 'jwt', jwt } satisfies TalkEvent)
        },
        (error: unknown) => {
          log.add('note', `Could not sign a JWT (WebCrypto needs https: or localhost): ${error instanceof Error ? error.message : String(error)}`)
          postToParent({ action: 'error', message: 'general' } satisfies TalkEvent)
        },
      )
  }
}

function scheduleAutoAnswer(step: SimulatorStep) {
  if (!(answerAfter >= 0) || step.state.kind !== 'ringing-out') return
  if (!step.out.some(event => event.action === 'call')) return
  const id = step.state.call.id
  setTimeout(() => {
    if (state.kind === 'ringing-out' && state.call.id === id) act({ type: 'callee-answers' })
  }, answerAfter)
}

// A one-second ticker keeps the call timer moving only while a call is shown.
let ticker: ReturnType<typeof setInterval> | undefined
function syncTicker() {
  const needed = state.kind === 'ringing-out' || state.kind === 'ringing-in' || state.kind === 'connected'
  if (needed && !ticker) ticker = setInterval(() => view.render(state, env.now()), 1000)
  if (!needed && ticker) {
    clearInterval(ticker)
    ticker = undefined
  }
}

function apply(step: SimulatorStep): SimulatorResult {
  const previous = state
  state = step.state
  for (const note of step.log) log.add('note', note)
  for (const event of step.out) postToParent(event)
  for (const effect of step.effects) runEffect(effect)
  scheduleAutoAnswer(step)
  // Talk prefills its SMS form from the contact metadata.
  if (state.metadata !== previous.metadata) view.smsText.value = smsGreeting(state.metadata)
  syncTicker()
  view.render(state, env.now())
  return { ok: step.ok, sent: step.out, notes: step.log }
}

function act(action: SimulatorAction): SimulatorResult {
  try {
    return apply(handleAction(state, action, env))
  }
  catch (error) {
    log.add('note', `Simulator error: ${error instanceof Error ? error.message : String(error)}`)
    return { ok: false, sent: [], notes: ['Simulator error'] }
  }
}

// Commands count only from the embedding window and its exact origin, like Talk's own listener.
window.addEventListener('message', (event: MessageEvent) => {
  try {
    if (!embedded || event.source !== window.parent) {
      log.add('note', `Ignored a message that did not come from the embedding page (origin ${event.origin})`)
      return
    }
    if (event.origin !== parentOrigin) {
      log.add('note', `Ignored a message from ${event.origin}: the embedding page is ${parentOrigin ?? 'unknown'}`)
      return
    }
    log.add('in', summarizeMessage(event.data))
    apply(handleCommand(state, event.data, env))
  }
  catch (error) {
    log.add('note', `Simulator error: ${error instanceof Error ? error.message : String(error)}`)
  }
})

function onSubmit(form: HTMLFormElement, handler: () => void) {
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    handler()
  })
}

onSubmit(view.loginForm, () => act({ type: 'login', agent: view.agentName.value, language: view.language.value }))
view.logout.addEventListener('click', () => act({ type: 'logout' }))
view.number.addEventListener('input', () => act({ type: 'type-number', number: view.number.value }))
onSubmit(view.dialForm, () => act({ type: 'dial' }))
view.answer.addEventListener('click', () => act({ type: 'answer' }))
view.hangup.addEventListener('click', () => act({ type: 'hangup' }))
view.calleeAnswers.addEventListener('click', () => act({ type: 'callee-answers' }))
view.calleeRejects.addEventListener('click', () => act({ type: 'callee-rejects' }))
view.calleeHangsUp.addEventListener('click', () => act({ type: 'callee-hangs-up' }))
onSubmit(view.incomingForm, () => act({ type: 'incoming-call', number: view.incomingNumber.value }))
onSubmit(view.wrapUpForm, () => act({ type: 'complete', reasonName: view.reason.value || undefined, comment: view.comment.value }))
onSubmit(view.smsForm, () => act({ type: 'send-sms', text: view.smsText.value }))

window.talkSimulator = {
  login: (agent, lang = 'en') => act({ type: 'login', agent, language: lang }),
  logout: () => act({ type: 'logout' }),
  dial: number => act(number === undefined ? { type: 'dial' } : { type: 'dial', number }),
  answer: () => act({ type: 'answer' }),
  incomingCall: number => act({ type: 'incoming-call', number }),
  calleeAnswers: () => act({ type: 'callee-answers' }),
  calleeRejects: () => act({ type: 'callee-rejects' }),
  calleeHangsUp: () => act({ type: 'callee-hangs-up' }),
  hangup: () => act({ type: 'hangup' }),
  complete: ({ reasonName, comment } = {}) => act({ type: 'complete', reasonName, comment }),
  sendSms: text => act({ type: 'send-sms', text }),
  post: rawMessage => ({ ok: postToParent(rawMessage), sent: [], notes: [] }),
  state: () => structuredClone(state),
}

view.smsText.value = smsGreeting(null)
if (embedded && !parentOrigin) log.add('note', 'The embedding page\'s origin is unknown: add ?parentOrigin=<origin> to the simulator URL')
view.render(state, env.now())

const autoAgent = query.get('agent')
if (autoAgent) act({ type: 'login', agent: autoAgent, language: query.get('lang') ?? 'en' })
