/**
 * A device's whole state in one abstract-level database: `openClientStore(db)` checks the format,
 * recovers the event counter, and gives units of work (all writes) and readers that go straight to
 * the database (queries for the UI and CLI). Owns the order of closing: commits in flight finish,
 * then the database closes. After a failed write the database's recovery (../recovery.ts) may close
 * and open it again while the store stays open; the store then forgets its read cache and makes the
 * units prepared before the close stale.
 */
import { type Database, Keyspace, openDatabase, upperBound } from '../database.js'
import { StoreClosedError } from '../errors.js'
import { checkFormatVersion, FORMAT_TAG } from '../format.js'
import { type RecoveryInit, type RecoveryStats, recoveryOf } from '../recovery.js'
import { AccountReader, ContactsReader } from './account-views.js'
import { Committer } from './committer.js'
import { CLIENT_FORMAT_VERSION, CLIENT_SUBLEVEL, MAX_PRUNE_PER_CALL } from './constants.js'
import { GroupsReader } from './group-views.js'
import { InFlight } from './in-flight.js'
import { ClientKeys, TAG } from './keys.js'
import { EventsReader, HeldReader, InboxReader } from './log-views.js'
import { MessagesReader } from './message-views.js'
import { OutboxReader } from './outbox-views.js'
import { ReadCache } from './read-cache.js'
import { ReceiptsOwedReader } from './receipt-views.js'
import { decodeNumber } from './records-log.js'
import { DatabaseSource } from './source.js'
import type { PruneResult } from './types.js'
import { ClientUnit } from './unit.js'

export class ClientStore {
  /** Readers of committed data (no unit needed). */
  readonly account: AccountReader
  readonly contacts: ContactsReader
  readonly messages: MessagesReader
  readonly outbox: OutboxReader
  readonly inbox: InboxReader
  readonly events: EventsReader
  readonly held: HeldReader
  readonly groups: GroupsReader
  readonly receiptsOwed: ReceiptsOwedReader
  /** Reads answered from the read cache, and those that went to the database. */
  readonly readCacheStats: { readonly hits: number; readonly misses: number }

  readonly #db: Database
  readonly #ks: Keyspace
  readonly #keys: ClientKeys
  readonly #committed: DatabaseSource
  readonly #latest: InFlight
  readonly #committer: Committer
  readonly #stopRecovery: () => void
  #closing: Promise<void> | undefined

  private constructor(db: Database, ks: Keyspace, lastCursor: number) {
    this.#db = db
    this.#ks = ks
    // every write goes through the committer, so a read cache in front of committed data stays right
    this.#keys = new ClientKeys(ks)
    const cache = new ReadCache([this.#keys.prefix(TAG.contact)])
    this.readCacheStats = cache.stats
    this.#committed = new DatabaseSource(
      ks,
      () => {
        if (this.#closing !== undefined) {
          throw new StoreClosedError('the client store is closed')
        }
      },
      cache,
    )
    this.#latest = new InFlight(this.#committed)
    this.#committer = new Committer(db, ks.recovery, this.#keys, lastCursor, cache, this.#latest)
    const committer = this.#committer
    this.#stopRecovery = ks.recovery.onClose(() => {
      cache.invalidate()
      committer.closing()
    })
    const keys = this.#keys
    const source = this.#committed
    this.account = new AccountReader(keys, source)
    this.contacts = new ContactsReader(keys, source)
    this.messages = new MessagesReader(keys, source)
    this.outbox = new OutboxReader(keys, source)
    this.inbox = new InboxReader(keys, source)
    this.events = new EventsReader(keys, source)
    this.held = new HeldReader(keys, source)
    this.groups = new GroupsReader(keys, source)
    this.receiptsOwed = new ReceiptsOwedReader(keys, source)
  }

  /** See `openClientStore`. */
  static async open(db: Database, init: ClientStoreInit = {}): Promise<ClientStore> {
    await openDatabase(db)
    recoveryOf(db, init.recovery ?? {})
    try {
      const ks = new Keyspace(db, CLIENT_SUBLEVEL)
      await checkFormatVersion(db, ks, CLIENT_FORMAT_VERSION, 'client store')
      const keys = new ClientKeys(ks)
      const source = new DatabaseSource(ks, () => {})
      const counter = await source.get(keys.eventCounter())
      const fromCounter = counter === undefined ? 0 : decodeNumber(counter, 'event counter')
      // the counter and the events are written in the same batch; the newest event is a second witness
      const fromLog = await new EventsReader(keys, source).latest()
      return new ClientStore(db, ks, Math.max(fromCounter, fromLog))
    } catch (err) {
      await db.close().catch(() => {})
      throw err
    }
  }

  /**
   * A new unit of work. Throws StoreClosedError once `close()` was called. It reads the writes of units
   * committed before it that are still being written, unless `durable` is set: then it reads only what
   * is on disk (for a look whose answer leads to network I/O, such as what to upload or claim).
   */
  unit(options: { durable?: boolean } = {}): ClientUnit {
    if (this.#closing !== undefined) {
      throw new StoreClosedError('the client store is closed')
    }
    return new ClientUnit({
      keys: this.#keys,
      committed: this.#committed,
      latest: options.durable === true ? this.#committed : this.#latest,
      committer: this.#committer,
      isOpen: () => this.#closing === undefined,
    })
  }

  /**
   * Forgets dedup entries last seen before `before` (pass now - DEDUP_RETENTION_MS) in one unit of its
   * own; call again while `more`.
   */
  async pruneInbox(before: number, limit = MAX_PRUNE_PER_CALL): Promise<PruneResult> {
    const unit = this.unit()
    try {
      const result = await unit.inbox.prune(before, limit)
      await unit.commit()
      return result
    } finally {
      unit.discard()
    }
  }

  /**
   * True when the store holds nothing but its format header: never initialised. A store that is not
   * empty but has no account lost data (evicted or damaged, FAULTS 38): the device must be re-linked,
   * never silently given a new identity.
   */
  async isEmpty(): Promise<boolean> {
    const prefix = this.#ks.prefix
    const format = this.#ks.key(FORMAT_TAG)
    for await (const [key] of this.#committed.entries({ gte: prefix, lt: upperBound(prefix) })) {
      if (key.byteLength !== format.byteLength || key[prefix.byteLength] !== FORMAT_TAG[0]) {
        return false
      }
    }
    return true
  }

  /** What the database's recovery from failed writes did (../recovery.ts). */
  recoveryStats(): RecoveryStats {
    return this.#ks.recovery.stats()
  }

  /** Lets commits in flight finish, then closes the database (no reopen starts after this). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#committer.idle()
      this.#stopRecovery()
      await this.#ks.recovery.close()
      await this.#db.close()
    })()
    return this.#closing
  }
}

export interface ClientStoreInit {
  /**
   * Recovery from failed writes (../recovery.ts): its clock and the least time between reopen
   * attempts. Defaults: `performance.now`, DEFAULT_REOPEN_INTERVAL_MS.
   */
  recovery?: RecoveryInit
}

/**
 * Opens the client store in `db` (opening the database if needed): StoreLockedError when another
 * process holds the directory, StoreCorruptError for corrupt files, StoreVersionError for a store
 * written by newer code. The store owns the database from here on: `close()` closes it, and after a
 * failed write the store closes and opens it again by itself (see ClientStoreInit.recovery).
 */
export function openClientStore(db: Database, init?: ClientStoreInit): Promise<ClientStore> {
  return ClientStore.open(db, init)
}
