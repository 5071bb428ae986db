/**
 * FAULTS 31: clocks skewed by ±48 hours on any party. Alice's first device runs 48 hours ahead, her
 * second device and Bob's 48 hours behind, the relay on the real clock. Linking, delivery (through
 * the relay while Bob is offline, and directly), the relay's fetch authentication, receipts and sync
 * transcripts are unaffected; the relay measures each envelope's TTL on its own clock; and every
 * device lists a conversation in the order things happened to it, not by the senders' clocks.
 */
import { MemoryLevel } from 'memory-level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEPOSIT_TTL_MS } from '../src/constants.js'
import { createMessenger, type Messenger } from '../src/index.js'
import { startTestRelay, type TestRelay } from './helpers/relay.js'
import { waitFor } from './helpers/world.js'

const HOURS_48 = 48 * 60 * 60 * 1000

async function skewed(skewMs: number, cleanups: Array<() => Promise<void>>): Promise<Messenger> {
  const messenger = await createMessenger({
    db: new MemoryLevel() as never,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    now: () => Date.now() + skewMs,
  })
  cleanups.push(() => messenger.close())
  return messenger
}

async function texts(messenger: Messenger, who: string): Promise<string[]> {
  return (await messenger.history(who)).map((m) => m.text)
}

describe('FAULTS 31: clocks skewed by ±48 h', () => {
  const cleanups: Array<() => Promise<void>> = []
  let relay: TestRelay
  let alice1: Messenger
  let alice2: Messenger
  let bob: Messenger

  beforeAll(async () => {
    relay = await startTestRelay()
    cleanups.push(() => relay.stop())
    alice1 = await skewed(HOURS_48, cleanups)
    await alice1.createAccount({ relays: [relay.addr] })
    await alice1.start()
    // a pairing made 48 hours ahead and taken up 48 hours behind
    alice2 = await skewed(-HOURS_48, cleanups)
    const pairing = alice1.createPairing()
    await alice2.linkDevice(pairing.code)
    await pairing.completed
    await alice2.start()
    bob = await skewed(-HOURS_48, cleanups)
    await bob.createAccount({ relays: [relay.addr] })
    await bob.start()
    await alice1.addContact(bob.account().invite, { name: 'bob' })
    await bob.addContact(alice1.account().invite, { name: 'alice' })
  }, 60_000)

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => {})
    }
  })

  it("Bob offline: the relay holds Alice's messages for a TTL on its own clock; Bob gets each once, in order", async () => {
    await bob.stop()
    const before = relay.deposits().length
    const startedAt = Date.now()
    const sent = []
    for (const text of ['one', 'two', 'three']) {
      sent.push(await alice1.send('bob', text))
    }
    const endedAt = Date.now()
    for (const result of sent) {
      expect(result.devices.map((d) => d.status)).toEqual(['stored'])
    }
    const deposits = relay
      .deposits()
      .slice(before)
      .filter((d) => d.outcome === 'stored')
    expect(deposits.length).toBeGreaterThanOrEqual(3)
    for (const deposit of deposits) {
      // neither Alice's clock (+48 h) nor Bob's (-48 h): the relay's own
      expect(deposit.expiresAt).toBeGreaterThanOrEqual(startedAt + DEPOSIT_TTL_MS)
      expect(deposit.expiresAt).toBeLessThanOrEqual(endedAt + DEPOSIT_TTL_MS)
    }

    // Bob's fetch proves his mailbox to the relay with a clock 96 hours behind Alice's
    await bob.start()
    await waitFor(async () => (await texts(bob, 'alice')).length === 3)
    expect(await texts(bob, 'alice')).toEqual(['one', 'two', 'three'])
    await waitFor(() => relay.storedEnvelopes() === 0)
    // the sync transcripts reached Alice's other device too
    const bobId = bob.account().accountId
    await waitFor(async () => (await texts(alice2, bobId)).length === 3)
    expect(await texts(alice2, bobId)).toEqual(['one', 'two', 'three'])
    // delivery receipts from a device 96 hours behind
    for (const result of sent) {
      await waitFor(async () => (await alice1.status(result.id))?.recipients[0]?.status === 'delivered')
    }
  }, 60_000)

  it('both online: a reply from 96 hours behind is listed after what it answers, on every device', async () => {
    const covered = (result: { devices: ReadonlyArray<{ status: string }> }) =>
      result.devices.length > 0 &&
      result.devices.every((d) => d.status === 'delivered' || d.status === 'stored')
    // to both of Alice's devices (one ahead, one behind)
    const reply = await bob.send('alice', 'four, from the past')
    expect(reply.devices).toHaveLength(2)
    expect(covered(reply)).toBe(true)
    const forward = await alice1.send('bob', 'five, from the future')
    expect(covered(forward)).toBe(true)
    await waitFor(async () => (await alice1.status(forward.id))?.recipients[0]?.status === 'delivered')
    const expected = ['one', 'two', 'three', 'four, from the past', 'five, from the future']
    for (const [messenger, who] of [
      [alice1, 'bob'],
      [alice2, bob.account().accountId],
      [bob, 'alice'],
    ] as const) {
      await waitFor(async () => (await texts(messenger, who)).length === expected.length)
      expect(await texts(messenger, who)).toEqual(expected)
    }
    // the reply carries Bob's clock, 96 hours before the messages it follows: shown, not reordered
    const shown = (await alice1.history('bob')).find((m) => m.text === 'four, from the past')
    expect(shown?.sentAt).toBeLessThan(Date.now() - HOURS_48 + 60_000)
    expect(shown?.receivedAt).toBeGreaterThan(Date.now() + HOURS_48 - 60_000)
  }, 60_000)
})
