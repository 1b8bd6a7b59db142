import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'

/** Path of the system Chromium used by every browser test (CHROMIUM_PATH overrides). */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p): p is string => !!p && existsSync(p))

/** Launches headless system Chromium with the flags this machine needs; fails loudly when none is installed. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('No system Chromium found: run `node scripts/ensure-chromium.mjs` (installs Debian\'s chromium) or set CHROMIUM_PATH')
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}
