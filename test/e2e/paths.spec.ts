/**
 * Delivery paths and crashes end to end, with real processes on loopback: a `ferry-relay` process
 * reached only through two fault proxies (Alice's and Bob's: each account names its own proxy as its
 * relay, and the relay announces an address nobody listens on, so no device learns a way around its
 * proxy), Alice and Bob each with a `ferry` daemon, driven through `ferry --json`. A peer in the test process speaks the wire protocols to them.
 *
 * - A message arriving both directly and via the relay is shown once. The sender's courier sends the
 *   same sealed bytes on both paths (a direct attempt, then after a timeout a deposit), but which path
 *   wins is a race that cannot be timed from outside. So the test takes the envelope Alice's daemon
 *   deposited for Bob out of the relay (with Bob's own mailbox key, unacknowledged) and hands exactly
 *   those bytes to Bob's running daemon on both paths in a fixed order: directly first while no
 *   device can reach the relay (so the relay copy is certainly still waiting), then the relay copy
 *   when the links are back; and relay first, then directly (the courier's retry, same envelope ID), then
 *   both at once under new envelope IDs (so Bob must recognise the message itself, not only the
 *   envelope).
 * - The recipient killed after receiving but before acking: Bob's proxy holds everything Bob sends
 *   (his acks) while the relay's push still reaches him; once Bob has stored the message and the
 *   relay has pushed it, Bob is killed with SIGKILL. The relay still holds it; the restarted daemon
 *   gets it again, acks it, and shows it once.
 * - A device starts while its relay is unreachable, and serves what it stored.
 * - The sender killed mid-send: with Bob offline and the relay unreachable, `send` commits the
 *   message to Alice's outbox and waits; her daemon is killed with SIGKILL; restarted with the relay
 *   back, it deposits from the outbox and Bob gets the message.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FerryProcess } from '../cli/helpers/ferry.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { type MailboxKey, newEnvelopeId, readMailboxKeys, TestPeer } from './helpers/peer.js'
import { type Device, freePort, hiddenRelayArgs, type Line, World, waitFor } from './helpers/world.js'

const world = new World('paths')
let proxyA: FaultProxy
let proxyB: FaultProxy
let alice: Device
let bob: Device
let peer: TestPeer
/** Bob's mailbox on the relay (his own key, read from his store). */
let bobMailbox: MailboxKey
/** Bob's daemon listens here, so the test peer can reach it directly. */
let bobDirect: string
/** The relay's listening port (devices reach it only through the proxies). */
let relayPort: number

beforeAll(async () => {
  proxyA = await FaultProxy.start()
  proxyB = await FaultProxy.start()
  world.onCleanup(() => proxyA.close())
  world.onCleanup(() => proxyB.close())
  relayPort = await freePort()
  // the relay announces an address nobody listens on: a device that dials the relay by its PeerId
  // (libp2p's own services do) must not find a way around its proxy, nor through the other device's
  await world.startRelay(hiddenRelayArgs(relayPort))
  proxyA.setTarget(relayPort)
  proxyB.setTarget(relayPort)
  const via = (proxy: FaultProxy) => `${proxy.multiaddr}/p2p/${world.relay.peerId}`
  const bobPort = await freePort()
  ;[alice, bob] = await Promise.all([
    world.account('alice', [via(proxyA)]),
    world.account('bob', [via(proxyB)], `/ip4/127.0.0.1/tcp/${bobPort}`),
  ])
  await Promise.all([
    alice.json(['contacts', 'add', bob.invite, '--name', 'bob']),
    bob.json(['contacts', 'add', alice.invite, '--name', 'alice']),
  ])
  bobDirect = `/ip4/127.0.0.1/tcp/${bobPort}/p2p/${bob.account.peerId}`
  peer = await TestPeer.start()
  world.onCleanup(() => peer.stop())
  await bob.stop()
  const mailboxes = await readMailboxKeys(bob.dir)
  expect(mailboxes).toHaveLength(1)
  bobMailbox = mailboxes[0]!
  await bob.start()
}, 120_000)

afterAll(async () => {
  await world.close()
}, 60_000)

/** A mailbox reached at the relay's own address, which only the test peer knows (no proxy between). */
function atTheRelay(mailbox: MailboxKey): MailboxKey {
  return { ...mailbox, relay: [multiaddr(`/ip4/127.0.0.1/tcp/${relayPort}/p2p/${world.relay.peerId}`)] }
}

/** Bob's stored events hold message `id` exactly once (and no message twice). */
async function shownOnce(device: Device, id: string): Promise<void> {
  const messages = await device.messages()
  expect(messages.filter((m) => m.id === id)).toHaveLength(1)
  expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length)
}

/** Bob offline, Alice sends: returns what `send` printed, once the relay holds the deposit for Bob. */
async function depositWhileBobIsOffline(text: string): Promise<Line> {
  expect(await bob.stop()).toEqual({ code: 0, signal: null })
  await world.relay.waitStored(0)
  const sent = await alice.one(['send', 'bob', text])
  expect(sent.devices).toEqual([{ account: bob.accountId, device: 1, status: 'stored' }])
  await world.relay.waitStored(1)
  return sent
}

describe('a message arriving directly and via the relay', () => {
  it('directly first (both cut off from the relay), then the relay copy: shown once, the relay copy acked', async () => {
    await world.relay.waitStored(0)
    // Bob's daemon runs, but his link to the relay is cut: Alice's courier cannot reach him through
    // the relay's circuit and deposits the message for him
    proxyB.cut()
    let sent: Line
    let fetchedBefore: number
    try {
      sent = await alice.one(['send', 'bob', 'first directly, then from the relay'])
      expect(sent.devices).toEqual([{ account: bob.accountId, device: 1, status: 'stored' }])
      await world.relay.waitStored(1)
      // Alice is cut off too: from here no device can reach the relay (Bob would otherwise reach it
      // through Alice's side, on his way to send her a receipt)
      proxyA.cut()
      // that deposit, as Alice's daemon sealed it
      const held = await peer.peek(atTheRelay(bobMailbox))
      expect(held).toHaveLength(1)
      // the direct path: the same envelope (same ID, same bytes) straight to Bob's daemon
      await peer.deliver(bobDirect, held[0]!) // resolves once Bob's daemon stored it
      const shown = await bob.waitMessage('the directly delivered message', (m) => m.id === sent.id)
      expect(shown).toMatchObject({ from: alice.accountId, text: 'first directly, then from the relay' })
      // the relay copy is still waiting: what Bob shows came directly
      expect(await world.relay.stored()).toBe(1)
      fetchedBefore = await world.relay.metric('ferry_relay_fetched_envelopes_total')
    } finally {
      proxyA.restore()
      proxyB.restore()
    }

    // Bob's mailbox session reconnects: the relay hands him the same envelope, he acks it
    await world.relay.waitStored(0, 60_000)
    expect(await world.relay.metric('ferry_relay_fetched_envelopes_total')).toBeGreaterThan(fetchedBefore)
    await shownOnce(bob, sent.id)
  }, 120_000)

  it('from the relay first, then directly, then on both paths at once: shown once', async () => {
    const sent = await depositWhileBobIsOffline('first from the relay, then directly')
    const [envelope] = await peer.peek(bobMailbox)
    await bob.start()
    await bob.waitMessage('the message from the relay', (m) => m.id === sent.id)
    await world.relay.waitStored(0)

    // the courier's retry after a lost ack: the same envelope directly; Bob acks it again
    await peer.deliver(bobDirect, envelope!)
    // the same sealed message under new envelope IDs, directly and through the relay at once
    const [, deposit] = await Promise.all([
      peer.deliver(bobDirect, { envelopeId: newEnvelopeId(), payload: envelope!.payload }),
      peer.deposit(bobMailbox, { envelopeId: newEnvelopeId(), payload: envelope!.payload }),
    ])
    expect(deposit).toBe('stored')
    // Bob fetched the relay copy and acked it
    await world.relay.waitStored(0)
    await shownOnce(bob, sent.id)
  }, 120_000)
})

describe('the recipient killed after receiving, before acking', () => {
  it('gets the message again from the relay after a restart, and shows it once', async () => {
    await world.relay.waitStored(0)
    const acksBefore = await world.relay.metric('ferry_relay_acks_total')
    const fetchedBefore = await world.relay.metric('ferry_relay_fetched_envelopes_total')

    // everything Bob sends is held back (his acks); what the relay pushes still reaches him
    proxyB.hold()
    const sent = await alice.one(['send', 'bob', 'received, never acknowledged'])
    expect(sent.devices).toEqual([{ account: bob.accountId, device: 1, status: 'stored' }])
    await bob.waitMessage('the message', (m) => m.id === sent.id)
    await waitFor('the relay to push the envelope to Bob', async () => {
      return (await world.relay.metric('ferry_relay_fetched_envelopes_total')) > fetchedBefore
    })
    expect(await world.relay.metric('ferry_relay_acks_total')).toBe(acksBefore)

    // killed now: Bob stored it, the relay has no ack
    expect(await bob.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' })
    proxyB.restore()
    expect(await world.relay.stored()).toBe(1)
    expect(await world.relay.metric('ferry_relay_acks_total')).toBe(acksBefore)

    const pushedFirst = await world.relay.metric('ferry_relay_fetched_envelopes_total')
    await bob.start()
    await world.relay.waitStored(0)
    // handed over again, and acked this time
    expect(await world.relay.metric('ferry_relay_fetched_envelopes_total')).toBeGreaterThan(pushedFirst)
    expect(await world.relay.metric('ferry_relay_acks_total')).toBeGreaterThan(acksBefore)
    await shownOnce(bob, sent.id)
    const history = await bob.json(['history', 'alice'])
    expect(history.filter((m) => m.id === sent.id)).toHaveLength(1)
  }, 120_000)
})

describe('the sender killed mid-send', () => {
  it('resumes from its outbox after a restart: the message reaches Bob', async () => {
    expect(await bob.stop()).toEqual({ code: 0, signal: null })
    await world.relay.waitStored(0)
    // the relay is unreachable for everyone
    proxyA.cut()
    proxyB.cut()
    const text = 'committed to the outbox before the crash'
    const sending = new FerryProcess(['--data', alice.dir, '--json', 'send', 'bob', text])
    world.track(sending)
    let message: Line | undefined
    try {
      // send waits for Bob's device to be covered; the message is in Alice's outbox already
      message = await waitFor('the message in Alice’s history', async () =>
        (await alice.json(['history', 'bob'])).find((m) => m.text === text),
      )
      expect(message.recipients).toEqual([{ account: bob.accountId, device: 1, status: 'pending' }])
      expect(sending.running).toBe(true)

      expect(await alice.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' })
      // the command loses its daemon: a failure in one line, not a success
      const exit = await sending.stop('SIGTERM', 20_000)
      expect(exit.code).toBe(1)
      expect(sending.stderr.trimEnd().split('\n')).toHaveLength(1)
    } finally {
      proxyA.restore()
      proxyB.restore()
    }

    await alice.start()
    await world.relay.waitStored(1)
    const status = await alice.status(message.id)
    expect(status.recipients).toEqual([{ account: bob.accountId, device: 1, status: 'stored' }])

    await bob.start()
    const shown = await bob.waitMessage('the message', (m) => m.id === message!.id)
    expect(shown).toMatchObject({ from: alice.accountId, text })
    await world.relay.waitStored(0)
    await shownOnce(bob, message.id)
  }, 120_000)
})

// A relay outage must not keep a device from starting and showing what it already stored.
describe('a device whose relay is unreachable', () => {
  it('starts its daemon and serves what it stored', async () => {
    await bob.stop()
    proxyB.cut()
    try {
      await bob.start()
      expect((await bob.messages()).length).toBeGreaterThan(0)
    } finally {
      proxyB.restore()
    }
  }, 60_000)
})
