#!/usr/bin/env node
// Makes sure a system Chromium exists before the e2e suite runs, so no browser test is
// ever skipped silently. On Debian (as root) it installs the `chromium` package; anywhere
// else it stops and prints the exact command to run.
import { existsSync, readFileSync } from 'node:fs'
import { execSync } from 'node:child_process'

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
if (candidates.some(p => existsSync(p))) process.exit(0)

const isDebian = existsSync('/etc/debian_version')
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
if (isDebian && isRoot) {
  console.log('[ensure-chromium] /usr/bin/chromium not found; installing Debian\'s chromium package...')
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' })
  if (existsSync('/usr/bin/chromium')) process.exit(0)
}
const distro = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8').match(/^ID=(.*)$/m)?.[1] : process.platform
console.error([
  '[ensure-chromium] The end-to-end tests need a system Chromium and none was found.',
  isDebian ? '  Run:  sudo apt-get install -y chromium' : `  Install Chromium for ${distro} (e.g. "sudo apt-get install -y chromium" on Debian/Ubuntu),`,
  '  or point CHROMIUM_PATH at an existing Chromium/Chrome binary.',
].join('\n'))
process.exit(1)
