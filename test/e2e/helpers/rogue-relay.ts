/**
 * A rogue relay in the test process: the real relay host (@ferry/transport's relay preset) running
 * only the device-list service, over a hand-written backend that serves whatever list the test sets
 * for any account and checks nothing it is given. It stands for a relay (or a DHT node) that replays
 * old lists or makes up new ones: a device must never take a list from it that the account did not
 * sign, nor one older than it already has.
 */
import { createRelayLibp2p, type DeviceListBackend, deviceListServer } from '@ferry/transport'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'

export class RogueRelay {
  /** What `get` answers for every account; undefined: "not found". */
  serving: Uint8Array | undefined
  /** How many lists were asked for. */
  asked = 0
  #host: Libp2p | undefined

  /** The relay's multiaddr (TCP on loopback, ending in /p2p/<its PeerId>). */
  addr = ''

  static async start(): Promise<RogueRelay> {
    const rogue = new RogueRelay()
    const backend: DeviceListBackend = {
      get: async () => {
        rogue.asked++
        return rogue.serving
      },
      put: async () => 'stored',
    }
    const host = await createRelayLibp2p({
      privateKey: await generateKeyPair('Ed25519'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      dht: { privateAddresses: true },
      services: {
        deviceLists: deviceListServer({
          backend,
          // takes anything: this relay is the attacker
          verifyDeviceList: async () => ({ accountKey: new Uint8Array(32), listVersion: 0 }),
        }),
      },
    })
    rogue.#host = host as unknown as Libp2p
    rogue.addr = host.getMultiaddrs()[0]!.toString()
    return rogue
  }

  async stop(): Promise<void> {
    await this.#host?.stop()
  }
}
