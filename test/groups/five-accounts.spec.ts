/**
 * A group of five accounts with real processes on loopback: a `ferry-relay` process and Alice (two
 * linked devices), Bob, Carol, Dave and Erin, each device its own data directory and `ferry daemon`,
 * everything driven through `ferry --json`. What the relay did is read off its Prometheus metrics.
 *
 * - Everyone online: the message reaches every member device over the group's gossip topic (member
 *   devices reach each other through the relay's circuits, so the relay forwards the bytes) and every
 *   device confirms it at once; the relay hands out no group envelope meanwhile
 *   (`ferry_relay_fetched_envelopes_total{payload="group"}`).
 * - Two members offline: the relay stores the group envelope once for both of their mailboxes; each
 *   shows it once when it comes back, and the relay ends empty.
 *
 * The rules that need forged input (a non-admin's membership change, a sender device whose key has
 * not arrived, a removed member opening a captured envelope) are in packages/client/test/groups.spec.ts,
 * which builds those inputs; test/groups/cli.spec.ts has the commands' refusals and removal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Device, type Line, World, waitFor } from '../e2e/helpers/world.js'

const world = new World('group-five')
let alice1: Device
let alice2: Device
let bob: Device
let carol: Device
let dave: Device
let erin: Device
let members: Device[]
let groupId: string

/** The group's messages this device has stored with `id`. */
async function copies(device: Device, id: string): Promise<Line[]> {
  return (await device.messages()).filter((m) => m.id === id)
}

/** Group envelopes the relay has handed to fetching devices so far. */
function groupEnvelopesFetched(): Promise<number> {
  return world.relay.metric('ferry_relay_fetched_envelopes_total', 'payload="group"')
}

async function waitShownOnce(device: Device, id: string): Promise<Line> {
  await waitFor(`${device.name} to show ${id}`, async () => (await copies(device, id)).length > 0)
  const shown = await copies(device, id)
  expect(shown, `${device.name} shows ${id} once`).toHaveLength(1)
  return shown[0]!
}

beforeAll(async () => {
  await world.startRelay()
  ;[alice1, bob, carol, dave, erin] = await Promise.all([
    world.account('alice1'),
    world.account('bob'),
    world.account('carol'),
    world.account('dave'),
    world.account('erin'),
  ])
  alice2 = await world.link(alice1, 'alice2')
  for (const [name, contact] of Object.entries({ bob, carol, dave, erin })) {
    await alice1.json(['contacts', 'add', contact.invite, '--name', name])
  }
  members = [alice2, bob, carol, dave, erin]
  const group = await alice1.one(['group', 'create', 'five', 'bob', 'carol', 'dave', 'erin'])
  groupId = group.id
  for (const device of members) {
    await waitFor(`${device.name} to apply the group`, async () => {
      const info = await device.run(['group', 'info', groupId])
      return info.code === 0 && (JSON.parse(info.stdout) as Line).revision === 1
    })
  }
}, 180_000)

afterAll(async () => {
  await world.close()
}, 60_000)

describe('a group of five accounts, one with two devices, as real processes', () => {
  it('everyone online gets it over gossipsub without any relay fetch, confirmed by every device at once', async () => {
    await waitFor(
      "alice1's gossip mesh to reach every member device",
      async () => (await alice1.one(['group', 'info', groupId])).online === members.length,
    )
    await world.relay.waitStored(0)
    const fetchedBefore = await groupEnvelopesFetched()
    const sent = await alice1.one(['group', 'send', groupId, 'hello, five'])
    expect(sent.receipts).toMatchObject({ total: members.length, delivered: members.length, pending: 0 })
    for (const device of members) {
      const shown = await waitShownOnce(device, sent.id)
      expect(shown).toMatchObject({ group: groupId, text: 'hello, five', from: alice1.accountId })
    }
    // pairwise envelopes (receipts to devices not connected at the moment) may go through the relay;
    // no group envelope did
    expect(await groupEnvelopesFetched()).toBe(fetchedBefore)
  }, 120_000)

  it('two members offline: stored once on the relay for both mailboxes, shown once by each on return', async () => {
    await Promise.all([dave.stop(), erin.stop()])
    const sent = await alice1.one(['group', 'send', groupId, 'while you were away'])
    expect(sent.receipts).toMatchObject({ total: members.length, pending: 0 })
    expect(sent.receipts.delivered + sent.receipts.stored).toBe(members.length)
    expect(sent.receipts.stored).toBe(2)
    const offline = sent.devices.filter(
      (d: Line) => d.account === dave.accountId || d.account === erin.accountId,
    )
    expect(offline.map((d: Line) => d.status)).toEqual(['stored', 'stored'])
    // one payload held, listed in both offline devices' mailboxes
    await world.relay.waitStored(1)
    expect(await world.relay.metric('ferry_relay_mailboxes')).toBe(2)

    await dave.start()
    expect(await waitShownOnce(dave, sent.id)).toMatchObject({ text: 'while you were away' })
    // Erin's copy is still held: Dave's ack removed only his own
    await waitFor(
      "the relay to drop dave's copy",
      async () => (await world.relay.metric('ferry_relay_mailboxes')) === 1,
    )
    expect(await world.relay.stored()).toBe(1)
    await erin.start()
    expect(await waitShownOnce(erin, sent.id)).toMatchObject({ text: 'while you were away' })
    await world.relay.waitStored(0)
    // the one stored copy went out twice, once to each mailbox
    expect(await groupEnvelopesFetched()).toBeGreaterThanOrEqual(2)
    for (const device of [alice2, bob, carol]) {
      await waitShownOnce(device, sent.id)
    }
    await waitFor('alice1 to count every member device as delivered', async () => {
      const { recipients } = await alice1.one(['status', sent.id])
      return (
        recipients.length === members.length &&
        (recipients as Line[]).every((d) => d.status === 'delivered' || d.status === 'read')
      )
    })
  }, 120_000)
})
