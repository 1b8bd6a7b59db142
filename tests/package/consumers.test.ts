/**
 * What users get: the packed tarball installed (install scripts on) into fresh apps made the way
 * users make them, following the README word for word — a Nuxt 4 app with
 * `modules: ['nuxt-leaddesk-talk']`, a create-vite `vue-ts` app with its own tsconfig untouched,
 * and the same on the lowest Vue and Pinia the package supports. Each typechecks, builds, and
 * reaches `available` and a ringing call in Chromium against the simulator.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { productionEnv, run, serveDir, startListening, startNuxtOutput } from '../support/apps'
import type { ListeningProcess } from '../support/apps'
import { launchChromium } from '../support/browser'
import { startTestServer } from '../support/http'
import type { TestServer } from '../support/http'
import { buildNuxtApp, buildViteApp, createNuxtApp, createViteVueApp, installApp, installedCopies, npmInstall, packPackage, readmeSnippets, shellCommands } from './consumers'
import type { PackedPackage, Snippet } from './consumers'

let work: string
let packed: PackedPackage
let browser: Browser

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leaddesk-talk-consumers-'))
  ;[packed, browser] = await Promise.all([packPackage(join(work, 'pack')), launchChromium()])
})

afterAll(async () => {
  await browser?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

/** The one snippet of `lang` in a README section (fails the test when the README changed shape). */
function only(snippets: Snippet[], lang: string, index = 0): Snippet {
  const found = snippets.filter(s => s.lang === lang)[index]
  if (!found) throw new Error(`the README section has no ${lang} block #${index + 1}`)
  return found
}

/** The README app's status line, as the agent sees it. */
async function statusIs(page: Page, status: string): Promise<void> {
  await page.getByText(`Status: ${status}`, { exact: true }).waitFor({ timeout: 20_000 })
}

/** The README app's journey: Talk logs in, the Call button rings (the status follows Talk's own `call` event). */
async function callRings(page: Page): Promise<void> {
  await statusIs(page, 'available')
  await page.getByRole('button', { name: 'Call', exact: true }).click()
  await statusIs(page, 'ringing')
}

/** The installed package.json of the library inside a consumer. */
async function installedManifest(dir: string): Promise<{ scripts?: Record<string, string> }> {
  return JSON.parse(await readFile(join(dir, 'node_modules/nuxt-leaddesk-talk/package.json'), 'utf8')) as { scripts?: Record<string, string> }
}

describe('the tarball', () => {
  it('holds compiled JavaScript with declarations and nothing of the dashboard or the tests', () => {
    expect(packed.files).toContain('dist/vue.js')
    expect(packed.files).toContain('dist/vue.d.ts')
    expect(packed.files).toContain('dist/simulator/cli.js')
    expect(packed.files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'SECURITY.md', 'package.json']))
    expect(packed.files.filter(path => /\.ts$/.test(path) && !path.endsWith('.d.ts'))).toEqual([])
    expect(packed.files.filter(path => !path.startsWith('dist/') && !['LICENSE', 'README.md', 'SECURITY.md', 'package.json'].includes(path))).toEqual([])
  })
})

describe('a fresh Nuxt 4 app, set up as the README says', () => {
  let dir: string
  let server: ListeningProcess | undefined

  beforeAll(async () => {
    dir = join(work, 'nuxt-app')
    const snippets = await readmeSnippets('In a Nuxt app')
    await createNuxtApp(dir, '<template><NuxtWelcome /></template>\n')
    await installApp(dir)
    for (const command of shellCommands(only(snippets, 'sh'))) await npmInstall(dir, command, packed.tarball)
    await writeFile(join(dir, 'nuxt.config.ts'), only(snippets, 'ts').code)
    await writeFile(join(dir, 'app/app.vue'), only(snippets, 'vue').code)
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('installs without running anything of the package, and without @types/node', async () => {
    const manifest = await installedManifest(dir)
    expect(Object.keys(manifest.scripts ?? {}).filter(name => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([])
    expect(existsSync(join(dir, 'node_modules/@types/node'))).toBe(false)
  })

  it('has one Pinia and one Vue', async () => {
    expect(await installedCopies(dir, 'pinia')).toHaveLength(1)
    expect(await installedCopies(dir, 'vue')).toHaveLength(1)
  })

  it('typechecks with nuxi typecheck', async () => {
    await run(npx, ['nuxi', 'typecheck'], { cwd: dir, env: productionEnv() })
  })

  it('builds, serves the simulator, and a call rings in Chromium', async () => {
    await buildNuxtApp(dir)
    server = await startNuxtOutput(join(dir, '.output'))
    const page = await (await browser.newContext()).newPage()
    await page.goto(`http://localhost:${server.port}/`)
    await statusIs(page, 'offline')
    // A production build has no demo agent: the agent logs in with the simulator's form.
    const talk = page.frameLocator('#LD_talk')
    await talk.getByLabel('Agent name').fill('Package Test')
    await talk.getByRole('button', { name: 'Log in' }).click()
    await callRings(page)
    await page.context().close()
  })
})

/** A create-vite `vue-ts` app with the README's plain-Vue setup; `extra` are packages pinned beside it. */
function describeViteConsumer(name: string, extra: string[]) {
  describe(name, () => {
    let dir: string
    let simulator: ListeningProcess | undefined
    let app: TestServer | undefined

    beforeAll(async () => {
      dir = await createViteVueApp(work, `vue-app-${extra.length ? 'lowest' : 'latest'}`)
      await installApp(dir)
      const snippets = await readmeSnippets('In a plain Vue 3 app')
      const [install, simulatorCommand] = shellCommands(only(snippets, 'sh'))
      // Pinned versions take the place of the README's bare names.
      const pinned = install!.map(arg => extra.find(pin => pin.startsWith(`${arg}@`)) ?? arg)
      await npmInstall(dir, [...pinned, ...extra.filter(pin => !pinned.includes(pin))], packed.tarball)
      // The README's simulator command, on a free port instead of 4400.
      expect(simulatorCommand!.slice(0, 2)).toEqual(['npx', 'nuxt-leaddesk-talk-simulator'])
      simulator = await startListening(npx, [...simulatorCommand!.slice(1), '--port', '0'], {
        cwd: dir,
        env: { ...process.env },
        listening: /simulator: http:\/\/127\.0\.0\.1:(\d+)\//,
      })
      await writeFile(join(dir, 'src/main.ts'), only(snippets, 'ts').code.replaceAll('127.0.0.1:4400', `127.0.0.1:${simulator.port}`))
      await writeFile(join(dir, 'src/App.vue'), only(snippets, 'vue').code)
    })

    afterAll(async () => {
      await app?.close()
      await simulator?.stop()
    })

    it('installs without running anything of the package', async () => {
      const manifest = await installedManifest(dir)
      expect(Object.keys(manifest.scripts ?? {}).filter(name => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([])
    })

    it('has one Pinia and one Vue', async () => {
      const pinias = await installedCopies(dir, 'pinia')
      expect(pinias).toHaveLength(1)
      expect(await installedCopies(dir, 'vue')).toHaveLength(1)
      for (const pin of extra) expect([...pinias, ...await installedCopies(dir, 'vue')]).toContain(`node_modules/${pin}`)
    })

    it('imports /protocol and /simulator from plain Node', async () => {
      const script = 'const p = await import("nuxt-leaddesk-talk/protocol"); const s = await import("nuxt-leaddesk-talk/simulator"); console.log(typeof p.parseTalkEvent, typeof s.startSimulatorServer)'
      expect((await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { ...process.env } })).trim()).toBe('function function')
    })

    it('typechecks (vue-tsc -b with the template\'s own tsconfig) and builds', async () => {
      await buildViteApp(dir)
    })

    it('reaches available and a ringing call in Chromium, against the simulator from the package\'s bin', async () => {
      app = await startTestServer(serveDir(join(dir, 'dist')), { host: '127.0.0.1' })
      const page = await (await browser.newContext()).newPage()
      const errors: string[] = []
      page.on('pageerror', error => errors.push(error.message))
      await page.goto(`http://localhost:${app.port}/`)
      await callRings(page)
      expect(errors).toEqual([])
      await page.context().close()
    })
  })
}

describeViteConsumer('a fresh create-vite vue-ts app, set up as the README says', [])
describeViteConsumer('the same app on the lowest supported Vue and Pinia (3)', ['pinia@3.0.0', 'vue@3.5.11'])
