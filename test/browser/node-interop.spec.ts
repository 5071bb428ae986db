/**
 * A browser tab and a Node user talk through a local relay: the tab reaches the relay over WebSockets
 * only, takes its mailbox there, and messages flow both ways with delivery receipts. Then the tab is
 * closed, the Node user writes, and the message arrives when the page is opened again; what the tab
 * stored (messages, sessions) survives a reload and a restart of the browser on the same profile.
 * The tab is a group member like any device: a group message reaches it, and its own reaches Node.
 * Finally a second browser profile is linked as a device of the Node user's account with a pairing
 * code, and receives what is written to that account and the copy of what its primary sends.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Messenger } from '@ferry/client'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtPages } from './helpers/build.js'
import { chromiumAvailable, newProfile, openHarness, type Profile } from './helpers/chromium.js'
import { nextEvent, nodeUser, startTestRelay, type TestRelay, waitFor } from './helpers/network.js'

const STORE = 'interop'

// skipped where Debian's Chromium is not installed (.ci/run installs it)
describe.skipIf(!chromiumAvailable())('a browser user and a Node user', () => {
  let relay: TestRelay
  let relayDir: string
  let pages: string
  let node: Messenger
  let profile: Profile
  let context: BrowserContext
  let page: Page
  let browserId: string

  beforeAll(async () => {
    pages = await builtPages()
    relayDir = mkdtempSync(join(tmpdir(), 'ferry-relay-'))
    relay = await startTestRelay('127.0.0.1', { dataDir: relayDir })
    node = await nodeUser(relay)
    profile = newProfile(pages)
    context = await profile.launch()
  }, 120_000)

  afterAll(async () => {
    await profile?.dispose()
    await node?.close()
    await relay?.stop()
    if (relayDir !== undefined) {
      rmSync(relayDir, { recursive: true, force: true })
    }
  })

  async function openPage(): Promise<Page> {
    const opened = await openHarness(context, profile)
    const failure = await opened.evaluate(
      (name) => harness.open({ name, connectionPolicy: 'loopback' }),
      STORE,
    )
    expect(failure).toBeUndefined()
    return opened
  }

  it('exchange messages through the relay, both ways, with delivery receipts', async () => {
    page = await openPage()
    browserId = await page.evaluate(
      async (relays) => {
        const m = harness.messenger!
        const info = await m.createAccount({ relays })
        await m.start()
        return info.accountId
      },
      [relay.ws],
    )
    const nodeInfo = node.account()
    await page.evaluate((invite) => harness.messenger!.addContact(invite, { name: 'node' }), nodeInfo.invite)
    await node.addContact(await page.evaluate(() => harness.messenger!.account().invite), { name: 'browser' })

    const arrived = nextEvent(node, 'message', (m) => m.text === 'hello from the browser')
    const sent = await page.evaluate(() => harness.messenger!.send('node', 'hello from the browser'))
    expect(['stored', 'delivered']).toContain(sent.devices[0]?.status)
    expect((await arrived).from).toBe(browserId)
    await waitFor(
      async () =>
        (await page.evaluate((id) => harness.messenger!.status(id), sent.id))?.recipients[0]?.status ===
        'delivered',
      30_000,
      'the delivery receipt in the browser',
    )

    const reply = await node.send('browser', 'hello from node')
    await waitFor(
      () =>
        page.evaluate(() => harness.events.some((e) => e.type === 'message' && e.text === 'hello from node')),
      30_000,
      'the reply in the browser',
    )
    await waitFor(
      async () => (await node.status(reply.id))?.recipients[0]?.status === 'delivered',
      30_000,
      'the delivery receipt in Node',
    )
  })

  it('receives what was sent while the tab was closed, when the page opens again', async () => {
    await page.close()
    const sent = await node.send('browser', 'while you were away')
    expect(sent.devices[0]?.status).toBe('stored')
    page = await openPage()
    await page.evaluate(() => harness.messenger!.start())
    await waitFor(
      () =>
        page.evaluate(() =>
          harness.events.some((e) => e.type === 'message' && e.text === 'while you were away'),
        ),
      30_000,
      'the message deposited while the tab was closed',
    )
  })

  it('keeps messages and sessions across a reload and a browser restart on the same profile', async () => {
    const texts = () =>
      page.evaluate(async () => (await harness.messenger!.history('node')).map((m) => m.text))
    const before = await texts()
    expect(before).toEqual(['hello from the browser', 'hello from node', 'while you were away'])

    await page.reload()
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready')
    expect(
      await page.evaluate((name) => harness.open({ name, connectionPolicy: 'loopback' }), STORE),
    ).toBeUndefined()
    expect(await texts()).toEqual(before)

    await context.close()
    context = await profile.launch()
    page = await openPage()
    expect(await texts()).toEqual(before)
    expect(await page.evaluate(() => harness.messenger!.account().accountId)).toBe(browserId)

    // the sessions survived too: both directions go on without a new session set-up
    await page.evaluate(() => harness.messenger!.start())
    const arrived = nextEvent(node, 'message', (m) => m.text === 'after the restart')
    await page.evaluate(() => harness.messenger!.send('node', 'after the restart'))
    await arrived
    await node.send('browser', 'welcome back')
    await waitFor(
      () =>
        page.evaluate(() => harness.events.some((e) => e.type === 'message' && e.text === 'welcome back')),
      30_000,
      'a message after the restart',
    )
    const kinds = await page.evaluate(async () =>
      (await harness.messenger!.eventsSince(0, 1000)).map((e) => e.type),
    )
    expect(kinds).not.toContain('identity-changed')
  })

  it('is a group member: gets the Node user’s group message, and its own reaches the Node user', async () => {
    const group = await node.createGroup('browser and node', ['browser'])
    await waitFor(
      () =>
        page.evaluate(async (id) => (await harness.messenger!.groups()).some((g) => g.id === id), group.id),
      30_000,
      'the group in the browser',
    )
    const sent = await node.sendGroup(group.id, 'to the group, from node')
    expect(sent.receipts.total).toBe(1)
    await waitFor(
      () =>
        page.evaluate(() =>
          harness.events.some((e) => e.type === 'message' && e.text === 'to the group, from node'),
        ),
      30_000,
      'the group message in the browser',
    )
    const arrived = nextEvent(node, 'message', (m) => m.text === 'to the group, from the browser')
    await page.evaluate((id) => harness.messenger!.sendGroup(id, 'to the group, from the browser'), group.id)
    expect((await arrived).group).toBe(group.id)
  })

  it("links a browser as a device of the Node user's account with a pairing code", async () => {
    const linked = newProfile(pages)
    try {
      const linkedContext = await linked.launch()
      const tab = await openHarness(linkedContext, linked)
      expect(
        await tab.evaluate(() => harness.open({ name: 'linked', connectionPolicy: 'loopback' })),
      ).toBeUndefined()
      const pairing = node.createPairing()
      const info = await tab.evaluate((code) => harness.messenger!.linkDevice(code), pairing.code)
      expect((await pairing.completed).deviceId).toBe(info.deviceId)
      expect(info.accountId).toBe(node.account().accountId)
      expect(info.primary).toBe(false)
      await tab.evaluate(() => harness.messenger!.start())
      expect((await node.devices()).map((d) => d.deviceId)).toEqual([1, info.deviceId])

      // the first browser writes to the account: both of its devices get it; the primary's answer is
      // copied to the linked browser as a sync transcript
      await waitFor(
        () =>
          page.evaluate(
            (account) =>
              harness.events.some(
                (e) => e.type === 'device-list' && e.account === account && e.devices.length === 2,
              ),
            info.accountId,
          ),
        30_000,
        "the browser to learn the account's new device list",
      )
      const sent = await page.evaluate(() => harness.messenger!.send('node', 'to every device'))
      expect(sent.devices.map((d) => d.device).sort()).toEqual([1, info.deviceId])
      await waitFor(
        () =>
          tab.evaluate(() =>
            harness.events.some((e) => e.type === 'message' && e.text === 'to every device'),
          ),
        30_000,
        'the message on the linked device',
      )
      await node.send('browser', 'from the primary')
      await waitFor(
        () =>
          tab.evaluate(() =>
            harness.events.some(
              (e) => e.type === 'message' && e.direction === 'out' && e.text === 'from the primary',
            ),
          ),
        30_000,
        "the copy of the primary's message",
      )
    } finally {
      await linked.dispose()
    }
  }, 90_000)

  it('comes back after its relay was down, and is reachable through it again', async () => {
    // the same relay stops and starts again: same identity (its data directory), same ports
    const ports = relay.ports
    await relay.stop()
    const connected = () =>
      page.evaluate(() => harness.messenger!.connections().some((c) => c.transport === 'websocket'))
    await waitFor(async () => !(await connected()), 20_000, 'the browser to see the relay go')

    relay = await startTestRelay('127.0.0.1', { dataDir: relayDir, ports })
    await waitFor(connected, 60_000, 'the browser to reconnect to the relay')
    // its circuit reservation is made again, so peers reach it through the relay
    await waitFor(
      async () =>
        (await page.evaluate(() => harness.messenger!.addresses())).some((a) => a.includes('/p2p-circuit')),
      60_000,
      'a reservation on the relay again',
    )
    await node.send('browser', 'after the outage')
    await waitFor(
      () =>
        page.evaluate(() =>
          harness.events.some((e) => e.type === 'message' && e.text === 'after the outage'),
        ),
      30_000,
      'a message after the outage',
    )
    // a user who never failed to reach it (the first one may still be going to the mailbox after its
    // failed attempts) delivers straight through the relay's circuit
    const other = await nodeUser(relay)
    try {
      await other.addContact(await page.evaluate(() => harness.messenger!.account().invite), {
        name: 'browser',
      })
      const sent = await other.send('browser', 'through the circuit')
      expect(sent.devices[0]?.status).toBe('delivered')
      await waitFor(
        () =>
          page.evaluate(() =>
            harness.events.some((e) => e.type === 'message' && e.text === 'through the circuit'),
          ),
        30_000,
        'the direct message',
      )
    } finally {
      await other.close()
    }
  }, 120_000)
})
