/**
 * The simulator page's Content-Security-Policy: it runs no inline script and loads nothing but
 * its own bundle, and only the pages listed in `frame-ancestors` may embed it, so another site
 * cannot frame a Talk look-alike that hands out tokens for the published development key.
 */
const BASE_POLICY = 'default-src \'none\'; script-src \'self\'; style-src \'unsafe-inline\'; img-src \'self\' data:; base-uri \'none\'; form-action \'none\''

/** Who may frame the simulator served by the Nuxt module: the app itself. */
export const DEFAULT_MODULE_FRAME_ANCESTORS: readonly string[] = ['\'self\'']

/** Who may frame the standalone simulator (`npx nuxt-leaddesk-talk-simulator`): any app on this machine, on any port. */
export const DEFAULT_STANDALONE_FRAME_ANCESTORS: readonly string[] = ['\'self\'', 'http://localhost:*', 'http://127.0.0.1:*', 'https://localhost:*', 'https://127.0.0.1:*']

// A CSP source that can add nothing but itself: a keyword, `*`, or scheme://host[:port] with `*.` and `:*` wildcards.
const FRAME_SOURCE = /^(?:'self'|'none'|\*|https?:\/\/(?:\*\.)?[a-z\d-]+(?:\.[a-z\d-]+)*(?::(?:\d{1,5}|\*))?)$/i

/** Whether `source` may stand in `frame-ancestors` (no `;`, no other directive, no path). */
export function isFrameAncestorSource(source: string): boolean {
  return FRAME_SOURCE.test(source)
}

/** The simulator page's policy with `frame-ancestors` set to `sources`; throws naming a source that is not one. */
export function simulatorPagePolicy(sources: readonly string[]): string {
  const bad = sources.find(source => !isFrameAncestorSource(source))
  if (bad !== undefined || sources.length === 0) throw new Error(`Not a frame-ancestors source: ${JSON.stringify(bad ?? '')} (use 'self', 'none', * or an origin such as https://app.example.com or http://localhost:*)`)
  return `${BASE_POLICY}; frame-ancestors ${sources.join(' ')}`
}

/** The policy of the simulator served by the Nuxt module with its default option. */
export const SIMULATOR_PAGE_POLICY = simulatorPagePolicy(DEFAULT_MODULE_FRAME_ANCESTORS)
