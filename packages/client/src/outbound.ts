/**
 * Sending, up to the outbox: sessions with every target device (claiming pre-key bundles where there
 * is none yet), and encryption and sealing once per device inside a state job, so that the ratchet
 * step, the outbox entry and the message are committed together. The courier (courier.ts) delivers
 * what is put in the outbox. Ephemeral contents (typing) skip the outbox: online devices only.
 *
 * Owns: turning a content into one sealed envelope per device. Must not know: how envelopes are
 * delivered, or what the content means.
 */
import {
  type CryptoContext,
  constantTimeEqual,
  KeyedMutex,
  type LocalDevice,
  SessionCipher,
  SessionRecordCache,
  sealEnvelope,
  UntrustedIdentityError,
  type VerifiedPreKeyBundle,
  verifyPreKeyBundle,
} from '@ferry/crypto'
import type { ClientStore, ClientUnit, OutboxEntry } from '@ferry/storage'
import { multiaddr } from '@multiformats/multiaddr'
import { DIRECT_DELIVERY_TIMEOUT_MS } from './constants.js'
import { type DeviceTarget, deviceKey } from './directory.js'
import { IdentityChangedError } from './errors.js'
import type { Log } from './log.js'
import type { Network } from './network.js'
import type { StateQueue } from './state-queue.js'

export interface OutboundInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly network: () => Network | undefined
  readonly local: () => LocalDevice
  readonly log: Log
}

export class Outbound {
  readonly #init: OutboundInit
  /**
   * Shared by every cipher this device makes: decoded session records survive from one unit of work
   * to the next (no decode, no key re-import per message), and one mutex orders work per device.
   */
  readonly #sessions = { sessionCache: new SessionRecordCache(), mutex: new KeyedMutex() }
  /** Pre-key bundle claims under way, by device. */
  readonly #claims = new Map<string, Promise<VerifiedPreKeyBundle | undefined>>()

  constructor(init: OutboundInit) {
    this.#init = init
  }

  /**
   * Claims a pre-key bundle for every target without a session (network I/O, outside any state job).
   * Targets for which no relay has a bundle are left out of the map.
   */
  async claimBundles(
    targets: readonly DeviceTarget[],
    options: { signal?: AbortSignal } = {},
  ): Promise<Map<string, VerifiedPreKeyBundle>> {
    const bundles = new Map<string, VerifiedPreKeyBundle>()
    const unit = this.#init.store.unit({ durable: true })
    const missing: DeviceTarget[] = []
    try {
      const cipher = this.#cipher(unit)
      for (const target of targets) {
        if (!(await cipher.hasSession(target.address))) {
          missing.push(target)
        }
      }
    } finally {
      unit.discard()
    }
    const network = this.#init.network()
    if (network === undefined || missing.length === 0) {
      return bundles
    }
    await Promise.all(
      missing.map(async (target) => {
        const key = deviceKey(target.address)
        // concurrent sends to a device without a session share one claim: each claim uses up one of
        // that device's one-time pre-keys, and all of them would set up the same session anyway
        let claim = this.#claims.get(key)
        if (claim === undefined) {
          claim = this.#claim(network, target, options).finally(() => {
            this.#claims.delete(key)
          })
          this.#claims.set(key, claim)
        }
        const bundle = await claim
        if (bundle !== undefined) {
          bundles.set(key, bundle)
        }
      }),
    )
    return bundles
  }

  async #claim(
    network: Network,
    target: DeviceTarget,
    options: { signal?: AbortSignal },
  ): Promise<VerifiedPreKeyBundle | undefined> {
    for (const mailbox of target.mailboxes) {
      try {
        const bytes = await network.preKeys.claim(
          mailbox.relayAddrs.map((a) => multiaddr(a)),
          target.address,
          options,
        )
        if (bytes === undefined) {
          continue
        }
        const bundle = await verifyPreKeyBundle(this.#init.context, bytes, target.address)
        if (!constantTimeEqual(bundle.identityKey, target.identityKey)) {
          this.#init.log('a bundle for a device names another identity key than its device list; skipped')
          continue
        }
        return bundle
      } catch (err) {
        this.#init.log('claiming a pre-key bundle failed: %s', (err as Error).message)
      }
    }
    return undefined
  }

  /**
   * Inside a state job: encrypts `plaintext` (a padded, framed Content) for every target that has or
   * can get a session, seals it, and puts one outbox entry per device. Returns the entries made.
   * `fresh`: `messageId` was just drawn at random here (no outbox entry can exist for it).
   * Throws IdentityChangedError (and writes nothing) when a device's identity key changed: the caller
   * records the change in a job of its own.
   */
  async prepare(
    unit: ClientUnit,
    messageId: Uint8Array,
    targets: readonly DeviceTarget[],
    plaintext: Uint8Array,
    bundles: ReadonlyMap<string, VerifiedPreKeyBundle>,
    options: { fresh?: boolean } = {},
  ): Promise<OutboxEntry[]> {
    const { provider, now } = this.#init.context
    const cipher = this.#cipher(unit)
    const entries: OutboxEntry[] = []
    for (const target of targets) {
      try {
        // the device list certifies this key: one that differs from the key trusted before is a change
        const trusted = await unit.crypto.identities.getIdentity(target.address)
        if (trusted !== undefined && !constantTimeEqual(trusted, target.identityKey)) {
          throw new UntrustedIdentityError('the identity key of a device changed', target.identityKey)
        }
        if (!(await cipher.hasSession(target.address))) {
          const bundle = bundles.get(deviceKey(target.address))
          if (bundle === undefined) {
            this.#init.log('no session and no pre-key bundle for a device: not reached this time')
            continue
          }
          await cipher.initiate(bundle)
        }
        const message = await cipher.encrypt(target.address, plaintext)
        const envelope = await sealEnvelope(this.#init.context, {
          sender: this.#init.local(),
          recipientIdentityKey: target.identityKey,
          type: message.type,
          message: message.body,
        })
        const entry: OutboxEntry = {
          messageId,
          recipient: target.address,
          envelopeId: provider.randomBytes(16),
          envelope,
          mailboxes: target.mailboxes,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now(),
          createdAt: now(),
        }
        await unit.outbox.put(entry, { fresh: options.fresh === true })
        entries.push(entry)
      } catch (err) {
        if (err instanceof UntrustedIdentityError) {
          // the caller records the change (this unit is discarded with the failed job)
          throw new IdentityChangedError(
            'the identity key of a device of this contact changed: approve it before sending',
            target.address.accountKey,
            target.address.deviceId,
          )
        }
        throw err
      }
    }
    return entries
  }

  /**
   * Encrypts an ephemeral content (typing) for online targets and delivers it directly, best effort,
   * never through relays or the outbox.
   */
  async sendEphemeral(targets: readonly DeviceTarget[], plaintext: Uint8Array): Promise<void> {
    const network = this.#init.network()
    if (network === undefined) {
      return
    }
    const online = targets.filter((t) => network.isConnected(t.peerId))
    if (online.length === 0) {
      return
    }
    const { value: envelopes } = await this.#init.queue.run(async (unit) => {
      const cipher = this.#cipher(unit)
      const out: Array<{ target: DeviceTarget; envelope: Uint8Array }> = []
      for (const target of online) {
        if (!(await cipher.hasSession(target.address))) {
          continue
        }
        const message = await cipher.encrypt(target.address, plaintext)
        const envelope = await sealEnvelope(this.#init.context, {
          sender: this.#init.local(),
          recipientIdentityKey: target.identityKey,
          type: message.type,
          message: message.body,
        })
        out.push({ target, envelope })
      }
      return out
    })
    await Promise.allSettled(
      envelopes.map(({ target, envelope }) =>
        network.deliver.deliver(
          target.peerId,
          { envelopeId: this.#init.context.provider.randomBytes(16), payload: envelope },
          { signal: AbortSignal.timeout(DIRECT_DELIVERY_TIMEOUT_MS) },
        ),
      ),
    )
  }

  /** A session cipher over a unit of work's stores, sharing this device's session cache and mutex. */
  cipherFor(unit: ClientUnit): SessionCipher {
    return new SessionCipher({
      context: this.#init.context,
      stores: unit.crypto,
      local: this.#init.local(),
      ...this.#sessions,
    })
  }

  #cipher(unit: ClientUnit): SessionCipher {
    return this.cipherFor(unit)
  }
}
