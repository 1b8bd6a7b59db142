/**
 * Where the production server listens. With agent sign-in off (the default) the API lets anyone
 * who reaches it read and change every contact, so unless `HOST` (or `NITRO_HOST`) says
 * otherwise it listens on loopback only: 127.0.0.1 and ::1, so `localhost` works whichever
 * address a client resolves it to. A key anyone can sign with (the simulator's) counts as off.
 */
import { talkAuthSettingsFromEnv, trustsPublishedKey } from './auth'

/** What the server does about its listen address, and the one line it logs at start-up (if any). */
export type ListenPlan
  = | { kind: 'as-configured', log: string | null }
    | { kind: 'loopback', port: number, log: string }

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

/** Nitro's port rule (node-server preset): `NITRO_PORT`, else `PORT`, else 3000. */
function portOf(env: Record<string, string | undefined>): number {
  const value = (env.NITRO_PORT || env.PORT || '').trim()
  const port = value === '' ? 3000 : Number(value)
  return Number.isSafeInteger(port) && port >= 0 && port <= 65_535 ? port : 3000
}

/** Decides the listen address of a production server from its environment (pure; the plugin acts on it). */
export function planListenAddress(env: Record<string, string | undefined>): ListenPlan {
  if (env.NITRO_UNIX_SOCKET?.trim()) return { kind: 'as-configured', log: null }
  const settings = talkAuthSettingsFromEnv(env)
  const signInOff = settings === null || trustsPublishedKey(settings)
  const host = (env.NITRO_HOST || env.HOST || '').trim()
  if (host) {
    if (!signInOff || LOOPBACK_HOSTS.has(host.toLowerCase())) return { kind: 'as-configured', log: null }
    return {
      kind: 'as-configured',
      log: `[leaddesk-talk] Agent sign-in is off and HOST=${host}: anyone who reaches this server can read and change every contact. Turn sign-in on (LEADDESK_TALK_JWT_KEY or LEADDESK_TALK_JWKS_URL), or listen on loopback only.`,
    }
  }
  if (!signInOff) return { kind: 'as-configured', log: null }
  const port = portOf(env)
  const addresses = port === 0 ? '127.0.0.1 (with PORT=0, IPv4 only)' : '127.0.0.1 and ::1'
  return {
    kind: 'loopback',
    port,
    log: `[leaddesk-talk] Agent sign-in is off, so the server listens on loopback only (${addresses}). To serve other machines, turn sign-in on (LEADDESK_TALK_JWT_KEY or LEADDESK_TALK_JWKS_URL) and set HOST, e.g. HOST=0.0.0.0.`,
  }
}
