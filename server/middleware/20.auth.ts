import { createError, defineEventHandler, getRequestHeader, setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import { bearerToken, createTalkTokenVerifier, MISSING_TOKEN_MESSAGE, SIMULATOR_KEY_SETTING, SIMULATOR_KEY_WARNING, talkAuthRequired, talkAuthSettingsFromEnv, TalkAuthError } from '../utils/auth'
import type { TalkTokenVerifier } from '../utils/auth'

let current: { settingsKey: string, verifier: TalkTokenVerifier | TalkAuthError } | undefined
let warnedAboutSimulatorKey = false

/** The verifier for the environment as it is now; rebuilt only when the auth variables change. */
function verifierForEnv(): TalkTokenVerifier | TalkAuthError | null {
  const settings = talkAuthSettingsFromEnv(process.env)
  if (!settings) return null
  const settingsKey = JSON.stringify(settings)
  if (current?.settingsKey !== settingsKey) {
    let verifier: TalkTokenVerifier | TalkAuthError
    try {
      verifier = createTalkTokenVerifier(settings)
    }
    catch (error) {
      verifier = error instanceof TalkAuthError ? error : new TalkAuthError(500, 'Agent authentication is misconfigured')
      // Logged once per configuration; the message names the variable, never a key or token.
      console.error(`[leaddesk-talk] ${verifier.message}. Every /api request is refused until this is fixed.`)
    }
    if (settings.key === SIMULATOR_KEY_SETTING && !(verifier instanceof TalkAuthError) && !warnedAboutSimulatorKey) {
      warnedAboutSimulatorKey = true
      console.warn(SIMULATOR_KEY_WARNING)
    }
    current = { settingsKey, verifier }
  }
  return current.verifier
}

function refuse(event: H3Event, error: TalkAuthError, challenge: string): never {
  if (error.statusCode === 401) setResponseHeader(event, 'www-authenticate', challenge)
  setResponseHeader(event, 'cache-control', 'no-store')
  throw createError({ statusCode: error.statusCode, statusMessage: error.statusCode === 401 ? 'Unauthorized' : error.statusCode === 503 ? 'Service Unavailable' : 'Server Error', message: error.message })
}

// Build at startup, so a misconfiguration or the simulator-key warning shows in the log before the first request.
verifierForEnv()

/**
 * Optional agent authentication: off unless `LEADDESK_TALK_JWT_KEY` or `LEADDESK_TALK_JWKS_URL`
 * is set. Then every /api request except /api/health needs `Authorization: Bearer <Talk JWT>`;
 * the verified `sub` lands on `event.context.agent`. The token is never logged.
 */
export default defineEventHandler(async (event) => {
  const verifier = verifierForEnv()
  if (!verifier || !talkAuthRequired(event.path)) return
  if (verifier instanceof TalkAuthError) refuse(event, verifier, '')
  const token = bearerToken(getRequestHeader(event, 'authorization'))
  if (!token) refuse(event, new TalkAuthError(401, MISSING_TOKEN_MESSAGE), 'Bearer realm="leaddesk-talk"')
  try {
    event.context.agent = await verifier.verify(token)
  }
  catch (error) {
    const failure = error instanceof TalkAuthError ? error : new TalkAuthError(401, 'token could not be verified')
    refuse(event, failure, `Bearer realm="leaddesk-talk", error="invalid_token", error_description="${failure.message}"`)
  }
})
