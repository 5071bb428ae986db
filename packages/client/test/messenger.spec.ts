import { MAX_RECEIPT_IDS } from '@ferry/wire'
import { MemoryLevel } from 'memory-level'
import { afterEach, describe, expect, it } from 'vitest'
import { createMessenger, type MessageEvent, type Messenger } from '../src/index.js'
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

describe('messenger', () => {
  it('delivers to a contact that was offline, through its relay', async () => {
    const r = await relay()
    const alice = await messenger()
    const bob = await messenger()
    await alice.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await bob.start() // publishes its device list and pre-keys
    await new Promise((resolve) => setTimeout(resolve, 500))
    await bob.stop()

    await alice.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    const sent = await alice.send('bob', 'hello while you were away')
    expect(sent.devices).toHaveLength(1)
    expect(sent.devices[0]!.status).toBe('stored')

    const arrived = nextMessage(bob)
    await bob.start()
    const event = await arrived
    expect(event.text).toBe('hello while you were away')
    expect(event.from).toBe(alice.account().accountId)
    // the relay deletes the envelope once the only recipient device acked it
    await waitFor(() => r.storedEnvelopes() === 0)
    const [stored] = await bob.history(alice.account().accountId)
    expect(stored?.text).toBe('hello while you were away')
  })

  it('delivers directly to an online contact, and the delivery receipt comes back', async () => {
    const r = await relay()
    const alice = await messenger()
    const bob = await messenger()
    await alice.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await bob.start()
    await alice.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    await bob.addContact(alice.account().invite, { name: 'alice' })
    const arrived = nextMessage(bob)
    const sent = await alice.send('bob', 'hi bob')
    expect(['stored', 'delivered']).toContain(sent.devices[0]!.status)
    expect((await arrived).text).toBe('hi bob')
    await waitFor(async () => (await alice.status(sent.id))?.recipients[0]?.status === 'delivered')
    // and the other way
    const back = nextMessage(alice)
    await bob.send('alice', 'hi alice')
    expect((await back).text).toBe('hi alice')
  })

  it("stores each sender's messages from the relay in its order, a sender that is not a contact yet too (FAULTS 29)", async () => {
    const r = await relay()
    const alice = await messenger()
    const bob = await messenger()
    const carol = await messenger()
    await alice.createAccount({ relays: [r.addr] })
    await carol.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await bob.start()
    await new Promise((resolve) => setTimeout(resolve, 500))
    await bob.stop()
    // Bob knows Carol, not Alice: Alice's first message makes him look her device list up on the relay
    await bob.addContact(carol.account().invite, { name: 'carol' })
    await alice.start()
    await carol.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    await carol.addContact(bobInfo.invite, { name: 'bob' })
    const sent = { alice: [] as string[], carol: [] as string[] }
    for (let i = 0; i < 8; i++) {
      for (const [name, from] of [
        ['alice', alice],
        ['carol', carol],
      ] as const) {
        const text = `${name} ${i}`
        await from.send('bob', text)
        sent[name].push(text)
      }
    }
    await bob.start()
    const textsFrom = async (who: Messenger) =>
      (await bob.history(who.account().accountId, { limit: 100 })).map((m) => m.text)
    await waitFor(async () => (await textsFrom(alice)).length + (await textsFrom(carol)).length === 16)
    expect(await textsFrom(alice)).toEqual(sent.alice)
    expect(await textsFrom(carol)).toEqual(sent.carol)
  })
})

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for a condition')
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('sending to a new contact', () => {
  it('sets up one session however many sends race, using up one one-time pre-key', async () => {
    const r = await relay()
    const alice = await messenger()
    const bob = await messenger()
    await alice.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await bob.start()
    await alice.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    const bobKey = (await import('@ferry/crypto')).parseAccountId(bobInfo.accountId)
    const before = await r.oneTimePreKeys(bobKey, 1)
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => alice.send('bob', `race ${i}`)))
    expect(results.every((s) => s.devices.length === 1)).toBe(true)
    expect(await r.oneTimePreKeys(bobKey, 1)).toBe(before - 1)
  })
})

describe('read receipts', () => {
  it('marking more messages read than one receipt may name sends several receipts, and every one is read', async () => {
    const r = await relay()
    const alice = await messenger()
    const bob = await messenger()
    await alice.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await bob.start()
    await alice.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    const count = MAX_RECEIPT_IDS + 20
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      ids.push((await alice.send('bob', `m${i}`)).id)
    }
    const from = alice.account().accountId
    await waitFor(async () => (await bob.history(from, { limit: count })).length === count, 30_000)
    await bob.markRead(ids)
    const read = async () => {
      let n = 0
      for (const id of ids) {
        n += (await alice.status(id))?.recipients[0]?.status === 'read' ? 1 : 0
      }
      return n
    }
    await waitFor(async () => (await read()) === count, 30_000)
  }, 90_000)
})
