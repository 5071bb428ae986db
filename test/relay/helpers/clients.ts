/**
 * Devices talking to a relay process from the test process: a libp2p node per device (the peer-node
 * preset on loopback), the mailbox client, mailbox keys, and raw protocol streams for hostile input.
 */
import { createNodeLibp2p, MailboxClient } from '@ferry/transport'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface Device {
  node: Libp2p
  mailboxes: MailboxClient
  close(): Promise<void>
}

export async function startDevice(options: { pipeline?: number } = {}): Promise<Device> {
  const node = await createNodeLibp2p({ listen: [], dht: { privateAddresses: true } })
  const mailboxes = new MailboxClient(node, { pipeline: options.pipeline ?? 8 })
  return {
    node,
    mailboxes,
    close: async () => {
      mailboxes.close()
      await Promise.all(
        node.getConnections().map(async (c) => c.close().catch(() => c.abort(new Error('closing')))),
      )
      await Promise.resolve(node.stop()).catch(() => {})
    },
  }
}

export interface Mailbox {
  key: PrivateKey
  id: Uint8Array
}

/** A fresh mailbox key and its ID on the relay with PeerId `relay`. */
export async function newMailbox(device: Device, relay: string): Promise<Mailbox> {
  const key = await generateKeyPair('Ed25519')
  return { key, id: await device.mailboxes.mailboxId(key, peerIdFromString(relay)) }
}

export function randomId(length = 16): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/**
 * Every envelope ID the mailbox holds, fetched in one non-live session and left unacked (or acked,
 * with `ack: true`). Bounded by `timeoutMs`.
 */
export async function fetchAll(
  device: Device,
  relay: Multiaddr[],
  mailbox: Mailbox,
  options: { ack?: boolean; timeoutMs?: number } = {},
): Promise<string[]> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 20_000)
  const session = await device.mailboxes.fetch(relay, mailbox.key, { live: false, window: 1024, signal })
  const ids: string[] = []
  for await (const envelope of session) {
    ids.push(hex(envelope.envelopeId))
    if (options.ack === true) {
      await session.ack([envelope.envelopeId])
    }
  }
  await session.close()
  return ids
}

/** A protocol stream driven by hand: frames or raw bytes out, frames in, how it ended. */
export class RawStream {
  readonly stream: Stream
  readonly lp: ReturnType<typeof lpStream<Stream>>
  readonly ended: Promise<'closed' | 'reset'>

  constructor(stream: Stream, maxFrameBytes = 1 << 20) {
    this.stream = stream
    this.lp = lpStream(stream, { maxDataLength: maxFrameBytes })
    this.ended = new Promise((resolve) => {
      stream.addEventListener('close', (event) => {
        resolve((event as { error?: unknown }).error == null ? 'closed' : 'reset')
      })
    })
  }

  static async open(node: Libp2p, relay: Multiaddr[], protocol: string): Promise<RawStream> {
    const connection = await node.dial(relay)
    return new RawStream(await connection.newStream(protocol, { maxOutboundStreams: 10_000 }))
  }

  send(bytes: Uint8Array): void {
    this.stream.send(bytes)
  }

  async sendFrame(frame: Uint8Array): Promise<void> {
    await this.lp.write(frame)
  }

  async next(timeoutMs = 10_000): Promise<Uint8Array> {
    return (await this.lp.read({ signal: AbortSignal.timeout(timeoutMs) })).subarray()
  }
}

export interface DepositLog {
  /** Envelope IDs the relay acknowledged as stored or duplicate. */
  acked: Set<string>
  /** Every envelope ID sent (acked or not). */
  attempted: Set<string>
  /** IDs whose deposit failed without an answer (the stream or connection broke). */
  unanswered: Set<string>
  refused: number
}

/**
 * Deposits 1 KiB envelopes to `mailbox` from `workers` concurrent loops (each waits for its ack, so
 * up to `workers` are in flight on the device's pooled stream) until `stop` aborts, a deposit fails,
 * or `maxCount` were sent.
 */
export async function depositLoop(
  device: Device,
  relay: Multiaddr[],
  mailbox: Mailbox,
  options: { stop: AbortSignal; maxCount: number; workers?: number; payloadBytes?: number; ttlMs?: number },
  log: DepositLog = { acked: new Set(), attempted: new Set(), unanswered: new Set(), refused: 0 },
): Promise<DepositLog> {
  let sent = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!options.stop.aborted && !failed && sent < options.maxCount) {
      sent++
      const envelopeId = randomId()
      const id = hex(envelopeId)
      log.attempted.add(id)
      try {
        const result = await device.mailboxes.deposit(
          relay,
          {
            envelopeId,
            payload: randomId(options.payloadBytes ?? 1024),
            mailboxIds: [mailbox.id],
            ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
          },
          { signal: AbortSignal.timeout(10_000) },
        )
        if (result.status === 'refused') {
          log.refused++
        } else {
          log.acked.add(id)
        }
      } catch {
        log.unanswered.add(id)
        failed = true
      }
    }
  }
  await Promise.all(Array.from({ length: options.workers ?? 8 }, worker))
  return log
}
