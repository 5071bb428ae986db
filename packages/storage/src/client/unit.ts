/**
 * A unit of work: every state change of one step (a decrypt and the message it yields, a send and its
 * outbox entries) made through views that read the unit's own pending writes, then committed as one
 * atomic durable batch, or discarded. Nothing reaches the database before `commit()`; a failed commit
 * writes nothing. A unit reads committed data and the writes of units committed before it that are
 * still being written (see in-flight.ts). Units are not isolated from each other beyond reading their own writes: the client
 * serialises the units that touch the same remote device or conversation.
 */
import { StoreClosedError } from '../errors.js'
import { AccountView, ContactsView } from './account-views.js'
import type { Committer } from './committer.js'
import { cryptoViews } from './crypto-views.js'
import { UnitClosedError } from './errors.js'
import { GroupsView } from './group-views.js'
import type { ClientKeys } from './keys.js'
import { EventsView, HeldView, InboxView } from './log-views.js'
import { MessagesView } from './message-views.js'
import { OutboxView } from './outbox-views.js'
import { Overlay } from './overlay.js'
import { ReceiptsOwedView } from './receipt-views.js'
import type { Source } from './source.js'
import type { CommitResult, CryptoStoreViews } from './types.js'

export interface UnitContext {
  readonly keys: ClientKeys
  /** Committed data. */
  readonly committed: Source
  /** Committed data with the writes of units handed to the committer laid over it (in-flight.ts). */
  readonly latest: Source
  readonly committer: Committer
  /** True while the store accepts commits. */
  readonly isOpen: () => boolean
}

export class ClientUnit {
  /** The crypto stores @ferry/crypto's session and group ciphers take (its `CryptoStores`). */
  readonly crypto: CryptoStoreViews
  readonly account: AccountView
  readonly contacts: ContactsView
  readonly messages: MessagesView
  readonly outbox: OutboxView
  readonly inbox: InboxView
  readonly events: EventsView
  readonly held: HeldView
  readonly groups: GroupsView
  /** Delivery receipts owed to the devices whose messages this device stored. */
  readonly receiptsOwed: ReceiptsOwedView

  readonly #context: UnitContext
  readonly #overlay: Overlay
  readonly #generation: number
  #state: 'open' | 'committing' | 'done' = 'open'

  constructor(context: UnitContext) {
    this.#context = context
    this.#generation = context.committer.generation
    const check = () => {
      if (this.#state !== 'open') {
        throw new UnitClosedError('this unit of work was committed or discarded')
      }
    }
    this.#overlay = new Overlay(context.latest, check)
    const { keys } = context
    this.crypto = cryptoViews(keys, this.#overlay)
    this.account = new AccountView(keys, this.#overlay)
    this.contacts = new ContactsView(keys, this.#overlay)
    this.messages = new MessagesView(keys, this.#overlay)
    this.outbox = new OutboxView(keys, this.#overlay)
    this.inbox = new InboxView(keys, this.#overlay)
    this.events = new EventsView(keys, context.committed, check)
    this.held = new HeldView(keys, this.#overlay)
    this.groups = new GroupsView(keys, this.#overlay)
    this.receiptsOwed = new ReceiptsOwedView(keys, this.#overlay)
  }

  /** True until `commit()` or `discard()`. */
  get open(): boolean {
    return this.#state === 'open'
  }

  /**
   * True once a batch committed before this unit failed: the unit may have read writes that will never
   * be stored, so its `commit()` throws UnitStaleError, and whatever it concluded from its reads (an
   * error included) should be worked out again in a fresh unit.
   */
  get stale(): boolean {
    return this.#generation !== this.#context.committer.generation
  }

  /**
   * Writes every change of the unit in one atomic, durable batch, assigning its events' cursors. Throws
   * StorageWriteError (or StoreCorruptError) and writes nothing when the batch fails; the unit is
   * finished either way. A unit without changes writes nothing and succeeds.
   */
  async commit(): Promise<CommitResult> {
    if (this.#state !== 'open') {
      throw new UnitClosedError('this unit of work was committed or discarded')
    }
    if (!this.#context.isOpen()) {
      this.#state = 'done'
      throw new StoreClosedError('the client store is closed')
    }
    this.#state = 'committing'
    try {
      const events = await this.#context.committer.commit(
        this.#overlay.operations(),
        this.events.drafts,
        this.#generation,
      )
      return { events }
    } finally {
      this.#state = 'done'
    }
  }

  /** Drops every change. Idempotent, and a no-op after `commit()`, so it fits a `finally` block. */
  discard(): void {
    if (this.#state === 'open') {
      this.#state = 'done'
    }
  }
}
