/**
 * The outbox courier as apps see it: `Messenger.drain`, which a short-lived process awaits before it
 * stops so that what it queued (here read receipts, which `markRead` queues without waiting) has had
 * its first delivery attempt.
 */
import { MemoryLevel } from 'memory-level'
import { afterEach, describe, expect, it } from 'vitest'
import { createMessenger, type MessageEvent, type Messenger, NotStartedError } from '../src/index.js'
import { startTestRelay, type TestRelay } from './helpers/relay.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(() => {})
  }
})

async function relay(): Promise<TestRelay> {
  const r = await startTestRelay()
  cleanups.push(() => r.stop())
  return r
}

async function messenger(): Promise<Messenger> {
  const m = await createMessenger({ db: new MemoryLevel() as never, listen: ['/ip4/127.0.0.1/tcp/0'] })
  cleanups.push(() => m.close())
  return m
}

function nextMessage(m: Messenger): Promise<MessageEvent> {
  return new Promise((resolve) => {
    const off = m.on('message', (event) => {
      off()
      resolve(event)
    })
  })
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for a condition')
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Sealed envelopes (kind 0x30) the relay has taken so far. */
function sealedDeposits(r: TestRelay): number {
  return r.deposits().filter((d) => d.kind === 0x30 && d.outcome === 'stored').length
}

describe('drain', () => {
  it('resolves once the read receipts markRead queued are on the relay, so the process may stop; the offline sender gets them later', async () => {
    const r = await relay()
    const alice = await messenger()
    const bob = await messenger()
    await alice.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await alice.start()
    await bob.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    await bob.addContact(alice.account().invite, { name: 'alice' })
    const arrived = nextMessage(bob)
    const sent = await alice.send('bob', 'read me')
    const received = await arrived
    await waitFor(async () => (await alice.status(sent.id))?.recipients[0]?.status === 'delivered')
    expect(await bob.drain()).toBe(true) // the delivery receipt is out
    await alice.stop()

    const before = sealedDeposits(r)
    await bob.markRead([received.id])
    // markRead only queues the receipt: drain is what waits for it to reach a relay (Alice is offline)
    expect(await bob.drain({ signal: AbortSignal.timeout(20_000) })).toBe(true)
    expect(sealedDeposits(r)).toBe(before + 1)
    await bob.close()

    await alice.start()
    await waitFor(async () => (await alice.status(sent.id))?.recipients[0]?.status === 'read')
  })

  it('needs a started messenger, and resolves false when its signal has aborted', async () => {
    const r = await relay()
    const m = await messenger()
    await m.createAccount({ relays: [r.addr] })
    await expect(m.drain()).rejects.toBeInstanceOf(NotStartedError)
    await m.start()
    const aborted = new AbortController()
    aborted.abort()
    expect(await m.drain({ signal: aborted.signal })).toBe(false)
    expect(await m.drain()).toBe(true) // nothing queued
    await m.stop()
    await expect(m.drain()).rejects.toBeInstanceOf(NotStartedError)
  })
})
