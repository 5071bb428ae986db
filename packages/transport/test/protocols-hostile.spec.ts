/**
 * Hostile input on the pre-key, device-list and deliver protocols (FAULTS 14, 26): random bytes, a
 * 2^32 length prefix and a slow-loris stream are each refused or reset by a limit while an honest
 * client of the same service keeps being served.
 */

import {
  DeliverResponse,
  DeviceListResponse,
  PROTOCOL_DELIVER,
  PROTOCOL_DEVICE_LIST,
  PROTOCOL_PREKEYS,
  PreKeyResponse,
  StatusCode,
} from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DeliverClient,
  DeviceListClient,
  deliverServer,
  deviceListServer,
  PreKeyClient,
  preKeyServer,
} from '../src/index.js'
import {
  deviceList,
  MemoryDeviceListBackend,
  MemoryPreKeyBackend,
  makeDevice,
  verifyDeviceList,
  verifyUpload,
} from './fixtures/memory-record-backends.js'
import { randomId, startPeer, startRelay, stopAll } from './fixtures/network.js'
import { RawStream } from './fixtures/raw-stream.js'

interface Case {
  protocol: string
  /** Decodes a refusal frame to its status. */
  status: (frame: Uint8Array) => number
  /** One honest request; must succeed. */
  honest: () => Promise<void>
}

describe('pre-key, device-list and deliver protocols under hostile input', () => {
  let relay: Pick<Libp2p, 'getMultiaddrs' | 'getConnections' | 'stop'>
  let receiver: Pick<Libp2p, 'getMultiaddrs' | 'getConnections' | 'stop'>
  let attacker: Libp2p
  let honest: Libp2p
  const cases: Record<string, Case> = {}

  beforeAll(async () => {
    const limits = { frameTimeoutMs: 300 }
    relay = await startRelay({
      prekeys: preKeyServer({
        backend: new MemoryPreKeyBackend(),
        verifyUpload,
        claimBurstPerRequester: 1_000_000,
        ...limits,
      }),
      deviceLists: deviceListServer({
        backend: new MemoryDeviceListBackend(),
        verifyDeviceList,
        burstPerPeer: 1_000_000,
        ...limits,
      }),
    })
    receiver = await startPeer({ deliver: deliverServer({ onEnvelope: async () => {}, ...limits }) }, true)
    attacker = await startPeer()
    honest = await startPeer()
    const account = await generateKeyPair('Ed25519')
    const list = await deviceList(account, 1, (await makeDevice(1, account)).certificate)
    const lists = new DeviceListClient(honest)
    await lists.put(relay.getMultiaddrs(), list)
    const deliver = new DeliverClient(honest)
    cases.prekeys = {
      protocol: PROTOCOL_PREKEYS,
      status: (frame) => PreKeyResponse.decode(frame).status,
      honest: async () => {
        const bundle = await new PreKeyClient(honest).claim(relay.getMultiaddrs(), {
          accountKey: account.publicKey.raw,
          deviceId: 1,
        })
        expect(bundle).toBeUndefined()
      },
    }
    cases.deviceLists = {
      protocol: PROTOCOL_DEVICE_LIST,
      status: (frame) => DeviceListResponse.decode(frame).status,
      honest: async () => {
        expect(await lists.get(relay.getMultiaddrs(), account.publicKey.raw)).toBeDefined()
      },
    }
    cases.deliver = {
      protocol: PROTOCOL_DELIVER,
      status: (frame) => DeliverResponse.decode(frame).status,
      honest: async () => {
        await deliver.deliver(receiver.getMultiaddrs(), {
          envelopeId: randomId(),
          payload: new Uint8Array([1]),
        })
      },
    }
  })

  afterAll(async () => {
    await stopAll(attacker, honest, receiver, relay)
  })

  const target = (name: string) => (name === 'deliver' ? receiver : relay).getMultiaddrs()

  async function whileServingOthers(name: string, attack: Promise<unknown>): Promise<void> {
    let done = false
    const finished = attack.finally(() => {
      done = true
    })
    let served = 0
    do {
      await cases[name]!.honest()
      served++
      // the memory transport settles a whole exchange in microtasks: let timers (the attack's) run
      await new Promise((resolve) => setTimeout(resolve, 1))
    } while (!done || served < 2)
    await finished
  }

  for (const name of ['prekeys', 'deviceLists', 'deliver']) {
    describe(name, () => {
      it('refuses random bytes with typed codes', async () => {
        const { protocol, status } = cases[name]!
        await whileServingOthers(
          name,
          fc.assert(
            fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 256 }), async (bytes) => {
              const raw = await RawStream.open(attacker, target(name), protocol)
              raw.send(bytes)
              await raw.stream.close().catch(() => {})
              for (const frame of await raw.drain()) {
                expect([StatusCode.MALFORMED, StatusCode.TOO_LARGE, StatusCode.UNKNOWN_VERSION]).toContain(
                  status(frame),
                )
              }
              await raw.ended
            }),
            { numRuns: 15 },
          ),
        )
      })

      it('refuses a 2^32 length prefix and resets the stream', async () => {
        const { protocol, status } = cases[name]!
        const attack = (async () => {
          const raw = await RawStream.open(attacker, target(name), protocol)
          raw.send(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x10]))
          const frames = await raw.drain()
          expect(frames.map(status)).toEqual([StatusCode.TOO_LARGE])
          expect(await raw.ended).toBe('reset')
        })()
        await whileServingOthers(name, attack)
      })

      it('resets a slow-loris stream', async () => {
        const { protocol } = cases[name]!
        const attack = (async () => {
          const raw = await RawStream.open(attacker, target(name), protocol)
          raw.send(new Uint8Array([40, 0x52, 1]))
          expect(await raw.ended).toBe('reset')
        })()
        await whileServingOthers(name, attack)
      })
    })
  }
})
