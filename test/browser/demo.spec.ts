/**
 * The demo chat page, driven as a person would (by role and label): create an account on a local
 * relay, add a Node user as a contact from its invite link, send with the keyboard, see the reply and
 * the delivered status, look at the safety number; a screenshot is kept in .artifacts/.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Messenger } from '@ferry/client'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, builtPages } from './helpers/build.js'
import { chromiumAvailable, newProfile, type Profile } from './helpers/chromium.js'
import { nodeUser, startTestRelay, type TestRelay } from './helpers/network.js'

// skipped where Debian's Chromium is not installed (.ci/run installs it)
describe.skipIf(!chromiumAvailable())('the demo chat page', () => {
  let relay: TestRelay
  let node: Messenger
  let profile: Profile
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    const pages = await builtPages()
    relay = await startTestRelay()
    node = await nodeUser(relay)
    // the Node user answers every message
    node.on('message', (m) => {
      if (m.direction === 'in') {
        void node.send(m.from, `re: ${m.text}`).catch(() => {})
      }
    })
    profile = newProfile(pages)
    context = await profile.launch()
  }, 120_000)

  afterAll(async () => {
    await profile?.dispose()
    await node?.close()
    await relay?.stop()
  })

  it('creates an account, adds a contact, sends, and shows the reply and the delivered status', async () => {
    page = await context.newPage()
    await page.setViewportSize({ width: 1100, height: 720 })
    await page.goto(`${profile.origin}/demo/?store=demo&relay=${encodeURIComponent(relay.ws)}`)

    await expect.poll(() => page.getByLabel('Relay address').inputValue()).toBe(relay.ws)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Add a contact' }).waitFor()

    await page.getByRole('button', { name: 'Invite QR' }).click()
    await expect
      .poll(() => page.getByRole('button', { name: 'Invite QR' }).getAttribute('aria-expanded'))
      .toBe('true')
    const invite = (await page.locator('#invite-qr .mono').textContent()) ?? ''
    expect(invite).toMatch(/^ferry/)
    await page.getByRole('img', { name: 'QR code of your invite link' }).waitFor()
    await node.addContact(invite, { name: 'demo' })

    await page.getByLabel('Their invite link or account ID').fill(node.account().invite)
    await page.getByLabel('Name', { exact: true }).fill('Node')
    await page.getByRole('button', { name: 'Add contact' }).click()
    await page.getByRole('heading', { name: 'Node', exact: true }).waitFor()

    const box = page.getByRole('textbox', { name: 'Message' })
    await box.fill('hello from the demo')
    await box.press('Enter')

    const log = page.getByRole('log')
    await log.getByText('re: hello from the demo').waitFor({ timeout: 30_000 })
    const mine = log.locator('li.out', { hasText: 'hello from the demo' })
    await expect
      .poll(() => mine.getAttribute('data-status'), { timeout: 30_000 })
      .toMatch(/^(delivered|read)$/)
    await expect.poll(() => mine.textContent()).toMatch(/Delivered|Read/)
    expect(await page.getByRole('status').first().textContent()).toMatch(/Online through the relay/)

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'browser-demo-chat.png') })

    await page.getByRole('button', { name: 'Safety number' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    const digits = (await dialog.locator('#safety-digits span').allTextContents()).join(' ')
    expect(digits.replaceAll(' ', '')).toMatch(/^\d{60}$/)
    expect(digits.replaceAll(' ', '')).toBe((await node.safetyNumber('demo')).digits.replaceAll(' ', ''))
    await page.screenshot({ path: join(ARTIFACTS, 'browser-demo-safety-number.png') })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  }, 90_000)

  it('says so in a second tab and takes over when asked', async () => {
    const second = await context.newPage()
    await second.goto(`${profile.origin}/demo/?store=demo`)
    const action = second.getByRole('button', { name: 'Use Ferry here instead' })
    await action.waitFor()
    expect(await second.getByRole('alert').first().textContent()).toMatch(/open in another tab/)
    await action.click()
    await second.getByRole('heading', { name: 'Add a contact' }).waitFor()
    await page.getByRole('button', { name: 'Use Ferry here' }).waitFor()
    expect(await page.locator('#app').isHidden()).toBe(true)
    await second.getByRole('button', { name: 'Node' }).click()
    await second.getByRole('log').getByText('re: hello from the demo').waitFor()
  }, 60_000)
})
