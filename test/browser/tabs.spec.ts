/**
 * One writer per store (FAULTS 37): a second tab of the same store is refused while the first runs,
 * takes the store over only when asked (the first tab closes its messenger, then hands over), and a
 * writer that does not answer loses the store by force after the grace period; no message is lost or shown twice
 * across the hand-overs. A tab killed while it writes what it fetches from its mailbox leaves the store
 * consistent: after a reload every message is there exactly once and the relay holds nothing, so
 * nothing was acknowledged that was not stored. An evicted store is detected at start-up (FAULTS 38).
 */
import type { Messenger } from '@ferry/client'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtPages } from './helpers/build.js'
import { chromiumAvailable, newProfile, openHarness, type Profile } from './helpers/chromium.js'
import { nextEvent, nodeUser, startTestRelay, type TestRelay, waitFor } from './helpers/network.js'

/** Messages deposited while the tab is closed, for the kill in the middle of their fetch. */
const BURST = 120
/** Sends in flight at once from the Node user while it fills the mailbox. */
const SEND_CONCURRENCY = 20

// skipped where Debian's Chromium is not installed (.ci/run installs it)
describe.skipIf(!chromiumAvailable())('tabs of one store', () => {
  let relay: TestRelay
  let node: Messenger
  let profile: Profile
  let context: BrowserContext

  beforeAll(async () => {
    const pages = await builtPages()
    relay = await startTestRelay()
    node = await nodeUser(relay)
    profile = newProfile(pages)
    context = await profile.launch()
  }, 120_000)

  afterAll(async () => {
    await profile?.dispose()
    await node?.close()
    await relay?.stop()
  })

  async function tab(name: string, takeOver = false): Promise<{ page: Page; failure: string | undefined }> {
    const page = await openHarness(context, profile)
    const failure = await page.evaluate(
      ([n, t]) => harness.open({ name: n as string, takeOver: t as boolean, connectionPolicy: 'loopback' }),
      [name, takeOver],
    )
    return { page, failure }
  }

  async function texts(page: Page): Promise<string[]> {
    return page.evaluate(async () =>
      (await harness.messenger!.history('node', { limit: 500 })).map((m) => m.text),
    )
  }

  /** A started device on store `name` with the Node user as a contact (and it as the Node user's). */
  async function device(name: string): Promise<Page> {
    const { page, failure } = await tab(name)
    expect(failure).toBeUndefined()
    const invite = await page.evaluate(
      async (relays) => {
        const info = await harness.messenger!.createAccount({ relays })
        await harness.messenger!.start()
        return info.invite
      },
      [relay.ws],
    )
    await page.evaluate((i) => harness.messenger!.addContact(i, { name: 'node' }), node.account().invite)
    await node.addContact(invite, { name })
    return page
  }

  it('refuse a second writer, and hand the store over only when asked', async () => {
    const first = await device('tabs')
    const second = await tab('tabs')
    expect(second.failure).toBe('StoreInUseError')

    // the first tab is unaffected by the refused one
    await node.send('tabs', 'one')
    await waitFor(() =>
      first.evaluate(() => harness.events.some((e) => e.type === 'message' && e.text === 'one')),
    )
    const arrived = nextEvent(node, 'message', (m) => m.text === 'two')
    await first.evaluate(() => harness.messenger!.send('node', 'two'))
    await arrived

    expect(
      await second.page.evaluate(() =>
        harness.open({ name: 'tabs', takeOver: true, connectionPolicy: 'loopback' }),
      ),
    ).toBeUndefined()
    expect(await first.evaluate(() => harness.takenOver)).toBe(true)
    expect(await first.evaluate(() => harness.messenger!.active)).toBe(false)
    expect(
      await first.evaluate(() =>
        harness.messenger!.send('node', 'from the old tab').then(
          () => 'sent',
          (err: Error) => err.name,
        ),
      ),
    ).toBe('TakenOverError')

    const page = second.page
    await page.evaluate(() => harness.messenger!.start())
    await node.send('tabs', 'three')
    await waitFor(() =>
      page.evaluate(() => harness.events.some((e) => e.type === 'message' && e.text === 'three')),
    )
    const back = nextEvent(node, 'message', (m) => m.text === 'four')
    await page.evaluate(() => harness.messenger!.send('node', 'four'))
    await back
    expect(await texts(page)).toEqual(['one', 'two', 'three', 'four'])
    await first.close()
    await page.close()
  }, 60_000)

  it('take the store by force from a writer that does not answer', async () => {
    const { page: stuck, failure } = await tab('tabs')
    expect(failure).toBeUndefined()
    await stuck.evaluate(() => harness.messenger!.start())
    // its start-up work done first, so that what the taker waits for is the lock, not an IndexedDB
    // transaction the stuck tab had open when its main thread stopped
    await waitFor(
      () => stuck.evaluate(() => harness.messenger!.connections().some((c) => c.transport === 'websocket')),
      10_000,
      'the writer to reach its relay',
    )
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    // the writer's main thread is busy far longer than the grace period: it cannot hand over
    let unblocked = false
    const busy = stuck
      .evaluate(() => {
        const end = Date.now() + 8_000
        while (Date.now() < end) {
          // a page that does not answer
        }
      })
      .then(() => {
        unblocked = true
      })

    const taker = await openHarness(context, profile)
    const took = await taker.evaluate(() =>
      harness.open({ name: 'tabs', takeOver: true, takeOverGraceMs: 500, connectionPolicy: 'loopback' }),
    )
    expect(took).toBeUndefined()
    expect(unblocked).toBe(false) // taken while the writer was still stuck: by force
    await busy
    await waitFor(
      () => stuck.evaluate(() => harness.takenOver),
      10_000,
      'the stuck tab to learn it lost the store',
    )
    expect(await stuck.evaluate(() => harness.messenger!.active)).toBe(false)

    await taker.evaluate(() => harness.messenger!.start())
    await node.send('tabs', 'five')
    await waitFor(() =>
      taker.evaluate(() => harness.events.some((e) => e.type === 'message' && e.text === 'five')),
    )
    expect(await texts(taker)).toEqual(['one', 'two', 'three', 'four', 'five'])
    await stuck.close()
    await taker.close()
  }, 60_000)

  it('keep the store consistent when a tab is killed while it writes', async () => {
    const page = await device('crash')
    await page.close()
    const expected = Array.from({ length: BURST }, (_, i) => `burst ${i}`)
    const first = await node.send('crash', expected[0]!)
    expect(first.devices[0]?.status).toBe('stored')
    for (let i = 1; i < BURST; i += SEND_CONCURRENCY) {
      const sends = expected.slice(i, i + SEND_CONCURRENCY).map((text) => node.send('crash', text))
      for (const sent of await Promise.all(sends)) {
        expect(sent.devices[0]?.status).toBe('stored')
      }
    }
    const acksBefore = relay.handle.storageStats().acks

    const { page: victim } = await tab('crash')
    await victim.evaluate(() => harness.messenger!.start())
    // kill the tab as soon as the relay has seen its first acks: the rest is still being fetched,
    // decrypted and written
    await waitFor(() => relay.handle.storageStats().acks > acksBefore, 30_000, 'the first acks', 1)
    const cdp = await context.newCDPSession(victim)
    const crashed = victim.waitForEvent('crash')
    void cdp.send('Page.crash').catch(() => {}) // the renderer dies mid-stream: the call never answers
    await crashed
    expect(relay.handle.storageStats().storedEnvelopes).toBeGreaterThan(0)

    const { page: after, failure } = await tab('crash')
    expect(failure).toBeUndefined()
    await after.evaluate(() => harness.messenger!.start())
    await waitFor(async () => (await texts(after)).length >= BURST, 30_000, 'every message after the crash')
    const got = await texts(after)
    expect([...got].sort()).toEqual([...expected].sort())
    await waitFor(
      () => relay.handle.storageStats().storedEnvelopes === 0,
      30_000,
      'the relay to hold nothing',
    ).catch((err: Error) => {
      // what it still holds, for the report
      throw new Error(`${err.message}: ${JSON.stringify(relay.handle.storageStats())}`)
    })
    await after.close()
  }, 120_000)

  it('detect an evicted store at start-up instead of making a new identity', async () => {
    const page = await device('evicted')
    // what the page can tell about its quota (FAULTS 38: a store near its quota is reported)
    const storage = await page.evaluate(() => harness.messenger!.storage())
    expect(storage.quota).toBeGreaterThan(0)
    expect(storage.usage).toBeGreaterThan(0)
    expect(storage.nearlyFull).toBe(false)
    await page.evaluate(() => harness.messenger!.close())
    // what eviction does: the database is gone; cookies (not quota-managed) are not
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase('level-js-evicted')
          request.onsuccess = () => resolve()
          request.onerror = () => reject(request.error)
        }),
    )
    await page.evaluate(() => localStorage.clear())
    expect(await page.evaluate(() => harness.open({ name: 'evicted', connectionPolicy: 'loopback' }))).toBe(
      'RelinkRequiredError',
    )
    // after a deliberate reset the browser starts afresh
    await page.evaluate(() => harness.ferry.deleteBrowserStore('evicted'))
    expect(
      await page.evaluate(() => harness.open({ name: 'evicted', connectionPolicy: 'loopback' })),
    ).toBeUndefined()
    expect(await page.evaluate(() => harness.messenger!.hasAccount)).toBe(false)
    await page.close()
  })
})
