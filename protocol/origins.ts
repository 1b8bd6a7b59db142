import { TalkError } from './errors'

/** An allowed origin: an exact origin, a `https://*.example.com` wildcard, or a RegExp tested against `event.origin`. */
export type TalkOriginRule = string | RegExp

/** Origins trusted when none are configured: every LeadDesk login host. */
export const DEFAULT_ALLOWED_ORIGINS: readonly TalkOriginRule[] = ['https://*.leaddesk.com']

/** Compiles origin rules into one matcher; throws `TalkError('invalid-argument')` naming a rule that is not an origin. */
export function createOriginMatcher(rules: readonly TalkOriginRule[]): (origin: string) => boolean {
  const tests = rules.map((rule): RegExp | string => {
    // g and y make `test` stateful (lastIndex), which would let every other call fail.
    if (rule instanceof RegExp) return new RegExp(rule.source, rule.flags.replace(/[gy]/g, ''))
    // `*` stands for one or more whole DNS labels: it never matches the bare domain, nor a
    // look-alike such as `https://evil-leaddesk.com`, nor another scheme or port.
    if (/^https?:\/\/\*(\.[a-z\d-]+)+(:\d+)?$/i.test(rule)) {
      return new RegExp(`^${rule.toLowerCase().replace(/\./g, '\\.').replace('*', '[a-z\\d-]+(\\.[a-z\\d-]+)*')}$`)
    }
    const exact = toOrigin(rule)
    // URL accepts "*" in a host name, so "https://*leaddesk.com" (a mistyped wildcard) would
    // otherwise pass as an exact origin that never matches.
    if (!exact || exact.includes('*')) throw new TalkError('invalid-argument', `Not an origin: ${JSON.stringify(rule)}`)
    return exact
  })
  // The opaque origin "null" (sandboxed frames, file: pages) is shared by everyone: never trusted.
  return origin => typeof origin == 'string' && origin != 'null' && tests.some(test => typeof test == 'string' ? test == origin : test.test(origin))
}

/** Returns the origin of an origin-only URL (a trailing `/` is fine), or `null` for anything else. */
export function toOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    // `href` equals `origin + '/'` only when there is no path, query, fragment or credentials.
    return /^https?:$/.test(url.protocol) && url.href == `${url.origin}/` ? url.origin : null
  }
  catch {
    return null
  }
}
