/**
 * Network faults end to end, with real processes on loopback (FAULTS.md "Network"):
 *
 * - FAULTS 29: the recipient is offline while its relay restarts twice; everything two senders sent
 *   before, between and after the restarts arrives once, in each sender's order.
 * - FAULTS 36: a group message fans out to devices on two relays while one of the relays is down: the
 *   device on the other relay is covered at once, the one on the stopped relay stays pending until
 *   its relay is back, is then covered by the sender's outbox retrying, and gets the message once.
 *
 * Each relay listens on a fixed port so it comes back where the devices know it.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayProcess } from '../relay/helpers/relay-process.js'
import { type Device, E2eRelay, freePort, type Line, World, waitFor } from './helpers/world.js'

/** `ferry` exit code when not every recipient device is covered yet (node/README.md "Exit codes"). */
const EXIT_INCOMPLETE = 7
/**
 * How long a command may take here: a send that cannot cover a device waits for the whole cover
 * deadline (SEND_COVER_TIMEOUT_MS, 30 s) before it answers, and the machine may be busy.
 */
const COMMAND_MS = 120_000

const world = new World('faults')
let alice: Device
let bob: Device
let carol: Device
let dave: Device
/** A second relay, Dave's only one. */
let relayB: E2eRelay
let relayArgs: string[]
let relayBArgs: string[]

function loopback(port: number): string[] {
  return ['--listen', `/ip4/127.0.0.1/tcp/${port}`, '--metrics-port', '0']
}

async function restartRelay(): Promise<void> {
  await world.relay.process.stop()
  await world.startRelay(relayArgs)
}

/** The texts of `from`'s messages this device shows, in the order it stored them. */
async function textsFrom(device: Device, from: Device): Promise<string[]> {
  return (await device.messages()).filter((m) => m.from === from.accountId).map((m) => m.text as string)
}

beforeAll(async () => {
  relayArgs = loopback(await freePort())
  relayBArgs = loopback(await freePort())
  await world.startRelay(relayArgs)
  relayB = new E2eRelay(await RelayProcess.start(join(world.root, 'relay-b'), { args: relayBArgs }))
  world.onCleanup(async () => {
    await relayB.process.stop()
  })
  ;[alice, bob, carol, dave] = await Promise.all([
    world.account('alice'),
    world.account('bob'),
    world.account('carol'),
    world.account('dave', relayB.addrs),
  ])
  for (const [name, contact] of Object.entries({ bob, carol, dave })) {
    await alice.json(['contacts', 'add', contact.invite, '--name', name])
  }
  await carol.json(['contacts', 'add', bob.invite, '--name', 'bob'])
}, 180_000)

afterAll(async () => {
  await world.close()
}, 60_000)

describe('network faults', () => {
  it('FAULTS 29: the recipient offline while its relay restarts twice gets everything, in each sender’s order', async () => {
    await bob.stop()
    const sent = { alice: [] as string[], carol: [] as string[] }
    const send = async (from: Device, texts: string[]) => {
      for (const text of texts) {
        await from.one(['send', 'bob', text])
        sent[from === alice ? 'alice' : 'carol'].push(text)
      }
    }
    await send(alice, ['a1', 'a2'])
    await send(carol, ['c1'])
    await restartRelay()
    await send(carol, ['c2'])
    await send(alice, ['a3'])
    await restartRelay()
    await send(alice, ['a4'])
    await send(carol, ['c3', 'c4'])
    await world.relay.waitStored(8)

    await bob.start()
    await waitFor('bob to show all eight', async () => (await bob.messages()).length >= 8)
    expect(await textsFrom(bob, alice)).toEqual(sent.alice)
    expect(await textsFrom(bob, carol)).toEqual(sent.carol)
    await world.relay.waitStored(0)
  }, 180_000)

  it('FAULTS 36: a fan-out with one device’s relay down covers the others, then the late one once its relay is back', async () => {
    const group = await alice.one(['group', 'create', 'two relays', 'bob', 'dave'], COMMAND_MS)
    for (const device of [bob, dave]) {
      await waitFor(`${device.name} to apply the group`, async () => {
        const info = await device.run(['group', 'info', group.id])
        return info.code === 0 && (JSON.parse(info.stdout) as Line).revision === 1
      })
    }
    await Promise.all([bob.stop(), dave.stop()])
    await relayB.process.stop()

    // waits for Dave's device to be covered until the send's deadline, then says who is not
    const result = await alice.run(['group', 'send', group.id, 'one relay down'], { timeoutMs: COMMAND_MS })
    expect(result.code).toBe(EXIT_INCOMPLETE)
    const sent = JSON.parse(result.stdout) as Line
    const statusOf = (line: Line, device: Device) =>
      (line.devices ?? line.recipients).find((d: Line) => d.account === device.accountId)?.status ?? 'pending'
    expect(statusOf(sent, bob)).toBe('stored')
    expect(statusOf(sent, dave)).toBe('pending')

    relayB = new E2eRelay(await RelayProcess.start(join(world.root, 'relay-b'), { args: relayBArgs }))
    await waitFor(
      'alice’s outbox to cover dave once his relay is back',
      async () => {
        const status = await alice.one(['status', sent.id])
        return statusOf(status, dave) !== 'pending'
      },
      // the outbox retries with backoff (up to OUTBOX_MAX_BACKOFF_MS): more than one round of it
      COMMAND_MS,
    )
    // the group envelope, and the sender key it needs, which went to Dave over the pairwise session
    expect(await relayB.stored()).toBeGreaterThanOrEqual(1)

    await Promise.all([bob.start(), dave.start()])
    for (const device of [bob, dave]) {
      const shown = await device.waitMessage('the group message', (m) => m.id === sent.id)
      expect(shown.text).toBe('one relay down')
      expect((await device.messages()).filter((m) => m.id === sent.id)).toHaveLength(1)
    }
    await relayB.waitStored(0)
  }, 300_000)
})
