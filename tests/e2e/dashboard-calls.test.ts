import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { launchChromium } from '../support/browser'
import { startDashboardOnSimulator } from './support/dashboard-app'
import type { DashboardOnSimulator, DashboardServer } from './support/dashboard-app'
import { callApi, eventually, expectStatus, expectText, navigate, openAt, simulate, simulatorState } from './support/dashboard-page'

const screenshots = resolve(import.meta.dirname, '../../docs/images')

let servers: DashboardOnSimulator
let app: DashboardServer
let browser: Browser
let context: BrowserContext
let page: Page
let aino: { id: number }

/** One stored call as the API lists it. */
interface StoredCall {
  id: number
  answered: boolean
  comment: string | null
  note: string | null
  contactName: string | null
  interrupted: { reason: string, phase: string, at: string } | null
}

const api = <T>(path: string, init?: RequestInit) => callApi<T>(app.url, path, init)

// Markup in contact data, which must reach the agent as text.
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Eve'
const HOSTILE_COMPANY = '<script>window.__pwned=2</script>'

const storedCalls = async (id: number) => (await api<{ items: StoredCall[] }>('/api/calls?limit=200')).items.filter(call => call.id === id)

/** Records, in the page, when Talk's `call` event arrived and whether the incoming-call alert was there by the next frame. */
function watchIncomingAlert(): void {
  const w = window as unknown as { alertTiming?: { lagMs: number | null, byNextFrame: boolean } }
  window.addEventListener('message', (event) => {
    const data = event.data as { action?: unknown, direction?: unknown } | null
    if (data?.action !== 'call' || data.direction !== 'in') return
    const at = performance.now()
    const find = () => document.querySelector('[role="alertdialog"]')
    const observer = new MutationObserver(() => {
      if (!find() || !w.alertTiming) return
      w.alertTiming.lagMs = performance.now() - at
      observer.disconnect()
    })
    w.alertTiming = { lagMs: find() ? 0 : null, byNextFrame: false }
    observer.observe(document.body, { childList: true, subtree: true })
    requestAnimationFrame(() => {
      w.alertTiming!.byNextFrame = !!find()
    })
  }, true)
}

const openDashboard = (path = '/') => openAt(page, `${app.url}${path}`)

const nav = (name: 'Contacts' | 'Calls' | 'Settings') => navigate(page, name)

/** Ends the call in Talk and completes it, so the next test starts with the agent available. */
async function finishCall(): Promise<void> {
  if ((await simulatorState(page)).kind !== 'wrap-up') await simulate(page, 'hangup')
  await simulate(page, 'complete', {})
  await expectStatus(page, 'Available')
}

beforeAll(async () => {
  // National numbers are Finnish: Aino is stored as 040 032 6411, and Talk reports +358400326411.
  servers = await startDashboardOnSimulator('calls', { LEADDESK_TALK_DEFAULT_REGION: 'FI', LEADDESK_TALK_SEED: 'false' })
  app = servers.app
  aino = await api('/api/contacts', { method: 'POST', body: JSON.stringify({ name: 'Aino Virtanen', phone: '040 032 6411', company: 'Kivi Oy' }) })
  await api('/api/contacts', { method: 'POST', body: JSON.stringify({ name: 'Elina Virtanen', phone: '+358 40 111 9999' }) })
  // Numbers of every length and format, for the narrow layouts.
  for (const [name, phone, company] of [['Margaret Hamilton-Smythe', '+1 617 555 0100', 'Apollo Guidance Computer Laboratory'], ['Alan Turing', '+44 20 7946 0018', 'Bletchley Park'], ['Helsinki Office', '09 123 4567', null], ['Lars Persson', '0046 70 174 06 20', 'Kontor AB'], ['Anna-Maria Lindqvist-Korhonen', '+358 50 123 4567', 'Pohjolan Rakennus- ja Kiinteistöhuolto Oy']] as const) {
    await api('/api/contacts', { method: 'POST', body: JSON.stringify({ name, phone, company }) })
  }
  for (const [i, number] of ['+16175550100', '+442079460018', '+35891234567', '+358501234567'].entries()) {
    await api('/api/calls', { method: 'POST', body: JSON.stringify({
      id: 50 + i, direction: 'out', to: number, from: null, answered: true, callStart: '2026-03-01 10:00:00', talkStart: '2026-03-01 10:00:05',
      callEnd: '2026-03-01 10:05:00', duration: 295, comment: 'Long comment about the next steps that an agent wrote in Talk', recordUrl: null, reason: null, completedAt: Date.UTC(2026, 2, 1, 10, 6),
    }) })
  }
  await api('/api/calls', { method: 'POST', body: JSON.stringify({
    id: 41, direction: 'in', to: null, from: '+358 40 032 6411', answered: false, callStart: null, talkStart: null,
    callEnd: '2026-03-02 09:00:00', duration: 0, comment: 'Left no message', recordUrl: null, reason: null, completedAt: Date.UTC(2026, 2, 2, 9, 1),
  }) })
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  // Shorter than the test's own timeout, so a stuck step names itself.
  context.setDefaultTimeout(20_000)
  await context.addInitScript(watchIncomingAlert)
  page = await context.newPage()
})

// A test that failed midway leaves no call behind to confuse the next one.
afterEach(async () => {
  const state = page && await simulatorState(page).catch(() => null)
  if (!state || state.kind === 'idle' || state.kind === 'logged-out') return
  await finishCall()
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await servers?.close()
})

describe('the agent\'s call on every page', () => {
  it('pops up the caller stored in national format when they call in international format, answers, and follows the call to Settings', async () => {
    await openDashboard('/')
    // The last contact dialled gave Talk their details; the inbound caller must replace them.
    await page.getByLabel('Search contacts').fill('Elina')
    await page.getByRole('button', { name: 'Call Elina Virtanen' }).click()
    await expectStatus(page, 'Ringing')
    await finishCall()
    expect((await simulatorState(page)).metadata).toMatchObject({ name: 'Elina Virtanen' })
    await page.locator('body').focus()

    await simulate(page, 'incomingCall', '+358400326411')
    const alert = page.getByRole('alertdialog', { name: 'Incoming call' })
    await alert.waitFor()
    const timing = await page.evaluate(() => (window as unknown as { alertTiming: { lagMs: number | null, byNextFrame: boolean } }).alertTiming)
    console.info(`incoming-call alert: ${timing.lagMs?.toFixed(1)} ms after the call event, present by the next frame: ${timing.byNextFrame}`)
    expect(timing.byNextFrame).toBe(true)
    await expectText(alert, 'Aino Virtanen')
    await expectText(alert, 'Kivi Oy')
    await expectText(alert, '+358 40 0326411')
    await expectText(alert, /Last call: .*inbound, missed/)
    await eventually(() => page.title()).toMatch(/^Incoming call: Aino Virtanen/)
    // Focus was nowhere in particular, so it moved to Answer.
    await eventually(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Answer')
    // Talk's SMS now greets the caller, not the contact dialled before.
    await eventually(async () => (await simulatorState(page)).metadata).toMatchObject({ id: aino.id, name: 'Aino Virtanen', company: 'Kivi Oy' })
    await page.screenshot({ path: join(screenshots, 'dashboard-incoming-call.png') })

    await alert.getByRole('button', { name: 'Answer' }).click()
    await expectStatus(page, 'In call')
    expect((await simulatorState(page)).kind).toBe('connected')
    await eventually(() => alert.count()).toBe(0)
    await eventually(() => page.title()).not.toMatch(/Incoming call/)
    const bar = page.getByRole('region', { name: 'Active call' })
    await expectText(bar, 'Aino Virtanen')
    await expectText(bar, '+358 40 0326411')
    await expectText(bar, 'Inbound')
    await expectText(bar, /Talk time \d\d:\d\d/)

    await nav('Settings')
    await expectText(bar, 'Aino Virtanen')
    await bar.getByRole('button', { name: 'Hang up' }).click()
    await expectStatus(page, 'Wrap-up')
    await expectText(bar, 'Wrap-up: choose the call ending reason and complete the call in Talk')
    await finishCall()
    await eventually(() => bar.count()).toBe(0)
  })

  it('shows an unknown caller\'s number with Add contact, leaves a typing agent\'s keys alone, and declines', async () => {
    await openDashboard('/')
    const search = page.getByLabel('Search contacts')
    await search.focus()
    await search.pressSequentially('vir')
    await simulate(page, 'incomingCall', '+358 50 765 4321')
    const alert = page.getByRole('alertdialog', { name: 'Incoming call' })
    await expectText(alert, '+358 50 7654321')
    await alert.getByRole('button', { name: 'Add contact' }).waitFor()
    // The agent was typing: focus stays, the next keys land in the field, and the answer shortcut does nothing there.
    expect(await search.evaluate(el => el === document.activeElement)).toBe(true)
    await page.keyboard.type('tanen')
    await page.keyboard.press('Alt+Shift+KeyA')
    expect(await search.inputValue()).toBe('virtanen')
    expect((await simulatorState(page)).kind).toBe('ringing-in')
    // Nobody answered: the bar counts the ringing, never talk time.
    await expectText(page.getByRole('region', { name: 'Active call' }), /Ringing for \d\d:\d\d/)

    await alert.getByRole('button', { name: 'Decline' }).click()
    await expectStatus(page, 'Wrap-up')
    await eventually(() => alert.count()).toBe(0)
    const bar = page.getByRole('region', { name: 'Active call' })
    await expectText(bar, /Not answered \(rang for \d\d:\d\d\)/)
    expect(await bar.textContent()).not.toMatch(/Talk time/)
    await finishCall()
  })

  it('lets the agent add an unknown caller as a contact from the alert, and hides the alert with Escape', async () => {
    await openDashboard('/')
    await page.locator('body').focus()
    await simulate(page, 'incomingCall', '+358 50 765 4322')
    const alert = page.getByRole('alertdialog', { name: 'Incoming call' })
    await alert.getByRole('button', { name: 'Add contact' }).click()
    const form = page.getByRole('dialog', { name: 'Add contact' })
    expect(await form.getByLabel('Phone').inputValue()).toBe('+358 50 765 4322')
    await form.getByLabel('Name').fill('Ville Uusi')
    await form.getByRole('button', { name: 'Save contact' }).click()
    await eventually(() => form.isVisible()).toBe(false)
    await alert.getByRole('button', { name: 'Answer' }).focus()
    await page.keyboard.press('Escape')
    await eventually(() => alert.count()).toBe(0)
    // The call rings on; the bar still answers it.
    expect((await simulatorState(page)).kind).toBe('ringing-in')
    await page.getByRole('region', { name: 'Active call' }).getByRole('button', { name: 'Answer' }).click()
    await expectStatus(page, 'In call')
    await finishCall()
  })

  it('shows a caller\'s contact data as text in the alert, the bar and the title', async () => {
    const eve = await api<{ id: number }>('/api/contacts', { method: 'POST', body: JSON.stringify({ name: HOSTILE_NAME, phone: '040 555 0199', company: HOSTILE_COMPANY }) })
    // Gone again afterwards: the screenshots of the contact list are for the README.
    onTestFinished(() => api(`/api/contacts/${eve.id}`, { method: 'DELETE' }))
    await openDashboard('/calls')
    await simulate(page, 'incomingCall', '+358405550199')
    const alert = page.getByRole('alertdialog', { name: 'Incoming call' })
    await expectText(alert, HOSTILE_NAME)
    await expectText(alert, HOSTILE_COMPANY)
    await expectText(page.getByRole('region', { name: 'Active call' }), HOSTILE_NAME)
    await eventually(() => page.title()).toBe(`Incoming call: ${HOSTILE_NAME} · Calls · LeadDesk Agent`)
    expect(await page.locator('[role="alertdialog"] img, [role="alertdialog"] script, #main img').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    await finishCall()
  })

  it('records a call lost with a reload as one interrupted call, on /calls and on the server, until Talk\'s completed record replaces it', async () => {
    await openDashboard('/calls')
    await simulate(page, 'incomingCall', '+358400326411')
    await page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Answer' }).click()
    await expectStatus(page, 'In call')
    const id = (await simulatorState(page)).call!.id
    // The journal lives in storage any script of the origin can write: entries that are not calls are passed over.
    await page.evaluate((key) => {
      const journal = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, unknown>
      localStorage.setItem(key, JSON.stringify({ ...journal, junk: null, half: { id: 'x' } }))
    }, 'leaddesk-talk:unfinished-calls')
    // Leaving the tab with Talk during a call asks first.
    const asked: string[] = []
    page.once('dialog', (dialog) => {
      asked.push(dialog.type())
      void dialog.accept()
    })
    await page.reload()
    expect(asked).toEqual(['beforeunload'])
    await expectStatus(page, 'Available')

    const row = page.getByTestId('call-row').filter({ hasText: 'Interrupted' }).filter({ hasText: 'Aino Virtanen' })
    await eventually(() => row.count()).toBeGreaterThan(0)
    await eventually(() => row.count()).toBe(1)
    await eventually(() => storedCalls(id)).toEqual([expect.objectContaining({ interrupted: expect.objectContaining({ reason: 'page-closed', phase: 'connected' }) })])
    expect(await page.evaluate(key => localStorage.getItem(key), 'leaddesk-talk:unfinished-calls')).toBeNull()

    // Talk's own record of that call arrives after all: it takes the interrupted one's place.
    await simulate(page, 'post', { action: 'completed', call: {
      id, direction: 'in', to: '+35820000000', from: '+358400326411', answered: true, callStart: '2026-03-05 10:00:00', talkStart: '2026-03-05 10:00:00',
      callEnd: '2026-03-05 10:02:00', duration: 120, comment: 'Finished after the reload', recordUrl: null, reason: { name: 'Sale', logicalName: 'SALE' },
    } })
    await eventually(() => storedCalls(id)).toEqual([expect.objectContaining({ interrupted: null, answered: true, comment: 'Finished after the reload' })])
    await expectText(page.getByTestId('call-row').filter({ hasText: 'Finished after the reload' }), 'Aino Virtanen')
    await eventually(() => page.getByTestId('call-row').filter({ hasText: 'Interrupted' }).filter({ hasText: 'Aino Virtanen' }).count()).toBe(0)
  })

  it('records a call lost when Talk logs out, with why', async () => {
    await openDashboard('/calls')
    await simulate(page, 'incomingCall', '+358 40 111 9999')
    await expectStatus(page, 'Ringing')
    const id = (await simulatorState(page)).call!.id
    await simulate(page, 'logout')
    await expectStatus(page, 'Offline')
    await eventually(() => storedCalls(id)).toEqual([expect.objectContaining({ contactName: 'Elina Virtanen', interrupted: expect.objectContaining({ reason: 'logged-out' }) })])
    await expectText(page.getByTestId('call-row').filter({ hasText: 'Elina Virtanen' }).first(), 'Interrupted')
    await simulate(page, 'login', 'Alice', 'en')
    await expectStatus(page, 'Available')
  })

  it('marks missed calls, calls back by name, keeps the agent\'s note in the contact\'s timeline and finds calls by comment with their contact', async () => {
    await openDashboard('/calls')
    await page.getByLabel('Search calls').fill('left no message')
    const row = page.getByTestId('call-row').filter({ hasText: 'Left no message' })
    await expectText(row, 'Missed')
    await expectText(row, 'Aino Virtanen')
    await row.getByRole('button', { name: 'Add a note to the call with Aino Virtanen' }).click()
    const dialog = page.getByRole('dialog', { name: 'Note on the call with Aino Virtanen' })
    await dialog.getByLabel('Note').fill('Ring back after lunch')
    await dialog.getByRole('button', { name: 'Save note' }).click()
    await expectText(row, 'Ring back after lunch')
    expect((await storedCalls(41))[0]).toMatchObject({ note: 'Ring back after lunch' })

    await row.getByRole('button', { name: 'Call back Aino Virtanen' }).click()
    await expectStatus(page, 'Ringing')
    await expectText(page.getByRole('region', { name: 'Active call' }), 'Aino Virtanen')
    await finishCall()

    await page.goto(`${app.url}/contacts/${aino.id}`)
    await expectText(page.getByTestId('timeline'), 'Ring back after lunch')
    await expectText(page.getByTestId('timeline'), 'Missed')

    // An error Talk raised by itself is explained, not shown as "Talk: general".
    await simulate(page, 'post', { action: 'error', message: 'general' })
    const error = page.getByRole('alert').filter({ hasText: 'no action of this dashboard caused' })
    await expectText(error, 'Talk reported an error (“general”)')
  })

  it('lists the keyboard shortcuts in a help dialog and focuses the search with one', async () => {
    await openDashboard('/settings')
    await page.locator('body').focus()
    await page.keyboard.press('Alt+Shift+KeyK')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await expectText(help, 'Answer the ringing call')
    await expectText(help, 'Hang up')
    await page.keyboard.press('Escape')
    await eventually(() => help.isVisible()).toBe(false)
    await page.keyboard.press('Alt+Shift+KeyF')
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search')
    expect(new URL(page.url()).pathname).toBe('/')
  })

  it('names every invalid field at once, and asks before saving a number another contact has', async () => {
    await openDashboard('/')
    await page.getByRole('button', { name: 'Add contact' }).click()
    const form = page.getByRole('dialog', { name: 'Add contact' })
    await form.getByLabel('Phone').fill('not a number')
    await form.getByLabel('Email').fill('nope')
    await form.getByRole('button', { name: 'Save contact' }).click()
    for (const field of ['Name', 'Phone', 'Email']) await eventually(() => form.getByLabel(field).getAttribute('aria-invalid')).toBe('true')

    await form.getByLabel('Name').fill('Aino Again')
    await form.getByLabel('Phone').fill('+358 40 032 6411')
    await form.getByLabel('Email').fill('')
    await form.getByRole('button', { name: 'Save contact' }).click()
    const duplicate = form.getByTestId('duplicate-phone')
    await expectText(duplicate, 'This number already belongs to Aino Virtanen')
    expect(await duplicate.getByRole('link', { name: 'Aino Virtanen' }).getAttribute('href')).toBe(`/contacts/${aino.id}`)
    await form.getByRole('button', { name: 'Save anyway' }).click()
    await eventually(() => form.isVisible()).toBe(false)
    expect((await api<{ total: number }>('/api/contacts?q=aino%20again')).total).toBe(1)
  })

  it('imports a Windows-1252 file from Excel and exports with the byte order mark', async () => {
    await openDashboard('/')
    const cp1252 = Buffer.concat([Buffer.from('name,phone,company\r\nMatti J'), Buffer.from([0xE4]), Buffer.from('rvinen,040 765 1111,O'), Buffer.from([0x92]), Buffer.from('Brien Oy\r\n')])
    await page.getByLabel('Import CSV').setInputFiles({ name: 'excel.csv', mimeType: 'text/csv', buffer: cp1252 })
    await expectText(page.getByTestId('import-result'), 'Imported 1. Read as Windows-1252 (Excel).')
    await page.getByLabel('Search contacts').fill('Järvinen')
    await expectText(page.getByTestId('contact-row').first(), 'Matti Järvinen')
    await expectText(page.getByTestId('contact-row').first(), 'O’Brien Oy')
    await page.getByLabel('Search contacts').fill('')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const bytes = await new Promise<Buffer>((done, fail) => {
      download.createReadStream().then((stream) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => done(Buffer.concat(chunks)))
      }, fail)
    })
    expect([...bytes.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    expect(bytes.toString('utf8')).toContain('Matti Järvinen')
  })
})

describe('any width', () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 768, height: 1024 }]) {
    it(`never scrolls sideways at ${viewport.width}×${viewport.height}, and every Call and Call back button is whole and takes the tap`, async () => {
      const small = await browser.newContext({ viewport, hasTouch: true, isMobile: viewport.width < 500 })
      const phone = await small.newPage()
      try {
        /**
         * Overflow, the buttons named `label` whose centre is not themselves (hidden, cut or covered)
         * and the phone numbers not shown whole. `layoutWidth` is `innerWidth`: a phone widens it
         * (zooming the page out) when something does not fit, which `scrollWidth` alone would miss.
         */
        const check = (label: RegExp) => phone.evaluate((source) => {
          const main = document.getElementById('main')!
          const width = document.documentElement.clientWidth
          const buttons = [...document.querySelectorAll<HTMLButtonElement>('#main button')].filter(b => new RegExp(source).test(b.getAttribute('aria-label') ?? b.textContent ?? ''))
          // Each button brought into view in turn, as a finger would scroll to it, then hit at its centre.
          const missed = buttons.filter((b) => {
            b.scrollIntoView({ block: 'center' })
            const r = b.getBoundingClientRect()
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
            return !(hit === b || b.contains(hit)) || r.left < 0 || r.right > width || r.width < 24
          }).map(b => b.getAttribute('aria-label'))
          const cutNumbers = [...document.querySelectorAll<HTMLElement>('#main .phone-number')].filter((el) => {
            if (!el.offsetParent) return false
            const text = document.createRange()
            text.selectNodeContents(el)
            const box = el.getBoundingClientRect()
            return el.scrollWidth > el.clientWidth + 1 || text.getBoundingClientRect().right > Math.min(box.right, width) + 1
          }).map(el => el.textContent)
          main.scrollTop = 0
          scrollTo(0, 0)
          return { layoutWidth: innerWidth, pageWider: document.documentElement.scrollWidth - innerWidth, mainWider: main.scrollWidth - main.clientWidth, buttons: buttons.length, missed, cutNumbers }
        }, label.source)
        const fits = { layoutWidth: viewport.width, pageWider: 0, mainWider: 0, missed: [], cutNumbers: [] }

        await phone.goto(`${app.url}/`)
        await expectStatus(phone, 'Available')
        await eventually(() => phone.getByTestId('contact-row').count()).toBeGreaterThan(2)
        const contacts = await check(/^Call /)
        expect(contacts).toMatchObject(fits)
        expect(contacts.buttons).toBeGreaterThan(2)
        if (viewport.width === 390) await phone.screenshot({ path: join(screenshots, 'dashboard-phone.png') })
        // A tap on a row's Call button calls that row's contact.
        await phone.getByRole('button', { name: /^Call / }).first().tap()
        await expectStatus(phone, 'Ringing')
        await simulate(phone, 'hangup')
        await simulate(phone, 'complete', {})
        await expectStatus(phone, 'Available')

        await phone.goto(`${app.url}/calls`)
        await eventually(() => phone.getByTestId('call-row').count()).toBeGreaterThan(2)
        const calls = await check(/^Call back /)
        expect(calls).toMatchObject(fits)
        expect(calls.buttons).toBeGreaterThan(2)

        // Escape closes the Talk drawer wherever focus is in the page.
        await phone.getByRole('button', { name: 'Show Talk' }).click()
        await eventually(() => phone.locator('#talk-dock').getAttribute('data-open')).toBe('true')
        await phone.getByLabel('Search calls').focus()
        await phone.keyboard.press('Escape')
        await eventually(() => phone.locator('#talk-dock').getAttribute('data-open')).toBe('false')
      }
      finally {
        await small.close()
      }
    })
  }
})
