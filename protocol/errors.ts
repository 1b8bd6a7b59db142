/** Why a Talk command failed; callers branch on `code`. */
export type TalkErrorCode
  /** No verified `login` yet (or after `logout`): nothing was posted. */
  = | 'not-logged-in'
  /** The phone number is empty or not a phone number: nothing was posted. */
    | 'invalid-number'
  /** Another argument is invalid (settings, metadata, options): nothing was posted. */
    | 'invalid-argument'
  /** Talk answered the command with an `error` event; `message` is Talk's text. */
    | 'talk-error'
  /** Talk did not answer within the command timeout. */
    | 'timeout'
  /** The agent logged out, or the Talk frame reloaded, while the command was waiting. */
    | 'session-ended'
  /** The bridge was disposed while the command was waiting. */
    | 'disposed'
  /** The Talk iframe has no window to post to (not mounted yet, or removed). */
    | 'no-frame'
  /** A Talk timestamp is not in the `yyyy-mm-dd hh:mm:ss` format or is not a real date. */
    | 'invalid-time'
  /** The tab hosting Talk would not hand it to this tab (a call is ringing or live there, or another tab is taking it). */
    | 'handover-refused'

/** The one error class of the Talk integration. */
export class TalkError extends Error {
  override readonly name = 'TalkError'
  constructor(readonly code: TalkErrorCode, message: string) {
    super(message)
  }
}

/** Tells whether `error` is a `TalkError`, optionally with the given code. */
export function isTalkError(error: unknown, code?: TalkErrorCode): error is TalkError {
  return error instanceof TalkError && (code === undefined || error.code === code)
}
