/**
 * The simulator page's Content-Security-Policy: it runs no inline script and loads nothing but
 * its own bundle; framing stays open, since being embedded is its job.
 */
export const SIMULATOR_PAGE_POLICY = 'default-src \'none\'; script-src \'self\'; style-src \'unsafe-inline\'; img-src \'self\' data:; base-uri \'none\'; form-action \'none\''
