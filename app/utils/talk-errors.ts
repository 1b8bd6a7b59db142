import type { TalkLastError } from '../../stores/talk'

// What the agent was trying to do when Talk said no, and what usually makes Talk say it.
const WHAT_FAILED: Record<NonNullable<TalkLastError['action']>, string> = {
  call: 'Talk could not start the call. Check that the number is right, that you are available and that no other call is in progress in Talk.',
  answer: 'Talk could not answer: the call had probably stopped ringing already.',
  hangup: 'Talk could not hang up: no call was ringing or in progress in Talk any more.',
  reset: 'Talk could not reset.',
  setStatus: 'Talk could not change your availability. Try again when no call is in progress.',
  setMetadata: 'Talk did not take the contact details for its SMS.',
  useSettings: 'Talk did not take the new settings.',
  getJwt: 'Talk did not give a sign-in token.',
}

/**
 * The sentence the dashboard shows for the last Talk failure. Talk's own `error` event says only
 * "general" or "unknown error", so those are explained through the command that got them.
 */
export function describeTalkError(error: TalkLastError): string {
  const vague = /^(general|unknown error)$/i.test(error.message.trim())
  if (error.code === 'talk-error' && error.action) return vague ? `${WHAT_FAILED[error.action]} (Talk reported: “${error.message}”.)` : `${WHAT_FAILED[error.action]} Talk said: ${error.message}`
  if (error.code === 'talk' && vague) return `Talk reported an error (“${error.message}”) that no action of this dashboard caused: an action taken in Talk itself did not work.`
  return `Talk: ${error.message}`
}
