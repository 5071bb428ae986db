/**
 * Delivery receipts are owed with the message and sealed later for every message owed to a device
 * (`receiptDelayMs`, RECEIPT_COALESCE_MS by default): one receipt for a burst, nothing lost across a stop, and `drain` seals what
 * is owed at once. Alice stays offline while Bob receives, so every receipt Bob makes is a deposit in
 * Alice's mailbox on the relay, where it can be counted.
 */
import { MemoryLevel } from 'memory-level'
import { afterEach, describe, expect, it } from 'vitest'
import { createMessenger, type Messenger } from '../src/index.js'
import { startTestRelay, type TestRelay } from './helpers/relay.js'
import { pause, waitFor } from './helpers/world.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(() => {})
  }
})

/** Bob's coalescing delay in these tests: long enough that each step below happens within it. */
const BOB_RECEIPT_DELAY_MS = 2_000

/**
 * Alice and Bob, contacts of each other, with `messages` sent by Alice while Bob was offline (stored
 * on the relay), then Alice offline too. Bob is not started; his receipts wait BOB_RECEIPT_DELAY_MS.
 */
async function offlineExchange(messages: number): Promise<{
  relay: TestRelay
  alice: Messenger
  bob: Messenger
  sent: string[]
}> {
  const relay = await startTestRelay()
  cleanups.push(() => relay.stop())
  const open = async (receiptDelayMs?: number) => {
    const m = await createMessenger({
      db: new MemoryLevel() as never,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      ...(receiptDelayMs === undefined ? {} : { receiptDelayMs }),
    })
    cleanups.push(() => m.close())
    return m
  }
  const alice = await open()
  const bob = await open(BOB_RECEIPT_DELAY_MS)
  await alice.createAccount({ relays: [relay.addr] })
  const bobInfo = await bob.createAccount({ relays: [relay.addr] })
  // both publish their device lists and pre-keys, then know each other
  await Promise.all([alice.start(), bob.start()])
  await alice.addContact(bobInfo.invite, { name: 'bob' })
  await bob.addContact(alice.account().invite, { name: 'alice' })
  await bob.stop()
  const sent: string[] = []
  for (let i = 0; i < messages; i++) {
    sent.push((await alice.send('bob', `message ${i}`)).id)
  }
  await alice.stop()
  return { relay, alice, bob, sent }
}

/** Sealed envelopes deposited on the relay from `from` on (Bob's receipts, with Alice offline). */
const sealedDeposits = (relay: TestRelay, from: number) =>
  relay
    .deposits()
    .slice(from)
    .filter((d) => d.kind === 0x30 && d.outcome === 'stored').length

describe('delivery receipts, owed and coalesced', () => {
  it('messages that arrive apart within the coalescing delay are acknowledged by one receipt', async () => {
    const { relay, alice, bob, sent } = await offlineExchange(1)
    const history = async () => (await bob.history(alice.account().accountId)).length
    await bob.start()
    await waitFor(async () => (await history()) === 1)
    // three more, each stored in its own batch on Bob's side, all within his delay
    await alice.start()
    for (let i = 0; i < 3; i++) {
      sent.push((await alice.send('bob', `later ${i}`)).id)
      await waitFor(async () => (await history()) === 2 + i)
    }
    await alice.stop()
    // from here on only Bob deposits: his receipts, Alice being offline
    const before = relay.deposits().length
    await waitFor(() => sealedDeposits(relay, before) >= 1, BOB_RECEIPT_DELAY_MS * 3)
    await pause(500)
    // a receipt per batch would be four
    expect(sealedDeposits(relay, before)).toBe(1)
    await alice.start()
    for (const id of sent) {
      await waitFor(async () => (await alice.status(id))?.recipients[0]?.status === 'delivered')
    }
  })

  it('a receipt still owed when the recipient stops is sealed when it starts again', async () => {
    const { relay, alice, bob, sent } = await offlineExchange(1)
    const before = relay.deposits().length
    const arrived = new Promise<void>((resolve) => {
      const off = bob.on('message', () => {
        off()
        resolve()
      })
    })
    await bob.start()
    await arrived
    // stopped before the coalescing delay: the receipt is owed on disk, not sealed
    await bob.stop()
    expect(sealedDeposits(relay, before)).toBe(0)
    await bob.start()
    await waitFor(() => sealedDeposits(relay, before) === 1)
    await alice.start()
    await waitFor(async () => (await alice.status(sent[0]!))?.recipients[0]?.status === 'delivered')
  })

  it('drain seals what is owed at once and hands it to the relay', async () => {
    const { relay, bob } = await offlineExchange(2)
    const before = relay.deposits().length
    const arrived = new Promise<void>((resolve) => {
      let count = 0
      const off = bob.on('message', () => {
        if (++count === 2) {
          off()
          resolve()
        }
      })
    })
    await bob.start()
    await arrived
    const started = Date.now()
    expect(await bob.drain()).toBe(true)
    expect(sealedDeposits(relay, before)).toBe(1)
    expect(Date.now() - started).toBeLessThan(BOB_RECEIPT_DELAY_MS)
  })
})
