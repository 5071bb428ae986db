/**
 * The outbox: one entry per (message, recipient device) holding the sealed envelope made once, the
 * target mailboxes and the retry state. Entries in state 'pending' are also in a schedule index keyed
 * by nextAttemptAt, so the retry loop reads the due ones in order without scanning the rest.
 */
import { byteKey, copyBytes } from '../binary.js'
import { upperBound } from '../database.js'
import { CLIENT_ID_BYTES, MAX_OUTBOX_PAGE } from './constants.js'
import { type ClientKeys, checkId, checkLimit, checkU64, readAddress, TAG, u64 } from './keys.js'
import { MARKER } from './records-crypto.js'
import { decodeOutboxEntry, encodeOutboxEntry } from './records-messages.js'
import type { Sink, Source } from './source.js'
import type { DeviceAddress, FreshOptions, OutboxEntry, OutboxUpdate, PendingOptions } from './types.js'

export class OutboxReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  async get(messageId: Uint8Array, recipient: DeviceAddress): Promise<OutboxEntry | undefined> {
    const stored = await this.source.get(this.keys.outbox(messageId, recipient))
    return stored === undefined ? undefined : decodeOutboxEntry(stored)
  }

  /** Every entry of one message (one per recipient device), ordered by recipient. */
  async forMessage(messageId: Uint8Array): Promise<OutboxEntry[]> {
    checkId(messageId, 'a message ID')
    const prefix = this.keys.prefix(TAG.outbox, messageId)
    const out: OutboxEntry[] = []
    for await (const [, value] of this.source.entries({ gte: prefix, lt: upperBound(prefix) })) {
      out.push(decodeOutboxEntry(value))
    }
    return out
  }

  /** Entries in state 'pending', soonest nextAttemptAt first (ties by message ID, then recipient). */
  async listPending(options: PendingOptions): Promise<OutboxEntry[]> {
    const limit = checkLimit(options.limit, MAX_OUTBOX_PAGE)
    const prefix = this.keys.prefix(TAG.outboxSchedule)
    let lt = upperBound(prefix)
    if (options.dueBy !== undefined) {
      checkU64(options.dueBy, 'dueBy')
      if (options.dueBy < Number.MAX_SAFE_INTEGER) {
        lt = this.keys.prefix(TAG.outboxSchedule, u64(options.dueBy + 1))
      }
    }
    const out: OutboxEntry[] = []
    if (limit === 0) {
      return out
    }
    const at = prefix.byteLength + 8
    for await (const [key] of this.source.entries({ gte: prefix, lt })) {
      const messageId = copyBytes(key, at, at + CLIENT_ID_BYTES)
      const entry = await this.get(messageId, readAddress(key, at + CLIENT_ID_BYTES))
      if (entry !== undefined) {
        out.push(entry)
      }
      if (out.length >= limit) {
        break
      }
    }
    return out
  }
}

export class OutboxView extends OutboxReader {
  /** The pending entries this view put, by entry key, as last put (a deleted one leaves). */
  readonly #scheduled = new Map<string, OutboxEntry>()

  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /**
   * The entries this unit leaves pending in the outbox, as it last put them: what its commit
   * schedules (for the courier's first attempt, without reading the outbox back).
   */
  scheduled(): OutboxEntry[] {
    return [...this.#scheduled.values()]
  }

  /** Adds the entry, or replaces the one for the same message and recipient. */
  async put(entry: OutboxEntry, options: FreshOptions = {}): Promise<void> {
    const value = encodeOutboxEntry(entry)
    const key = this.keys.outbox(entry.messageId, entry.recipient)
    const previous = options.fresh === true ? undefined : await this.get(entry.messageId, entry.recipient)
    if (previous !== undefined) {
      this.#unschedule(previous)
    }
    this.store.put(key, value)
    if (entry.state === 'pending') {
      this.store.put(this.keys.outboxSchedule(entry.nextAttemptAt, entry.messageId, entry.recipient), MARKER)
      this.#scheduled.set(byteKey(key), entry)
    } else {
      this.#scheduled.delete(byteKey(key))
    }
  }

  /** Changes an entry's state, attempts, next attempt or mailboxes. Undefined when there is no entry. */
  async update(
    messageId: Uint8Array,
    recipient: DeviceAddress,
    patch: OutboxUpdate,
  ): Promise<OutboxEntry | undefined> {
    const previous = await this.get(messageId, recipient)
    if (previous === undefined) {
      return undefined
    }
    const updated: OutboxEntry = {
      ...previous,
      ...(patch.state === undefined ? {} : { state: patch.state }),
      ...(patch.attempts === undefined ? {} : { attempts: patch.attempts }),
      ...(patch.nextAttemptAt === undefined ? {} : { nextAttemptAt: patch.nextAttemptAt }),
      ...(patch.mailboxes === undefined ? {} : { mailboxes: patch.mailboxes }),
    }
    await this.put(updated)
    return updated
  }

  /** Removes one entry. Returns false when there was none. */
  async delete(messageId: Uint8Array, recipient: DeviceAddress): Promise<boolean> {
    const previous = await this.get(messageId, recipient)
    if (previous === undefined) {
      return false
    }
    this.#unschedule(previous)
    const key = this.keys.outbox(messageId, recipient)
    this.store.del(key)
    this.#scheduled.delete(byteKey(key))
    return true
  }

  /** Removes every entry of one message. Returns how many there were. */
  async deleteMessage(messageId: Uint8Array): Promise<number> {
    const entries = await this.forMessage(messageId)
    for (const entry of entries) {
      this.#unschedule(entry)
      this.store.del(this.keys.outbox(messageId, entry.recipient))
    }
    return entries.length
  }

  #unschedule(entry: OutboxEntry): void {
    if (entry.state === 'pending') {
      this.store.del(this.keys.outboxSchedule(entry.nextAttemptAt, entry.messageId, entry.recipient))
    }
  }
}
