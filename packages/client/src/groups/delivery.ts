/**
 * Delivery of a group message: published once on the group's gossip topic for the online member
 * devices; then relay delivery for the member devices that did not confirm it over gossip: when the
 * carrier outbox entry falls due (after GROUP_RECEIPT_WAIT_MS), the envelope is deposited
 * ONCE per relay, listing the mailboxes (on that relay) of every member device still pending. A
 * device counts as covered once one of its relays took the deposit; the others are retried with
 * backoff. Members deduplicate by the envelope ID, so a device that gets both the gossip copy and the
 * relay copy shows the message once.
 *
 * A relay stores an envelope ID once: a second deposit with the same ID adds no mailboxes. So the
 * first deposit on a relay lists every pending mailbox there, a retry goes only to relays that have
 * not taken it, and a relay list longer than MAX_DEPOSIT_MAILBOXES is split into deposits under IDs
 * derived from the envelope ID (receivers deduplicate by the ID inside the envelope).
 *
 * Owns: turning pending member devices into deposits. Must not know: how the message was composed.
 */
import { toHex } from '@ferry/crypto'
import type { ClientStore, DeviceAddress, OutboxEntry } from '@ferry/storage'
import { StreamEndedError } from '@ferry/transport'
import { Kind, MAX_DEPOSIT_MAILBOXES } from '@ferry/wire'
import { multiaddr } from '@multiformats/multiaddr'
import { DEPOSIT_TTL_MS } from '../constants.js'
import { afterAttempt, type Courier } from '../courier.js'
import { updateStatus } from '../delivery-status.js'
import { deviceKey, targetsOf } from '../directory.js'
import type { Log } from '../log.js'
import type { Network } from '../network.js'
import type { StateQueue } from '../state-queue.js'
import type { Members } from './members.js'

/** True for an outbox entry that carries a group envelope (handed to GroupDelivery, never sent as is). */
export function isGroupCarrier(entry: OutboxEntry): boolean {
  return entry.envelope[0] === Kind.GroupEnvelope
}

export interface GroupDeliveryInit {
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly courier: Pick<Courier, 'kick'>
  readonly members: Members
  readonly network: () => Network | undefined
  /** This device (the carrier entries are addressed to it). */
  readonly self: () => DeviceAddress
  readonly now: () => number
  readonly log: Log
}

interface RelayBatch {
  readonly addrs: readonly string[]
  readonly mailboxIds: Uint8Array[]
  readonly devices: DeviceAddress[]
}

export class GroupDelivery {
  readonly #init: GroupDeliveryInit
  /**
   * Relays (PeerId hex) that took each envelope (hex), so retries skip them. Kept in memory: after a
   * restart a relay that took it answers a re-deposit with 'duplicate', which counts the same.
   */
  readonly #storedOn = new Map<string, Set<string>>()

  constructor(init: GroupDeliveryInit) {
    this.#init = init
  }

  /**
   * Publishes a composed group message on the group's topic. When no gossip peer heard it (no gossip,
   * nobody online) the carrier is made due at once: the relays take it now rather than after the wait
   * for receipts.
   */
  async publish(
    groupId: Uint8Array,
    prepared: { messageId: Uint8Array; envelope: Uint8Array },
  ): Promise<void> {
    const gossip = this.#init.network()?.gossip
    const published =
      gossip === undefined || !gossip.isJoined(groupId)
        ? undefined
        : await gossip.publish(groupId, prepared.envelope).catch((err: unknown) => {
            this.#init.log('publishing a group message failed: %s', (err as Error).message)
            return undefined
          })
    if (published !== undefined && published.recipients > 0) {
      return
    }
    const { messageId } = prepared
    const self = this.#init.self()
    await this.#init.queue.run(async (unit) => {
      if ((await unit.outbox.get(messageId, self)) !== undefined) {
        await unit.outbox.update(messageId, self, { nextAttemptAt: this.#init.now() })
      }
    })
    this.#init.courier.kick()
  }

  /** One delivery attempt of a carrier entry (the outbox courier calls this when it is due). */
  async attempt(entry: OutboxEntry): Promise<void> {
    const network = this.#init.network()
    if (network === undefined) {
      return
    }
    const { store } = this.#init
    const message = await store.messages.get(entry.messageId)
    const group = message === undefined ? undefined : await store.groups.get(message.conversation)
    if (message === undefined || group === undefined || group.left) {
      await this.#finish(entry)
      return
    }
    // pending: the member devices not listed in the record (neither confirmed nor stored)
    const listed = new Set(
      message.recipients.filter((r) => r.status !== 'pending').map((r) => deviceKey(r.device)),
    )
    const { targets } = await this.#init.members.targets(group)
    const pending = targets.map((t) => t.address).filter((d) => !listed.has(deviceKey(d)))
    if (pending.length === 0) {
      await this.#finish(entry)
      return
    }
    const batches = await this.#batches(pending, group)
    const envelopeKey = toHex(entry.envelopeId)
    const storedOn = this.#storedOn.get(envelopeKey) ?? new Set<string>()
    this.#storedOn.set(envelopeKey, storedOn)
    const covered = new Set<string>()
    const reachable = new Set<string>()
    await Promise.all(
      [...batches].map(async ([relay, batch]) => {
        for (const device of batch.devices) {
          reachable.add(deviceKey(device))
        }
        if (storedOn.has(relay)) {
          return
        }
        const addrs = batch.addrs.map((a) => multiaddr(a))
        let all = true
        for (let i = 0, chunk = 0; i < batch.mailboxIds.length; i += MAX_DEPOSIT_MAILBOXES, chunk++) {
          try {
            const result = await network.mailbox.deposit(addrs, {
              envelopeId: chunkId(entry.envelopeId, chunk),
              payload: entry.envelope,
              mailboxIds: batch.mailboxIds.slice(i, i + MAX_DEPOSIT_MAILBOXES),
              ttlMs: DEPOSIT_TTL_MS,
            })
            if (result.status === 'refused') {
              this.#init.log('a relay refused a group deposit: %s', result.reason)
              all = false
            }
          } catch (err) {
            if (!(err instanceof StreamEndedError)) {
              this.#init.log('a group deposit failed: %s', (err as Error).message)
            }
            all = false
          }
        }
        if (all) {
          storedOn.add(relay)
          for (const device of batch.devices) {
            covered.add(deviceKey(device))
          }
        }
      }),
    )
    const remaining = pending.filter((d) => reachable.has(deviceKey(d)) && !covered.has(deviceKey(d)))
    await this.#init.queue.run(async (unit) => {
      for (const device of pending) {
        if (covered.has(deviceKey(device))) {
          await updateStatus(unit, entry.messageId, device, 'stored')
        }
      }
      await afterAttempt(unit, entry, { done: remaining.length === 0, now: this.#init.now })
    })
    if (remaining.length === 0) {
      this.#storedOn.delete(envelopeKey)
    }
  }

  /** The pending devices' mailboxes, by relay (PeerId hex). Devices gone from their lists are left out. */
  async #batches(
    pending: readonly DeviceAddress[],
    group: Parameters<Members['listOf']>[1],
  ): Promise<Map<string, RelayBatch>> {
    const byRelay = new Map<string, RelayBatch>()
    const byAccount = new Map<string, DeviceAddress[]>()
    for (const device of pending) {
      const key = toHex(device.accountKey)
      byAccount.set(key, [...(byAccount.get(key) ?? []), device])
    }
    for (const devices of byAccount.values()) {
      const list = await this.#init.members.listOf(devices[0]!.accountKey, group).catch(() => undefined)
      if (list === undefined) {
        continue
      }
      const targets = targetsOf(list)
      for (const device of devices) {
        const target = targets.find((t) => t.address.deviceId === device.deviceId)
        for (const mailbox of target?.mailboxes ?? []) {
          const relay = toHex(mailbox.relayPeerId)
          let batch = byRelay.get(relay)
          if (batch === undefined) {
            batch = { addrs: mailbox.relayAddrs, mailboxIds: [], devices: [] }
            byRelay.set(relay, batch)
          }
          batch.mailboxIds.push(mailbox.mailboxId)
          batch.devices.push(device)
        }
      }
    }
    return byRelay
  }

  async #finish(entry: OutboxEntry): Promise<void> {
    await this.#init.queue.run(async (unit) => {
      await unit.outbox.delete(entry.messageId, entry.recipient)
    })
    this.#storedOn.delete(toHex(entry.envelopeId))
  }
}

/** The deposit ID of the k-th split of one relay's mailbox list (the envelope ID itself for the first). */
function chunkId(envelopeId: Uint8Array, chunk: number): Uint8Array {
  if (chunk === 0) {
    return envelopeId
  }
  const id = envelopeId.slice()
  id[12] = (id[12]! ^ (chunk >>> 24)) & 0xff
  id[13] = (id[13]! ^ (chunk >>> 16)) & 0xff
  id[14] = (id[14]! ^ (chunk >>> 8)) & 0xff
  id[15] = (id[15]! ^ chunk) & 0xff
  return id
}
