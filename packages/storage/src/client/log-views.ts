/**
 * Inbox deduplication (seen envelope and message IDs, with a time index for pruning), the event log
 * (read side: committed events by cursor; cursors are assigned at commit, see committer.ts), and group
 * envelopes held until their sender key arrives (bounded per sender device).
 */
import { copyBytes, readU64 } from '../binary.js'
import { upperBound } from '../database.js'
import { CLIENT_ID_BYTES, MAX_EVENT_PAGE, MAX_HELD_PER_SENDER, MAX_PRUNE_PER_CALL } from './constants.js'
import { HeldLimitError } from './errors.js'
import { addressPart, type ClientKeys, checkId, checkLimit, checkU64, TAG, u64 } from './keys.js'
import { MARKER } from './records-crypto.js'
import {
  decodeEvent,
  decodeHeld,
  decodeNumber,
  encodeEvent,
  encodeHeld,
  encodeNumber,
} from './records-log.js'
import type { Sink, Source } from './source.js'
import type { DeviceAddress, EventDraft, FreshOptions, PruneResult, StoredEvent } from './types.js'

// ------------------------------------------------------------------------------ inbox

export class InboxReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  /** True when this envelope or message ID was marked seen (and not pruned since). */
  async seen(id: Uint8Array): Promise<boolean> {
    return (await this.source.get(this.keys.seen(id))) !== undefined
  }
}

export class InboxView extends InboxReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /** Records the ID as seen at `at` (this device's clock); marking it again moves its time forward. */
  async markSeen(id: Uint8Array, at: number, options: FreshOptions = {}): Promise<void> {
    checkU64(at, 'a seen time')
    const key = this.keys.seen(id)
    const stored = options.fresh === true ? undefined : await this.store.get(key)
    if (stored !== undefined) {
      const previous = decodeNumber(stored, 'seen entry')
      if (previous >= at) {
        return
      }
      this.store.del(this.keys.seenByTime(previous, id))
    }
    this.store.put(key, encodeNumber(at, 'a seen time'))
    this.store.put(this.keys.seenByTime(at, id), MARKER)
  }

  /**
   * Forgets IDs last seen before `before` (the client passes now - DEDUP_RETENTION_MS), oldest first,
   * at most `limit` (≤ MAX_PRUNE_PER_CALL) per call.
   */
  async prune(before: number, limit = MAX_PRUNE_PER_CALL): Promise<PruneResult> {
    checkU64(before, 'a prune bound')
    const max = checkLimit(limit, MAX_PRUNE_PER_CALL)
    const prefix = this.keys.prefix(TAG.seenByTime)
    const due: Uint8Array[] = []
    let more = false
    for await (const [key] of this.store.entries({
      gte: prefix,
      lt: this.keys.prefix(TAG.seenByTime, u64(before)),
    })) {
      if (due.length >= max) {
        more = true
        break
      }
      due.push(key)
    }
    const at = prefix.byteLength + 8
    for (const key of due) {
      this.store.del(key)
      this.store.del(this.keys.seen(copyBytes(key, at, at + CLIENT_ID_BYTES)))
    }
    return { removed: due.length, more }
  }
}

// ------------------------------------------------------------------------------ events

export class EventsReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  /** Committed events with a cursor greater than `cursor` (0: from the start), in cursor order. */
  async since(cursor: number, limit: number): Promise<StoredEvent[]> {
    checkU64(cursor, 'a cursor')
    const max = checkLimit(limit, MAX_EVENT_PAGE)
    const prefix = this.keys.prefix(TAG.event)
    const out: StoredEvent[] = []
    if (max === 0) {
      return out
    }
    for await (const [key, value] of this.source.entries({
      gt: this.keys.event(cursor),
      lt: upperBound(prefix),
    })) {
      const event = decodeEvent(value)
      out.push({
        cursor: readU64(key, prefix.byteLength, 'event key'),
        type: event.type,
        payload: event.payload,
      })
      if (out.length >= max) {
        break
      }
    }
    return out
  }

  /** The cursor of the newest committed event, 0 when there is none. */
  async latest(): Promise<number> {
    const prefix = this.keys.prefix(TAG.event)
    for await (const [key] of this.source.entries({ gte: prefix, lt: upperBound(prefix), reverse: true })) {
      return readU64(key, prefix.byteLength, 'event key')
    }
    return 0
  }
}

/**
 * The unit's side of the log: `append` buffers an event; the cursor is assigned when the unit commits
 * (in commit order, so a reader that resumes from a cursor never skips an event committed later with a
 * smaller one) and returned by `commit()`. `since` and `latest` read committed events only; `pending()`
 * shows this unit's own.
 */
export class EventsView extends EventsReader {
  readonly #drafts: EventDraft[] = []
  readonly #check: () => void

  constructor(keys: ClientKeys, committed: Source, check: () => void) {
    super(keys, committed)
    this.#check = check
  }

  async append(type: string, payload: Uint8Array): Promise<void> {
    this.#check()
    // encoding checks the bounds now, so commit cannot fail on a bad event
    encodeEvent({ type, payload })
    this.#drafts.push({ type, payload: payload.slice() })
  }

  /** This unit's events, in append order, without cursors yet. */
  pending(): EventDraft[] {
    return this.#drafts.map((d) => ({ type: d.type, payload: d.payload.slice() }))
  }

  /** For the unit: the drafts themselves. */
  get drafts(): readonly EventDraft[] {
    return this.#drafts
  }
}

// ------------------------------------------------------------------------------ held

export class HeldReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  /** The envelopes held for one sender device and distribution, in the order they were added. */
  async list(sender: DeviceAddress, distributionId: Uint8Array): Promise<Uint8Array[]> {
    return (await this.entries(sender, distributionId)).map((e) => e.envelope)
  }

  /** How many envelopes are held for this sender device, over all its distributions. */
  async count(sender: DeviceAddress): Promise<number> {
    const prefix = this.keys.prefix(TAG.held, addressPart(sender))
    let n = 0
    for await (const _entry of this.source.entries({ gte: prefix, lt: upperBound(prefix) })) {
      n++
    }
    return n
  }

  protected async entries(
    sender: DeviceAddress,
    distributionId: Uint8Array,
  ): Promise<Array<{ key: Uint8Array; envelope: Uint8Array }>> {
    checkId(distributionId, 'a distribution ID')
    const prefix = this.keys.prefix(TAG.held, addressPart(sender), distributionId)
    const out: Array<{ key: Uint8Array; envelope: Uint8Array }> = []
    for await (const [key, value] of this.source.entries({ gte: prefix, lt: upperBound(prefix) })) {
      out.push({ key, envelope: decodeHeld(value) })
    }
    return out
  }
}

export class HeldView extends HeldReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /**
   * Holds a group envelope until the sender's key for this distribution arrives. Throws HeldLimitError
   * (adding nothing) when MAX_HELD_PER_SENDER envelopes of this sender device are held already.
   */
  async add(sender: DeviceAddress, distributionId: Uint8Array, envelope: Uint8Array): Promise<void> {
    checkId(distributionId, 'a distribution ID')
    const value = encodeHeld(envelope)
    if ((await this.count(sender)) >= MAX_HELD_PER_SENDER) {
      throw new HeldLimitError(
        `${MAX_HELD_PER_SENDER} group envelopes of this sender device are held already`,
        MAX_HELD_PER_SENDER,
      )
    }
    const prefix = this.keys.prefix(TAG.held, addressPart(sender), distributionId)
    let seq = 0
    for await (const [key] of this.store.entries({ gte: prefix, lt: upperBound(prefix), reverse: true })) {
      seq = readU64(key, prefix.byteLength, 'held key') + 1
      break
    }
    this.store.put(this.keys.held(sender, distributionId, seq), value)
  }

  /** The held envelopes of one sender device and distribution, removed from the store. */
  async take(sender: DeviceAddress, distributionId: Uint8Array): Promise<Uint8Array[]> {
    const entries = await this.entries(sender, distributionId)
    for (const { key } of entries) {
      this.store.del(key)
    }
    return entries.map((e) => e.envelope)
  }
}
