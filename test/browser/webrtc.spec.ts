/**
 * Two browsers reach each other through a relay, open a direct WebRTC connection on their own (the
 * relayed connection carries the signalling), and go on talking, with delivery receipts, after the
 * relay is stopped. Everything runs inside a private network namespace the test makes (headless
 * Chromium gathers no ICE candidates on loopback alone); without root the test is skipped, saying so.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRelay, RELAY_BIN, ROOT } from '../relay/helpers/relay-process.js'
import { builtPages } from './helpers/build.js'
import { chromiumAvailable, newProfile, openHarness, type Profile } from './helpers/chromium.js'
import { createTestNetwork, NETNS_RELAY_HOST, netnsUnavailable, type TestNetwork } from './helpers/netns.js'
import { waitFor } from './helpers/network.js'

const reason = chromiumAvailable() ? netnsUnavailable() : 'no /usr/bin/chromium'

// skipped where the test cannot build its network namespaces or find Chromium: `reason` says which
describe.skipIf(reason !== undefined)('two browsers over WebRTC', () => {
  let network: TestNetwork
  let relayDir: string
  let relay: ReturnType<TestNetwork['spawn']> | undefined
  let relayAddr: string
  const profiles: Profile[] = []
  const pages: Page[] = []

  beforeAll(async () => {
    const built = await builtPages()
    try {
      buildRelay()
    } catch (err) {
      // `npm test` builds everything first; a stale but present build still runs the relay
      if (!existsSync(join(ROOT, 'relay-node/dist/src/main.js'))) {
        throw err
      }
    }
    network = createTestNetwork()
    relayDir = mkdtempSync(join(tmpdir(), 'ferry-rtc-relay-'))
    relay = network.spawn(
      process.execPath,
      [
        RELAY_BIN,
        'start',
        '--data',
        relayDir,
        '--json',
        '--listen',
        `/ip4/${NETNS_RELAY_HOST}/tcp/0/ws`,
        '--metrics-port',
        '0',
      ],
      { cwd: ROOT },
    )
    relayAddr = await readyAddr(relay)
    for (const _ of [0, 1]) {
      const profile = newProfile(built)
      profiles.push(profile)
      const context: BrowserContext = await profile.launch({ netns: network.name })
      const page = await openHarness(context, profile)
      expect(await page.evaluate(() => harness.open({ connectionPolicy: 'permissive' }))).toBeUndefined()
      await page.evaluate(
        async (relays) => {
          await harness.messenger!.createAccount({ relays })
          await harness.messenger!.start()
        },
        [relayAddr],
      )
      pages.push(page)
    }
  }, 120_000)

  afterAll(async () => {
    for (const profile of profiles) {
      await profile.dispose()
    }
    relay?.kill('SIGKILL')
    network?.remove()
    if (relayDir !== undefined) {
      rmSync(relayDir, { recursive: true, force: true })
    }
  })

  it('upgrade to a direct connection and keep talking after the relay is stopped', async () => {
    const [alice, bob] = pages as [Page, Page]
    const bobInfo = await bob.evaluate(() => harness.messenger!.account())
    const aliceInfo = await alice.evaluate(() => harness.messenger!.account())
    await alice.evaluate((invite) => harness.messenger!.addContact(invite, { name: 'bob' }), bobInfo.invite)
    await bob.evaluate((invite) => harness.messenger!.addContact(invite, { name: 'alice' }), aliceInfo.invite)

    // the first message goes through the relay (a circuit, or the mailbox)
    await alice.evaluate(() => harness.messenger!.send('bob', 'over the relay'))
    await waitFor(() => received(bob, 'over the relay'), 30_000, 'the first message')
    await bob.evaluate(() => harness.messenger!.send('alice', 'hello back'))
    await waitFor(() => received(alice, 'hello back'), 30_000, 'the reply')

    await waitFor(
      async () =>
        (await alice.evaluate(() => harness.messenger!.connections())).some(
          (c) => c.peerId === bobInfo.peerId && c.transport === 'webrtc',
        ),
      40_000,
      'a WebRTC connection between the browsers',
    )
    // one WebRTC connection, dialled by the browser whose PeerId sorts first (a send from the other
    // one takes a relayed connection: two crossing WebRTC dials leave data channels that never open)
    const [first, second, firstId] =
      aliceInfo.peerId < bobInfo.peerId ? [alice, bob, aliceInfo.peerId] : [bob, alice, bobInfo.peerId]
    const webrtc = (await second.evaluate(() => harness.messenger!.connections())).filter(
      (c) => c.peerId === firstId && c.transport === 'webrtc',
    )
    expect(webrtc.map((c) => c.direction)).toEqual(['inbound'])
    expect(
      (await first.evaluate(() => harness.messenger!.connections())).filter((c) => c.transport === 'webrtc'),
    ).toHaveLength(1)

    relay!.kill('SIGTERM')
    await new Promise((resolve) => relay!.once('exit', resolve))
    await waitFor(
      async () =>
        !(await alice.evaluate(() => harness.messenger!.connections())).some((c) => c.transport !== 'webrtc'),
      20_000,
      'the relay connections to close',
    )

    const sent = await alice.evaluate(() => harness.messenger!.send('bob', 'without the relay'))
    expect(sent.devices[0]?.status).toBe('delivered')
    await waitFor(() => received(bob, 'without the relay'), 20_000, 'a message without the relay')
    const back = await bob.evaluate(() => harness.messenger!.send('alice', 'still here'))
    expect(back.devices[0]?.status).toBe('delivered')
    await waitFor(() => received(alice, 'still here'), 20_000, 'the reply without the relay')
    await waitFor(
      async () =>
        (await alice.evaluate((id) => harness.messenger!.status(id), sent.id))?.recipients[0]?.status ===
        'delivered',
      20_000,
      'the delivery receipt',
    )
    // the waits above bound each step; this bounds the whole (their sum, with room)
  }, 200_000)
})

if (reason !== undefined) {
  describe('two browsers over WebRTC', () => {
    // skipped, and the report says why: `reason` (no root, no network namespaces, or no Chromium)
    it.skip(`skipped: ${reason}`, () => {}) // reason: this machine cannot run it (`reason` says which)
  })
}

function received(page: Page, text: string): Promise<boolean> {
  return page.evaluate((t) => harness.events.some((e) => e.type === 'message' && e.text === t), text)
}

/** The relay's WebSocket address from its JSON ready line. */
async function readyAddr(child: ReturnType<TestNetwork['spawn']>): Promise<string> {
  let out = ''
  let err = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay was not ready:\n${err}`)), 30_000)
    child.on('exit', () => reject(new Error(`the relay exited:\n${err}`)))
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const line = out.split('\n')[0]
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer)
        const ready = JSON.parse(line) as { addrs: string[] }
        const ws = ready.addrs.find((a) => a.includes('/ws/'))
        if (ws === undefined) {
          reject(new Error(`no WebSocket address in ${line}`))
        } else {
          resolve(ws)
        }
      }
    })
  })
}
