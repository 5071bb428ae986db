/**
 * Receiving: one path for every envelope, whether it came directly or from a relay mailbox. The
 * envelope is opened (sealed sender), its sender checked against the sender's device list, decrypted
 * and applied inside one state job, so the ratchet step, the message, the dedup marks, the event and
 * the delivery receipt it owes are committed together; only then is the envelope acknowledged and are
 * listeners told (FAULTS 1, 19, 30, 37). Owed receipts are sealed a little later, one per device for
 * every message owed to it (receiptDelayMs). What each content type does is contents.ts's.
 *
 * Owns: the receive path (opening, the sender check, decryption, deduplication, what happens after
 * the commit) and receipts back. Must not know: how envelopes arrive.
 */
import {
  type CryptoContext,
  CryptoError,
  constantTimeEqual,
  DuplicateMessageError,
  type LocalDevice,
  type OpenedEnvelope,
  openEnvelope,
  UntrustedIdentityError,
} from '@ferry/crypto'
import {
  type AccountRecord,
  type ClientStore,
  type ClientUnit,
  type ContactRecord,
  type DeviceAddress,
  InvalidRequestError,
  MAX_OWED_RECEIPTS_PAGE,
  type OutboxEntry,
  type OwedReceipt,
  StorageError,
} from '@ferry/storage'
import { Content, Kind, MAX_RECEIPT_IDS, pad, type pb, unpad, WireError } from '@ferry/wire'
import { MESSAGE_ID_BYTES, SENDER_LOOKUP_TIMEOUT_MS } from './constants.js'
import { Contents, type Effects } from './contents.js'
import type { Courier } from './courier.js'
import { deadlineSignal } from './deadline.js'
import { type DeviceTarget, type Directory, deviceKey, targetsOf } from './directory.js'
import { appendEvent } from './event-log.js'
import type { TypingEvent } from './events.js'
import type { GroupReceiver } from './groups/receive.js'
import type { Log } from './log.js'
import type { Outbound } from './outbound.js'
import type { StateQueue } from './state-queue.js'

/** Held envelopes whose sender's identity key changed use this distribution ID in the held store. */
export const IDENTITY_HOLD = new Uint8Array(16)

export type ReceiveOutcome = 'stored' | 'duplicate' | 'held' | 'rejected' | 'undecryptable'

/** What became of a received envelope. */
export interface ReceiveResult {
  readonly outcome: ReceiveOutcome
  /** Why it was refused or held, as an error name (UnknownGroupKeyError, NoSenderKeyError, ...). */
  readonly reason?: string
}

export interface InboundInit {
  readonly context: CryptoContext
  /** How long after the first receipt owed since the last sealing owed receipts are sealed. */
  readonly receiptDelayMs: number
  /** The time for a message record (record-clock.ts): later than the one before. */
  readonly recordTime: () => number
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly directory: Directory
  readonly outbound: Pick<Outbound, 'prepare' | 'cipherFor'>
  readonly courier: Pick<Courier, 'kick' | 'notify'>
  readonly local: () => LocalDevice
  readonly account: () => AccountRecord
  readonly log: Log
  /** Ephemeral events (typing), told after the commit; they are never stored. */
  readonly emitEphemeral: (event: TypingEvent) => void
  /** A device whose messages no longer decrypt: its session should be reset. */
  readonly onUndecryptable: (address: DeviceAddress) => void
  /** Group envelopes, group-control messages and sender keys go here. */
  readonly groups: () => GroupReceiver
}

/** Read receipts left to the end of a state batch: one receipt per device. */
interface PendingReceipt {
  readonly to: DeviceAddress
  readonly messageIds: Uint8Array[]
}

export class Inbound {
  readonly #init: InboundInit
  /** Read receipts to make at the end of the batch of the unit, per unit. */
  readonly #receipts = new WeakMap<ClientUnit, Map<string, PendingReceipt>>()
  readonly #contents: Contents
  /** Settles once every sealed envelope received so far reached the state queue (or was refused). */
  #intake: Promise<void> = Promise.resolve()
  /** The timer of the next sealing of owed delivery receipts, while one is set. */
  #receiptTimer: ReturnType<typeof setTimeout> | undefined
  /** The sealing of owed delivery receipts under way (one at a time). */
  #sealing: Promise<void> | undefined
  /** True between start and stop: owed receipts are sealed (and handed to the courier) only then. */
  #running = false

  constructor(init: InboundInit) {
    this.#init = init
    this.#contents = new Contents({
      context: init.context,
      directory: init.directory,
      account: init.account,
      log: init.log,
      groups: init.groups,
      sendReceipt: (unit, to, type, messageIds) => this.sendReceipt(unit, to, type, messageIds),
    })
  }

  /**
   * Processes one envelope; resolves once everything it changed is durable (then acknowledge it).
   * Never rejects for bad input: garbage is recorded as seen and reported as 'rejected'.
   */
  async receive(
    envelopeId: Uint8Array,
    payload: Uint8Array,
    options: { held?: boolean } = {},
  ): Promise<ReceiveResult> {
    // one receive path, two kinds of frame: a group envelope (its ID is inside it) or a sealed one
    if (payload[0] === Kind.GroupEnvelope) {
      const result = await this.#init.groups().receive(payload, options)
      return result
    }
    const { value: outcome, reason, release } = await this.#receiveSealed(envelopeId, payload, options)
    for (const held of release ?? []) {
      await this.receive(envelopeId, held, { held: true })
    }
    return reason === undefined ? { outcome } : { outcome, reason }
  }

  /**
   * Envelopes reach the state queue in the order they arrived, so that a sender's messages are stored
   * (and shown) in its order: each is opened alongside the others, but checked and queued only once
   * the one before it was queued (or refused). A sender that is not a contact yet is looked up on the
   * relays first, and its later messages must not overtake its first one meanwhile.
   */
  async #receiveSealed(
    envelopeId: Uint8Array,
    payload: Uint8Array,
    options: { held?: boolean },
  ): Promise<{ value: ReceiveOutcome; reason?: string; release?: Uint8Array[] }> {
    const previous = this.#intake
    let admit!: () => void
    const admitted = new Promise<void>((resolve) => {
      admit = resolve
    })
    this.#intake = previous.then(() => admitted)
    try {
      return await this.#receiveSealedInTurn(envelopeId, payload, options, previous, admit)
    } finally {
      admit()
    }
  }

  async #receiveSealedInTurn(
    envelopeId: Uint8Array,
    payload: Uint8Array,
    options: { held?: boolean },
    previous: Promise<void>,
    admit: () => void,
  ): Promise<{ value: ReceiveOutcome; reason?: string; release?: Uint8Array[] }> {
    const { store, context, log } = this.#init
    if (options.held !== true && (await store.inbox.seen(envelopeId))) {
      return { value: 'duplicate' }
    }
    let opened: OpenedEnvelope
    try {
      opened = await openEnvelope(context, { recipient: this.#init.local(), envelope: payload })
    } catch (err) {
      log('an envelope could not be opened: %s', (err as Error).message)
      return { value: await this.#markOnly(envelopeId, 'rejected'), reason: (err as Error).name }
    }
    const sender: DeviceAddress = { accountKey: opened.sender.accountKey, deviceId: opened.sender.deviceId }
    await previous
    if (!(await this.isListed(sender))) {
      log('an envelope from a device that is not in its account device list was refused')
      return { value: await this.#markOnly(envelopeId, 'rejected'), reason: 'UnknownDeviceError' }
    }
    if (opened.type === 'SENDER_KEY') {
      // FAULTS 17: a group ciphertext travels in a GroupEnvelope, never sealed for one device
      log('a sender-key message in a pairwise envelope was refused')
      return { value: await this.#markOnly(envelopeId, 'rejected'), reason: 'InvalidMessageError' }
    }
    const type = opened.type
    let effects: Effects = {}
    // the unit of the job's last run, the one committed: what it left in the outbox goes to the courier
    let committed: ClientUnit | undefined
    const queued = this.#init.queue.run(async (unit): Promise<ReceiveOutcome> => {
      effects = {}
      committed = unit
      if (options.held !== true && (await unit.inbox.seen(envelopeId))) {
        return 'duplicate'
      }
      const now = this.#init.recordTime()
      const cipher = this.#init.outbound.cipherFor(unit)
      let plaintext: Uint8Array
      try {
        const result = await cipher.decrypt(
          sender,
          { type, body: opened.message },
          { identityKey: opened.sender.identityKey },
        )
        plaintext = result.plaintext
      } catch (err) {
        await unit.inbox.markSeen(envelopeId, now)
        if (err instanceof DuplicateMessageError) {
          return 'duplicate'
        }
        if (err instanceof UntrustedIdentityError) {
          await unit.held.add(sender, IDENTITY_HOLD, payload).catch((e: unknown) => {
            log('held-message limit reached for a device: %s', (e as Error).message)
          })
          await appendEvent(unit, {
            type: 'identity-changed',
            account: sender.accountKey,
            device: sender.deviceId,
          })
          return 'held'
        }
        if (err instanceof CryptoError || err instanceof WireError) {
          log('a message could not be decrypted: %s', (err as Error).message)
          return 'undecryptable'
        }
        throw err
      }
      let content: pb.Content
      try {
        content = Content.decode(unpad(plaintext))
      } catch (err) {
        log('a decrypted message is malformed: %s', (err as Error).message)
        await unit.inbox.markSeen(envelopeId, now)
        return 'rejected'
      }
      await unit.inbox.markSeen(envelopeId, now)
      if (await unit.inbox.seen(content.messageId)) {
        return 'duplicate'
      }
      await unit.inbox.markSeen(content.messageId, now)
      effects = await this.#contents.apply(unit, sender, content, now)
      return 'stored'
    })
    admit()
    const { value: outcome } = await queued
    if (outcome === 'undecryptable') {
      this.#init.onUndecryptable(sender)
    }
    if (effects.ephemeral !== undefined) {
      this.#init.emitEphemeral(effects.ephemeral)
    }
    for (const messageId of effects.receipts ?? []) {
      this.#init.courier.notify(messageId)
    }
    const scheduled = outcome === 'stored' ? (committed?.outbox.scheduled() ?? []) : []
    if (scheduled.length > 0) {
      // the receipts (and whatever else the batch queued) are tried at once, the outbox not read again
      this.#init.courier.kick(scheduled)
    }
    return effects.release === undefined ? { value: outcome } : { value: outcome, release: effects.release }
  }

  async #markOnly(envelopeId: Uint8Array, outcome: ReceiveOutcome): Promise<ReceiveOutcome> {
    await this.#init.queue.run(async (unit) => {
      await unit.inbox.markSeen(envelopeId, this.#init.context.now())
    })
    return outcome
  }

  /**
   * True when the sending device is in its account's device list as this device knows it (fetched
   * again from the relays when it is not there yet: a newly linked device). A device removed from
   * its list is refused (FAULTS 35). A sender that is not a contact (or whose list this device does
   * not have: another device of this account added it) is looked up on the relays its invite named
   * and on this device's own; when its list is found it is recorded (an unnamed contact, as a message
   * request), so receipts can reach it; when none is found the message is still accepted.
   */
  async isListed(sender: DeviceAddress): Promise<boolean> {
    const account = this.#init.account()
    const { directory } = this.#init
    const listed = (list: { devices: ReadonlyArray<{ certificate: { deviceId: number } }> } | undefined) =>
      list?.devices.some((d) => d.certificate.deviceId === sender.deviceId) ?? false
    if (constantTimeEqual(sender.accountKey, account.accountKey)) {
      const own = await directory.known(account.accountKey, account.deviceList?.signed)
      if (listed(own)) {
        return true
      }
      // a device linked since this one last looked: ask this account's relays
      const relays = account.mailboxes.flatMap((m) => m.relayAddrs)
      const fresh = await directory
        .fetch(account.accountKey, relays, own?.listVersion ?? 0, {
          signal: deadlineSignal(SENDER_LOOKUP_TIMEOUT_MS),
        })
        .catch(() => undefined)
      if (fresh === undefined || !listed(fresh)) {
        return false
      }
      await this.#init.queue.run(async (unit) => {
        const current = (await unit.account.get()) ?? account
        if ((current.deviceList?.version ?? 0) < fresh.listVersion) {
          await unit.account.put({
            ...current,
            deviceList: { signed: fresh.bytes, version: fresh.listVersion },
          })
        }
      })
      return true
    }
    const contact = await this.#init.store.contacts.get(sender.accountKey)
    if (contact === undefined || contact.deviceList === undefined) {
      if (directory.fetchedRecently(sender.accountKey)) {
        return true
      }
      const relays = [...(contact?.relays ?? []), ...account.mailboxes.flatMap((m) => m.relayAddrs)]
      const found = await directory
        .fetch(sender.accountKey, relays, 0, { signal: deadlineSignal(SENDER_LOOKUP_TIMEOUT_MS) })
        .catch(() => undefined)
      if (found === undefined) {
        return true
      }
      if (!listed(found)) {
        return false
      }
      await this.#init.queue.run(async (unit) => {
        const current = (await unit.contacts.get(sender.accountKey)) ?? {
          accountKey: sender.accountKey,
          addedAt: this.#init.context.now(),
          relays: [],
        }
        await directory.acceptForContact(unit, current, found.bytes)
      })
      return true
    }
    if (listed(await directory.known(contact.accountKey, contact.deviceList.signed))) {
      return true
    }
    const fresh = await directory.contactList(contact, { refresh: true }).catch(() => undefined)
    if (fresh !== undefined && listed(fresh) && fresh.listVersion > contact.deviceList.version) {
      await this.#init.queue.run(async (unit) => {
        const current = await unit.contacts.get(contact.accountKey)
        if (current !== undefined) {
          await directory.acceptForContact(unit, current, fresh.bytes)
        }
      })
      return true
    }
    return false
  }

  /**
   * A delivery or read receipt to the device that sent the messages (when it can be reached). A
   * delivery receipt is recorded as owed in `unit` (committed with the messages) and sealed
   * `receiptDelayMs` later with every other one owed to that device. A read receipt is made at the end
   * of the job's batch, one for all the messages of the batch from that device, in the same unit.
   */
  async sendReceipt(
    unit: ClientUnit,
    to: DeviceAddress,
    type: 'DELIVERED' | 'READ',
    messageIds: Uint8Array[],
  ): Promise<void> {
    if (type === 'DELIVERED') {
      // owed with the messages, sealed a little later for all of them (receiptDelayMs)
      for (const messageId of messageIds) {
        unit.receiptsOwed.owe(to, messageId)
      }
      this.#scheduleReceipts(this.#init.receiptDelayMs)
      return
    }
    let pending = this.#receipts.get(unit)
    if (pending === undefined) {
      const batch = new Map<string, PendingReceipt>()
      if (!this.#init.queue.atEnd(unit, (u) => this.#sendPending(u, batch))) {
        await this.#sendReceiptNow(unit, to, type, messageIds)
        return
      }
      this.#receipts.set(unit, batch)
      pending = batch
    }
    const key = deviceKey(to)
    const entry = pending.get(key)
    if (entry === undefined) {
      pending.set(key, { to, messageIds: [...messageIds] })
    } else {
      entry.messageIds.push(...messageIds)
    }
  }

  async #sendPending(unit: ClientUnit, pending: ReadonlyMap<string, PendingReceipt>): Promise<void> {
    this.#receipts.delete(unit)
    for (const { to, messageIds } of pending.values()) {
      await this.#sendReceiptNow(unit, to, 'READ', messageIds)
    }
  }

  async #sendReceiptNow(
    unit: ClientUnit,
    to: DeviceAddress,
    type: 'DELIVERED' | 'READ',
    messageIds: Uint8Array[],
  ): Promise<void> {
    const target = await this.targetOf(unit, to)
    if (target === undefined) {
      return
    }
    const { provider, now } = this.#init.context
    // a receipt names at most MAX_RECEIPT_IDS messages (more would be refused as oversized)
    for (let i = 0; i < messageIds.length; i += MAX_RECEIPT_IDS) {
      const receiptId = provider.randomBytes(MESSAGE_ID_BYTES)
      const plaintext = pad(
        Content.encode({
          messageId: receiptId,
          sentAt: now(),
          receipt: { type: type as pb.ReceiptType, messageIds: messageIds.slice(i, i + MAX_RECEIPT_IDS) },
        }),
      )
      await this.#init.outbound.prepare(unit, receiptId, [target], plaintext, new Map(), { fresh: true })
    }
  }

  /** Starts sealing owed delivery receipts (those a stop or a crash left are sealed at once). */
  start(): void {
    this.#running = true
    this.#scheduleReceipts(0)
  }

  /** Stops sealing owed receipts; what is owed stays on disk for the next start. */
  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#receiptTimer)
    this.#receiptTimer = undefined
    await this.#sealing
  }

  /**
   * Seals every delivery receipt owed so far now, without waiting for the coalescing delay (a process
   * that runs the node for one command drains before it stops), and hands them to the courier.
   */
  async sealOwedReceipts(): Promise<void> {
    clearTimeout(this.#receiptTimer)
    this.#receiptTimer = undefined
    await this.#sealing
    await this.#startSealing()
  }

  #scheduleReceipts(delayMs: number): void {
    if (!this.#running || this.#receiptTimer !== undefined) {
      return
    }
    this.#receiptTimer = setTimeout(() => {
      this.#receiptTimer = undefined
      if (this.#sealing !== undefined) {
        // the sealing under way may have listed before these were owed: look again after it
        const again = () => this.#scheduleReceipts(0)
        void this.#sealing.then(again, again)
        return
      }
      void this.#startSealing()
    }, delayMs)
  }

  /** Starts a pass over owed receipts as the one under way; it never rejects (failures are logged). */
  #startSealing(): Promise<void> {
    this.#sealing = this.#sealOwed()
      .catch((err: unknown) => {
        // what stays owed is sealed at the next pass or start
        this.#init.log('owed delivery receipts were not sealed: %s', (err as Error).message)
      })
      .finally(() => {
        this.#sealing = undefined
      })
    return this.#sealing
  }

  /**
   * One pass over what is owed: one job lists it, then one job per device seals a receipt naming its
   * messages (MAX_RECEIPT_IDS per receipt) and forgets them, in the same batch; the jobs commit
   * together. A device whose receipt cannot be made (no longer listed, its session refused) is
   * forgotten in a job of its own, as a receipt that could not be sent was before; when the store
   * failed instead, the receipts stay owed for the next pass. A full page is followed at once by the
   * next.
   */
  async #sealOwed(): Promise<void> {
    const { queue, log } = this.#init
    const { value: owed } = await queue.run((unit) => unit.receiptsOwed.list())
    if (owed.length === 0) {
      return
    }
    const byDevice = new Map<string, { to: DeviceAddress; owed: OwedReceipt[] }>()
    for (const entry of owed) {
      const key = deviceKey(entry.to)
      let group = byDevice.get(key)
      if (group === undefined) {
        group = { to: entry.to, owed: [] }
        byDevice.set(key, group)
      }
      group.owed.push(entry)
    }
    const scheduled: OutboxEntry[] = []
    const results = await Promise.allSettled(
      [...byDevice.values()].map(async (group) => {
        let sealedIn: ClientUnit | undefined
        try {
          await queue.run(async (unit) => {
            sealedIn = unit
            await this.#sendReceiptNow(
              unit,
              group.to,
              'DELIVERED',
              group.owed.map((o) => o.messageId),
            )
            unit.receiptsOwed.settle(group.owed)
          })
          scheduled.push(...(sealedIn?.outbox.scheduled() ?? []))
        } catch (err) {
          if (err instanceof StorageError && !(err instanceof InvalidRequestError)) {
            // the store's trouble, not the receipt's: they stay owed for the next pass
            throw err
          }
          log('delivery receipts to a device were dropped: %s', (err as Error).message)
          await queue.run(async (unit) => {
            unit.receiptsOwed.settle(group.owed)
          })
        }
      }),
    )
    // what was sealed goes out even when another device's receipts could not be settled
    if (this.#running && scheduled.length > 0) {
      this.#init.courier.kick(scheduled)
    }
    const failed = results.find((r) => r.status === 'rejected')
    if (failed !== undefined) {
      throw failed.reason
    }
    if (owed.length >= MAX_OWED_RECEIPTS_PAGE) {
      await this.#sealOwed()
    }
  }

  /** The delivery target of a device of a contact or of this account, from its recorded device list. */
  async targetOf(unit: ClientUnit, address: DeviceAddress): Promise<DeviceTarget | undefined> {
    const account = this.#init.account()
    // this account's other devices (group receipts go to them too), else a contact's
    const signed = constantTimeEqual(address.accountKey, account.accountKey)
      ? account.deviceList?.signed
      : ((await unit.contacts.get(address.accountKey)) as ContactRecord | undefined)?.deviceList?.signed
    const list = await this.#init.directory.known(address.accountKey, signed).catch(() => undefined)
    return list === undefined
      ? undefined
      : targetsOf(list).find((t) => deviceKey(t.address) === deviceKey(address))
  }
}
