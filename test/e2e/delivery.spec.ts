/**
 * Multi-device delivery end to end, with real processes on loopback: a `ferry-relay` process, Alice
 * with two devices and Bob with two devices (linked with `link new --yes` / `link join`), each device
 * its own data directory and daemon, everything driven through `ferry --json`.
 *
 * - Bob's devices are both offline while Alice writes: each gets the message when it starts, once.
 * - Alice's other device gets the sync transcript.
 * - The relay holds a copy for each of Bob's devices until that device acked it (Bob's first device
 *   acking leaves the second one's copy), then holds nothing (`ferry_relay_stored_envelopes`).
 * - The relay's files never contain the text (UTF-8, UTF-16, base64), while they demonstrably hold
 *   the deposits and the records devices published.
 * - A removed device receives nothing new, from a contact or as a sync transcript.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseAccountId } from '@ferry/crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Device, type Line, repeatedIds, World, waitFor } from './helpers/world.js'

const world = new World('delivery')
let alice1: Device
let alice2: Device
let bob1: Device
let bob2: Device

beforeAll(async () => {
  await world.startRelay()
  ;[alice1, bob1] = await Promise.all([world.account('alice1'), world.account('bob1')])
  ;[alice2, bob2] = await Promise.all([world.link(alice1, 'alice2'), world.link(bob1, 'bob2')])
  await Promise.all([
    alice1.json(['contacts', 'add', bob1.invite, '--name', 'bob']),
    bob1.json(['contacts', 'add', alice1.invite, '--name', 'alice']),
  ])
}, 120_000)

afterAll(async () => {
  await world.close()
}, 60_000)

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le')
  for (let i = 0; i + 1 < le.length; i += 2) {
    const byte = le[i]!
    le[i] = le[i + 1]!
    le[i + 1] = byte
  }
  return le
}

/** The message with `id` in `events`, exactly once, or a failure naming how often it occurs. */
function once(events: readonly Line[], id: string): Line {
  const found = events.filter((e) => e.type === 'message' && e.id === id)
  expect(found, `message ${id} is stored exactly once`).toHaveLength(1)
  return found[0]!
}

describe('offline delivery to both of Bob’s devices', () => {
  // random and non-repetitive, so that no compression of the relay's store could hide it
  const marker = crypto.randomUUID()
  const text = `meet me at the ferry terminal, pier ${marker} — żółw 🐢`
  let sent: Line

  it('Alice writes while both of Bob’s devices are offline: the relay holds one copy per device', async () => {
    expect(await bob1.stop()).toEqual({ code: 0, signal: null })
    expect(await bob2.stop()).toEqual({ code: 0, signal: null })
    await world.relay.waitStored(0)

    sent = await alice1.one(['send', 'bob', text])
    const status = (account: string, device: number) =>
      sent.devices.find((d: Line) => d.account === account && d.device === device)?.status
    expect(status(bob1.accountId, 1)).toBe('stored')
    expect(status(bob1.accountId, 2)).toBe('stored')
    // two envelopes, each sealed for one of Bob's devices; Alice's own device 2 is online
    await world.relay.waitStored(2)
  })

  it('the relay’s files never hold the text, while they do hold what was deposited and published', () => {
    const files = filesUnder(join(world.root, 'relay'))
    const contents = files.map((file) => readFileSync(file))
    const forms = {
      'UTF-8': Buffer.from(text, 'utf8'),
      'UTF-16LE': Buffer.from(text, 'utf16le'),
      'UTF-16BE': utf16be(text),
      base64: Buffer.from(Buffer.from(text, 'utf8').toString('base64')),
      'its random part': Buffer.from(marker, 'utf8'),
    }
    for (const [form, bytes] of Object.entries(forms)) {
      expect(
        contents.filter((c) => c.includes(bytes)).length,
        `the relay's files hold the text as ${form}`,
      ).toBe(0)
    }
    // the search does see stored records: Bob's device list (its account key) is in the same files
    const bobKey = Buffer.from(parseAccountId(bob1.accountId))
    expect(contents.some((c) => c.includes(bobKey))).toBe(true)
    expect(contents.reduce((n, c) => n + c.length, 0)).toBeGreaterThan(0)
  })

  it('Alice’s other device shows the sync transcript', async () => {
    const transcript = await alice2.waitMessage('the sync transcript', (m) => m.id === sent.id)
    expect(transcript).toMatchObject({
      direction: 'out',
      from: alice1.accountId,
      fromDevice: 1,
      conversation: bob1.accountId,
      text,
    })
    once(await alice2.events(), sent.id)
  })

  it('Bob’s first device gets it when it starts; the relay keeps the second device’s copy', async () => {
    await bob1.start()
    const message = await bob1.waitMessage('Alice’s message', (m) => m.id === sent.id)
    expect(message).toMatchObject({
      direction: 'in',
      from: alice1.accountId,
      fromDevice: 1,
      conversation: alice1.accountId,
      text,
    })
    // device 1 acked its copy; device 2's copy stays until device 2 acks it
    await world.relay.waitStored(1)
    expect(await world.relay.stored()).toBe(1)
  })

  it('Bob’s second device gets it from the relay when it starts; then the relay holds nothing', async () => {
    await bob2.start()
    const message = await bob2.waitMessage('Alice’s message', (m) => m.id === sent.id)
    expect(message).toMatchObject({ direction: 'in', from: alice1.accountId, fromDevice: 1, text })
    await world.relay.waitStored(0)

    // each device shows it once
    for (const device of [bob1, bob2]) {
      const events = await device.events()
      once(events, sent.id)
      expect(repeatedIds(events.filter((e) => e.type === 'message'))).toEqual([])
    }
    // and Bob's primary (where Alice is a contact) tells Alice it has it
    let recipients: Line[] = []
    await waitFor(
      'Alice to see Bob’s first device deliver',
      async () => {
        recipients = (await alice1.status(sent.id)).recipients
        return recipients.some(
          (r) => r.account === bob1.accountId && r.device === 1 && r.status === 'delivered',
        )
      },
      undefined,
      () => recipients,
    )
  }, 90_000)

  // Contacts are not shared between an account's devices: a device looks up a sender's device list
  // on the relays itself (recording it as an unnamed contact) so that its receipt can reach the sender.
  it('Bob’s second device (Alice is a contact on Bob’s primary only) confirms delivery to Alice', async () => {
    let recipients: Line[] = []
    await waitFor(
      'Alice to see Bob’s second device deliver',
      async () => {
        recipients = (await alice1.status(sent.id)).recipients
        return recipients.some(
          (r) => r.account === bob1.accountId && r.device === 2 && r.status === 'delivered',
        )
      },
      5_000,
      () => recipients,
    )
  })
})

describe('a removed device', () => {
  it('receives nothing new: not from a contact, not as a sync transcript', async () => {
    // bring Bob's second device's cursor up to date: only what comes after the removal counts
    await bob2.json(['receive', '--subscriber', 'removed'])

    expect(await bob1.one(['devices', 'remove', '2'])).toEqual({ removed: 2 })
    // Bob's primary announces the new list to its contacts: Alice learns device 2 is gone
    const contact = await waitFor('Alice to learn Bob’s new device list', async () => {
      const [bob] = await alice1.json(['contacts', 'list'])
      return bob?.devices?.length === 1 ? bob : undefined
    })
    expect(contact.devices).toEqual([1])

    const sent = await alice1.one(['send', 'bob', 'after the removal'])
    expect(sent.devices.filter((d: Line) => d.account === bob1.accountId).map((d: Line) => d.device)).toEqual(
      [1],
    )
    await bob1.waitMessage('the message after the removal', (m) => m.id === sent.id)
    // Bob's primary writes too: its sync transcript must not go to the removed device either
    const reply = await bob1.one(['send', 'alice', 'a reply after the removal'])
    expect(reply.devices.some((d: Line) => d.account === bob1.accountId && d.device === 2)).toBe(false)
    await alice1.waitMessage('Bob’s reply', (m) => m.id === reply.id)
    // nothing is waiting anywhere, the removed device's mailbox included
    await world.relay.waitStored(0)

    const after = await bob2.json(['receive', '--subscriber', 'removed'])
    expect(after.filter((e) => e.type === 'message')).toEqual([])
    const all = await bob2.messages()
    expect(all.some((m) => m.id === sent.id || m.id === reply.id)).toBe(false)
  })
})
