/**
 * A libp2p peer in the test process that speaks Ferry's wire protocols to the real processes: it
 * reads a stopped device's mailbox keys from its store (the key is the device's own: the test acts as
 * that device), takes envelopes out of a mailbox without acknowledging them, delivers envelopes
 * directly to a running device (`/ferry/deliver/1`, as a sender's courier does), deposits on a relay,
 * and gets and puts device lists. Nothing here decrypts anything: envelopes travel as the sender
 * sealed them.
 */
import type { AccountMailbox } from '@ferry/storage'
import { DeliverClient, DeviceListClient } from '@ferry/transport'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { type Device as RelayClient, startDevice } from '../../relay/helpers/clients.js'
import { readAccount } from './records.js'

/** One envelope as a mailbox holds it (and as a sender delivers it directly). */
export interface Envelope {
  envelopeId: Uint8Array
  payload: Uint8Array
}

/** A device's mailbox: its relay addresses, its key (secret), its ID. */
export interface MailboxKey {
  relay: Multiaddr[]
  key: PrivateKey
  id: Uint8Array
}

/**
 * The mailboxes of the device whose data directory is `dir`, read from its store. The device's
 * process must not be running (it holds the store's lock).
 */
export async function readMailboxKeys(dir: string): Promise<MailboxKey[]> {
  const account = await readAccount(dir)
  return account.mailboxes.map((m: AccountMailbox) => ({
    relay: m.relayAddrs.map((a) => multiaddr(a)),
    key: privateKeyFromProtobuf(m.mailboxKey),
    id: m.mailboxId.slice(),
  }))
}

export class TestPeer {
  readonly #client: RelayClient
  readonly deliverClient: DeliverClient
  readonly deviceLists: DeviceListClient

  private constructor(client: RelayClient) {
    this.#client = client
    const components = {
      peerId: client.node.peerId,
      dial: (target: Parameters<RelayClient['node']['dial']>[0], options?: { signal?: AbortSignal }) =>
        client.node.dial(target, options),
    }
    this.deliverClient = new DeliverClient(components)
    this.deviceLists = new DeviceListClient(components)
  }

  static async start(): Promise<TestPeer> {
    return new TestPeer(await startDevice())
  }

  /**
   * Every envelope waiting in the mailbox, read in one non-live session and left unacknowledged (the
   * relay keeps them for the device).
   */
  async peek(mailbox: MailboxKey, timeoutMs = 20_000): Promise<Envelope[]> {
    const session = await this.#client.mailboxes.fetch(mailbox.relay, mailbox.key, {
      live: false,
      signal: AbortSignal.timeout(timeoutMs),
    })
    const out: Envelope[] = []
    try {
      for await (const envelope of session) {
        out.push({ envelopeId: envelope.envelopeId.slice(), payload: envelope.payload.slice() })
      }
    } finally {
      await session.close()
    }
    return out
  }

  /** Delivers an envelope directly to the device at `addr`; resolves once the device stored it. */
  async deliver(addr: string, envelope: Envelope, timeoutMs = 20_000): Promise<void> {
    await this.deliverClient.deliver(multiaddr(addr), envelope, { signal: AbortSignal.timeout(timeoutMs) })
  }

  /** Deposits an envelope for one mailbox; the relay's answer ('stored', 'duplicate', ...). */
  async deposit(mailbox: MailboxKey, envelope: Envelope, timeoutMs = 20_000): Promise<string> {
    const result = await this.#client.mailboxes.deposit(
      mailbox.relay,
      { ...envelope, mailboxIds: [mailbox.id] },
      { signal: AbortSignal.timeout(timeoutMs) },
    )
    return result.status
  }

  async stop(): Promise<void> {
    this.deliverClient.close()
    await this.#client.close()
  }
}

/** A fresh random envelope ID (a courier's retry keeps the ID; a new one forces dedup by message). */
export function newEnvelopeId(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(16))
}
