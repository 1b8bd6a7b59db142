import { TalkError } from './errors'

/** An allowed origin: an exact origin, a `https://*.example.com` wildcard, or a RegExp tested against `event.origin`. */
export type TalkOriginRule = string | RegExp

/** Origins trusted when none are configured: every LeadDesk login host. */
export const DEFAULT_ALLOWED_ORIGINS: readonly TalkOriginRule[] = ['https://*.leaddesk.com']

const WILDCARD = /^(https?):\/\/\*\.([a-z0-9.-]+)(:\d+)?$/i

/** Compiles origin rules into one matcher; throws `TalkError('invalid-argument')` naming a rule that is not an origin. */
export function createOriginMatcher(rules: readonly TalkOriginRule[]): (origin: string) => boolean {
  const tests = rules.map((rule): (origin: string) => boolean => {
    if (rule instanceof RegExp) return origin => new RegExp(rule.source, rule.flags.replace(/[gy]/g, '')).test(origin)
    const wildcard = WILDCARD.exec(rule)
    if (wildcard) {
      const [, scheme, host, port = ''] = wildcard
      const suffix = `.${host!.toLowerCase()}${port}`
      const prefix = `${scheme!.toLowerCase()}://`
      // `*` stands for one or more whole DNS labels: it never matches the bare domain, nor a
      // look-alike such as `https://evil-leaddesk.com`.
      return origin => origin.startsWith(prefix) && origin.endsWith(suffix)
        && /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(origin.slice(prefix.length, -suffix.length))
    }
    const exact = toOrigin(rule)
    if (!exact) throw new TalkError('invalid-argument', `allowedOrigins: ${JSON.stringify(rule)} is not an origin (use "https://host[:port]", "https://*.domain" or a RegExp)`)
    return origin => origin === exact
  })
  return origin => typeof origin === 'string' && origin !== 'null' && tests.some(test => test(origin))
}

/** Returns the origin of an origin-only URL (a trailing `/` is fine), or `null` for anything else. */
export function toOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username) return null
    return url.origin
  }
  catch {
    return null
  }
}
