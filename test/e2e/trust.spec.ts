/**
 * Device lists and identity keys end to end, with real processes on loopback: a `ferry-relay`
 * process, Alice, Bob with two devices (linked with `link new --yes` / `link join`) and Carol, each
 * device its own data directory and daemon, driven through `ferry --json`.
 *
 * - A forged or older device list is rejected: the relay itself refuses to store an older list of
 *   Bob's or a forged one (through its device-list protocol); and a device that asks a rogue relay
 *   (in the test process, serving whatever the test sets) never takes a list Bob's account did not
 *   sign, nor one older than it already has. Carol knows Bob only through an invite naming the rogue
 *   relay, so every list she gets of Bob's comes from it.
 * - An identity change is surfaced: Bob's primary is restored on a new install (same account key, new
 *   device keys, a device list one version newer). Alice's `send` exits 6 and sends nothing, `receive`
 *   shows an identity-changed event, a message from the new install is held, and after
 *   `verify --approve` sending works again and the held message is shown.
 */
import { formatInvite, parseAccountId } from '@ferry/crypto'
import type { Multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestPeer } from './helpers/peer.js'
import { type Forgeries, forgeries, reinstallPrimary, versionOf } from './helpers/records.js'
import { RogueRelay } from './helpers/rogue-relay.js'
import { type Device, EXIT, type Line, World, waitFor } from './helpers/world.js'

const world = new World('trust')
let alice: Device
let bob1: Device
let bob2: Device
let carol: Device
let peer: TestPeer
let rogue: RogueRelay
let relay: Multiaddr[]
let bobKey: Uint8Array
/** Bob's genuine device lists: version 1 (one device), version 2 (two devices). */
let v1: Uint8Array
let v2: Uint8Array
let forged: Forgeries

/** The newest list of Bob's that the relay serves. */
async function bobsListOnTheRelay(): Promise<Uint8Array | undefined> {
  return peer.deviceLists.get(relay, bobKey, { signal: AbortSignal.timeout(10_000) })
}

beforeAll(async () => {
  await world.startRelay()
  relay = world.relay.process.tcpAddrs
  peer = await TestPeer.start()
  world.onCleanup(() => peer.stop())
  rogue = await RogueRelay.start()
  world.onCleanup(() => rogue.stop())
  ;[alice, bob1, carol] = await Promise.all([
    world.account('alice'),
    world.account('bob1'),
    world.account('carol'),
  ])
  bobKey = parseAccountId(bob1.accountId)
  v1 = (await bobsListOnTheRelay())!
  expect(versionOf(v1)).toBe(1)
  bob2 = await world.link(bob1, 'bob2')
  v2 = await waitFor('Bob’s second list on the relay', async () => {
    const list = await bobsListOnTheRelay()
    return list !== undefined && versionOf(list) === 2 ? list : undefined
  })
  forged = await forgeries(v2, 9)
  await Promise.all([
    alice.json(['contacts', 'add', bob1.invite, '--name', 'bob']),
    bob1.json(['contacts', 'add', alice.invite, '--name', 'alice']),
  ])
}, 120_000)

afterAll(async () => {
  await world.close()
}, 60_000)

describe('a forged or older device list', () => {
  it('is refused by the relay, which keeps serving the newest', async () => {
    expect(await peer.deviceLists.put(relay, v1)).toBe('stale')
    for (const [what, list] of Object.entries(forged)) {
      await expect(peer.deviceLists.put(relay, list), what).rejects.toMatchObject({
        name: 'RequestRefusedError',
        status: 'INVALID_RECORD',
      })
    }
    expect(await bobsListOnTheRelay()).toEqual(v2)
  })

  it('is never taken by a device from a rogue relay: no forged list, no downgrade', async () => {
    // Carol knows Bob only through an invite naming the rogue relay
    const invite = formatInvite({ accountKey: bobKey, relays: [rogue.addr] })
    const add = async (serving: Uint8Array): Promise<Line> => {
      rogue.serving = serving
      const asked = rogue.asked
      const contact = await carol.one(['contacts', 'add', invite, '--name', 'bob'])
      expect(rogue.asked, 'Carol asked the rogue relay').toBeGreaterThan(asked)
      return contact
    }

    for (const [what, list] of Object.entries(forged)) {
      expect((await add(list)).devices, `a list ${what}`).toEqual([])
    }
    // the genuine list is taken (the refusals above are not a device refusing everything)
    expect(await add(v2)).toMatchObject({ devices: [1, 2], deviceListVersion: 2 })
    // and from then on neither an older genuine list nor a forged newer one replaces it
    for (const [what, list] of [['the older genuine list', v1] as const, ...Object.entries(forged)]) {
      expect(await add(list), what).toMatchObject({ devices: [1, 2], deviceListVersion: 2 })
    }
    expect(await carol.json(['contacts', 'list'])).toMatchObject([{ devices: [1, 2], deviceListVersion: 2 }])

    // Carol writes to Bob: his two devices get it, and nothing else was a recipient
    const sent = await carol.one(['send', 'bob', 'for your two devices only'])
    expect(sent.devices.map((d: Line) => [d.account, d.device])).toEqual([
      [bob1.accountId, 1],
      [bob1.accountId, 2],
    ])
    await bob1.waitMessage('Carol’s message', (m) => m.id === sent.id)
    await bob2.waitMessage('Carol’s message', (m) => m.id === sent.id)
  }, 120_000)
})

describe('an identity change', () => {
  let bobNew: Device

  it('is surfaced: send exits 6 and sends nothing, receive shows the event, a message from it is held', async () => {
    const before = await alice.one(['send', 'bob', 'before the reinstall'])
    await bob1.waitMessage('the first message', (m) => m.id === before.id)
    await bob2.waitMessage('the first message', (m) => m.id === before.id)

    // Bob's primary comes back on a new install: same account, new keys for device 1, list version 3
    expect(await bob1.stop()).toEqual({ code: 0, signal: null })
    bobNew = world.device('bob1-reinstalled')
    expect(await reinstallPrimary(bob1.dir, bobNew.dir)).toBe(3)
    await bobNew.start()
    bobNew.account = await bobNew.one(['id'])
    expect(bobNew.account).toMatchObject({ accountId: bob1.accountId, deviceId: 1, primary: true })
    expect(bobNew.account.peerId).not.toBe(bob1.account.peerId)
    await waitFor('Bob’s new list on the relay', async () => {
      const list = await bobsListOnTheRelay()
      return list !== undefined && versionOf(list) === 3
    })

    // Alice looks Bob up again and takes the new list (signed by Bob's account: it is valid)
    expect(await alice.one(['contacts', 'add', bob1.invite, '--name', 'bob'])).toMatchObject({
      devices: [1, 2],
      deviceListVersion: 3,
    })
    const refused = await alice.run(['send', 'bob', 'must not be sent to an unverified key'])
    expect(refused.code).toBe(EXIT.UNTRUSTED)
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: 'IdentityChangedError' })
    const events = await alice.events()
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'identity-changed', account: bob1.accountId, device: 1 }),
    )
    // still paused on a second try
    expect((await alice.run(['send', 'bob', 'must not be sent either'])).code).toBe(EXIT.UNTRUSTED)

    // the new install writes to Alice: she holds it rather than show it from an unverified key
    await bobNew.json(['contacts', 'add', alice.invite, '--name', 'alice'])
    const fromNew = await bobNew.one(['send', 'alice', 'hello from my new install'])
    expect(fromNew.devices).toEqual([{ account: alice.accountId, device: 1, status: expect.any(String) }])
    await waitFor('the message from the new install to reach Alice', async () => {
      const status = await bobNew.status(fromNew.id)
      return status.recipients.every((r: Line) => r.status !== 'pending')
    })
    expect((await alice.messages()).some((m) => m.id === fromNew.id)).toBe(false)
  }, 120_000)

  it('pauses sending until verify --approve, then sending works and the held message shows', async () => {
    expect(await alice.one(['verify', 'bob', '--approve'])).toEqual({
      account: bob1.accountId,
      approved: true,
    })
    const sent = await alice.one(['send', 'bob', 'after approving the new key'])
    expect(sent.devices.map((d: Line) => d.device)).toEqual([1, 2])
    const onNew = await bobNew.waitMessage('the message after approval', (m) => m.id === sent.id)
    expect(onNew).toMatchObject({ from: alice.accountId, text: 'after approving the new key' })
    await bob2.waitMessage('the message after approval', (m) => m.id === sent.id)
    // the held message is shown now, once
    const held = await alice.waitMessage('the held message', (m) => m.text === 'hello from my new install')
    expect(held).toMatchObject({ from: bob1.accountId, fromDevice: 1, direction: 'in' })
    // nothing refused before the approval was sent to any of Bob's devices
    for (const device of [bobNew, bob2]) {
      const texts = (await device.messages()).map((m) => m.text)
      expect(texts.filter((t) => t.startsWith('must not be sent'))).toEqual([])
    }
  }, 120_000)
})
