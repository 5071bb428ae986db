/**
 * What keeps a started device reachable and its state tidy: one fetch loop per mailbox (live push,
 * reconnecting with backoff; each envelope acknowledged once what it changed is durable), publishing
 * this account's device list and keeping pre-keys stocked on the relays, pruning old dedup marks, and
 * starting a new session with a device whose messages stopped decrypting.
 *
 * Owns: the background work of a started messenger. Must not know: what the envelopes it fetches
 * contain (the receive path's).
 */
import type { CryptoContext } from '@ferry/crypto'
import type { AccountMailbox, AccountRecord, ClientStore, DeviceAddress } from '@ferry/storage'
import { Content, Kind, pad } from '@ferry/wire'
import { multiaddr } from '@multiformats/multiaddr'
import {
  INBOX_RETENTION_MS,
  MAILBOX_BASE_BACKOFF_MS,
  MAILBOX_MAX_BACKOFF_MS,
  MESSAGE_ID_BYTES,
  START_PUBLISH_TIMEOUT_MS,
} from './constants.js'
import type { Courier } from './courier.js'
import type { DeviceState } from './device-state.js'
import type { Devices } from './devices.js'
import { type Directory, deviceKey, targetsOf } from './directory.js'
import { mailboxKeyOf } from './identity.js'
import type { Inbound } from './inbound.js'
import type { Log } from './log.js'
import type { Outbound } from './outbound.js'
import type { PreKeyKeeper } from './prekeys.js'
import type { StateQueue } from './state-queue.js'

/**
 * Envelopes from one mailbox session in flight through the receive path before the loop waits for
 * their acknowledgements: enough to fill the state queue's batches, few enough that an unacked tail
 * after a crash stays short (the relay hands those out again; they are recognised as duplicates).
 */
const MAILBOX_ACK_BATCH = 64

/**
 * A device's session is reset at most once per this interval: a burst of undecryptable messages from
 * it costs one new session, not one per message (and two devices cannot reset each other in a loop).
 */
const SESSION_RESET_INTERVAL_MS = 60_000

export interface UpkeepInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly state: DeviceState
  readonly directory: Directory
  readonly inbound: Pick<Inbound, 'receive'>
  readonly outbound: Pick<Outbound, 'claimBundles' | 'prepare'>
  readonly courier: Pick<Courier, 'kick'>
  readonly preKeys: Pick<PreKeyKeeper, 'maintain'>
  readonly devices: Pick<Devices, 'publishList'>
  readonly log: Log
}

export class Upkeep {
  readonly #init: UpkeepInit
  #loops: Promise<void>[] = []
  readonly #resets = new Map<string, number>()

  constructor(init: UpkeepInit) {
    this.#init = init
  }

  /** Starts fetching every mailbox of this device, until `signal` aborts. */
  fetch(account: AccountRecord, signal: AbortSignal): void {
    for (const mailbox of account.mailboxes) {
      this.#loops.push(this.#fetchLoop(mailbox, signal))
    }
  }

  /**
   * Starts publishing the device list and pre-keys (then pruning the inbox); resolves when they are on
   * the relays (or the attempt failed), or after START_PUBLISH_TIMEOUT_MS: ready means reachable.
   */
  async publish(signal: AbortSignal): Promise<void> {
    const background = this.#background(signal)
    this.#loops.push(background)
    await Promise.race([background, sleep(START_PUBLISH_TIMEOUT_MS, signal)])
  }

  /** Resolves once every loop has ended (after the signal given to `fetch` and `publish` aborted). */
  async stopped(): Promise<void> {
    await Promise.allSettled(this.#loops)
    this.#loops = []
  }

  /** A device's messages stopped decrypting (its state or ours was lost): start a new session. */
  async resetSession(address: DeviceAddress): Promise<void> {
    const { context, directory, outbound, queue } = this.#init
    const key = deviceKey(address)
    const now = context.now()
    if (now - (this.#resets.get(key) ?? 0) < SESSION_RESET_INTERVAL_MS) {
      return
    }
    this.#resets.set(key, now)
    try {
      const contact = await this.#init.store.contacts.get(address.accountKey)
      const list =
        contact === undefined
          ? directory.cached(address.accountKey)
          : await directory.known(contact.accountKey, contact.deviceList?.signed)
      const target =
        list === undefined ? undefined : targetsOf(list).find((t) => t.address.deviceId === address.deviceId)
      if (target === undefined) {
        return
      }
      await queue.run(async (unit) => {
        await unit.crypto.sessions.deleteSession(address)
      })
      const bundles = await outbound.claimBundles([target])
      const id = context.provider.randomBytes(MESSAGE_ID_BYTES)
      const plaintext = pad(Content.encode({ messageId: id, sentAt: context.now(), nullMessage: true }))
      await queue.run((unit) => outbound.prepare(unit, id, [target], plaintext, bundles))
      this.#init.courier.kick()
    } catch (err) {
      this.#init.log('resetting a session failed: %s', (err as Error).message)
    }
  }

  async #fetchLoop(mailbox: AccountMailbox, signal: AbortSignal): Promise<void> {
    let delay = MAILBOX_BASE_BACKOFF_MS
    while (!signal.aborted) {
      const network = this.#init.state.network
      if (network === undefined) {
        return
      }
      try {
        const session = await network.mailbox.fetch(
          mailbox.relayAddrs.map((a) => multiaddr(a)),
          mailboxKeyOf(mailbox),
          { live: true, signal },
        )
        delay = MAILBOX_BASE_BACKOFF_MS
        const acks: Promise<void>[] = []
        for await (const envelope of session) {
          // a group message waits for what came before it in the mailbox: the group-control
          // message that gave this device its envelope key is applied first
          if (envelope.payload[0] === Kind.GroupEnvelope) {
            await Promise.all(acks.splice(0))
          }
          // received envelopes go through the state queue in order and are committed in batches;
          // each is acknowledged once its batch is durable
          const done = this.#init.inbound
            .receive(envelope.envelopeId, envelope.payload)
            .then(() => session.ack([envelope.envelopeId]))
            .catch((err: unknown) => {
              this.#init.log('an envelope from the mailbox was not processed: %s', (err as Error).message)
            })
          acks.push(done)
          if (acks.length >= MAILBOX_ACK_BATCH) {
            await Promise.all(acks.splice(0))
          }
        }
        await Promise.all(acks)
      } catch (err) {
        if (!signal.aborted) {
          this.#init.log('mailbox session ended: %s', (err as Error).message)
        }
      }
      await sleep(delay, signal)
      delay = Math.min(MAILBOX_MAX_BACKOFF_MS, delay * 2)
    }
  }

  /** Publishes this device list, keeps pre-keys stocked, prunes old dedup marks. */
  async #background(signal: AbortSignal): Promise<void> {
    const account = this.#init.state.requireAccount()
    const network = this.#init.state.network
    if (network !== undefined && account.deviceList !== undefined) {
      await this.#init.devices.publishList(network, account, account.deviceList.signed, { signal })
    }
    await this.#init.preKeys.maintain({ signal }).catch((err: unknown) => {
      this.#init.log('pre-key upkeep failed: %s', (err as Error).message)
    })
    await this.#init.store
      .pruneInbox(this.#init.context.now() - INBOX_RETENTION_MS)
      .catch((err: unknown) => this.#init.log('pruning the inbox failed: %s', (err as Error).message))
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve()
      return
    }
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
