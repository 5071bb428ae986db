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

/** A primary with a second device linked to it, both started. */
async function account(r: TestRelay): Promise<[Messenger, Messenger]> {
  const primary = await messenger()
  await primary.createAccount({ relays: [r.addr] })
  await primary.start()
  const second = await messenger()
  const pairing = primary.createPairing()
  const info = await second.linkDevice(pairing.code)
  expect(info.deviceId).toBe(2)
  expect((await pairing.completed).deviceId).toBe(2)
  await second.start()
  return [primary, second]
}

function messages(m: Messenger): MessageEvent[] {
  const seen: MessageEvent[] = []
  m.on('message', (event) => seen.push(event))
  return seen
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for a condition')
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('multi-device', () => {
  it("links devices; an offline contact's two devices both get the message, the sender's other device gets the transcript, the relay ends empty", async () => {
    const r = await relay()
    const [alice1, alice2] = await account(r)
    const [bob1, bob2] = await account(r)
    expect((await alice1.devices()).map((d) => d.deviceId)).toEqual([1, 2])
    await alice1.addContact(bob1.account().invite, { name: 'bob' })
    const contact = await alice1.contact('bob')
    expect(contact.devices).toEqual([1, 2])

    await bob1.stop()
    await bob2.stop()
    const onAlice2 = messages(alice2)
    const sent = await alice1.send('bob', 'hello to both of you')
    expect(sent.devices.map((d) => d.device).sort()).toEqual([1, 2])
    expect(sent.devices.every((d) => d.status === 'stored')).toBe(true)

    await waitFor(() => onAlice2.length === 1)
    expect(onAlice2[0]).toMatchObject({ direction: 'out', text: 'hello to both of you', fromDevice: 1 })

    const onBob1 = messages(bob1)
    const onBob2 = messages(bob2)
    await bob1.start()
    await bob2.start()
    await waitFor(() => onBob1.length === 1 && onBob2.length === 1)
    expect(onBob1[0]!.text).toBe('hello to both of you')
    expect(onBob2[0]!.text).toBe('hello to both of you')
    await waitFor(() => r.storedEnvelopes() === 0)
    // nothing is shown twice
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(onBob1).toHaveLength(1)
    expect(onBob2).toHaveLength(1)
  })

  it('a removed device receives nothing new', async () => {
    const r = await relay()
    const [alice1] = await account(r)
    const [bob1, bob2] = await account(r)
    await alice1.addContact(bob1.account().invite, { name: 'bob' })
    await bob1.addContact(alice1.account().invite, { name: 'alice' })
    await bob1.removeDevice(2)
    expect((await bob1.devices()).map((d) => d.deviceId)).toEqual([1])
    // Alice learns of the new list (Bob announced it to his contacts) before her next message
    await waitFor(async () => (await alice1.contact('bob')).devices.length === 1)
    const onBob2 = messages(bob2)
    const onBob1 = messages(bob1)
    const sent = await alice1.send('bob', 'only for device one')
    expect(sent.devices.map((d) => d.device)).toEqual([1])
    await waitFor(() => onBob1.length === 1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(onBob2).toHaveLength(0)
  })
})
