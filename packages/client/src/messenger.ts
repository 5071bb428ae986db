/**
 * The messenger facade: one object per device that ties the stores, the crypto layers and the
 * network together. `createMessenger` opens the store; `createAccount` (or linking) gives the device
 * an identity; `start` brings the network up (direct delivery, mailbox fetch with live push, pre-key
 * upkeep, the outbox courier); `send`, `history`, contacts, devices and events are the API apps use.
 *
 * Owns: the API and the lifecycle (start, stop, close, what every commit tells). The work is the
 * parts' (parts.ts): contacts.ts, messages.ts, devices.ts, groups/, upkeep.ts, inbound.ts, courier.ts.
 */
import { accountIdFromKey, type CryptoContext, getDefaultProvider } from '@ferry/crypto'
import { type AccountRecord, type ClientStore, openClientStore, type StoredEvent } from '@ferry/storage'
import { createHost as platformCreateHost } from '#platform'
import type { AbortOptions, MessengerInit, SendResult } from './api-types.js'
import { DeviceState } from './device-state.js'
import { RelinkRequiredError } from './errors.js'
import {
  decodeStoredEvent,
  EventHub,
  type MessengerEvent,
  type MessengerEventType,
  type StoredMessengerEvent,
} from './events.js'
import type { GroupInfo, GroupSendResult } from './groups/views.js'
import { type AccountInfo, accountInfoOf, peerKeyOf, relayAddrsOf } from './identity.js'
import type { ReceiveResult } from './inbound.js'
import { type Log, loggerFor } from './log.js'
import { Network } from './network.js'
import { assemble, type Parts } from './parts.js'
import { StateQueue } from './state-queue.js'
import type { Contact, Message } from './views.js'

export type { AbortOptions, MessengerInit, SendResult } from './api-types.js'

export class Messenger {
  readonly #init: MessengerInit
  readonly #context: CryptoContext
  readonly #store: ClientStore
  readonly #queue: StateQueue
  readonly #hub: EventHub
  readonly #log: Log
  readonly #state: DeviceState
  readonly #parts: Parts
  #stopping: AbortController | undefined

  constructor(
    init: MessengerInit,
    context: CryptoContext,
    store: ClientStore,
    account: AccountRecord | undefined,
  ) {
    this.#init = init
    this.#context = context
    this.#store = store
    this.#state = new DeviceState(account)
    this.#log = loggerFor(init.logger, 'messenger')
    this.#hub = new EventHub((err) => this.#log.error('an event listener threw: %s', (err as Error).message))
    this.#queue = new StateQueue(store, (events) => this.#committed(events))
    this.#parts = assemble({ init, context, store, queue: this.#queue, state: this.#state, hub: this.#hub })
  }

  // ------------------------------------------------------------------ account

  /** True once this device has an account (created here or linked). */
  get hasAccount(): boolean {
    return this.#state.account !== undefined
  }

  /** Creates a new account with this device as its primary, using the given relays (multiaddrs). */
  async createAccount(options: { relays: readonly string[] }): Promise<AccountInfo> {
    return this.#parts.devices.createAccount(options.relays)
  }

  /** This device's account: its ID, device number, invite link and relays. */
  account(): AccountInfo {
    return accountInfoOf(this.#state.requireAccount())
  }

  // ------------------------------------------------------------------ lifecycle

  get started(): boolean {
    return this.#state.network !== undefined
  }

  /** Starts the network: direct delivery, mailbox fetch with live push, pre-keys, the outbox. */
  async start(): Promise<void> {
    if (this.#state.network !== undefined) {
      return
    }
    const { courier, devices, directory, groups, inbound, upkeep } = this.#parts
    const account = this.#state.requireAccount()
    const stopping = new AbortController()
    const createHost = this.#init.createHost ?? platformCreateHost
    const host = await createHost({
      privateKey: peerKeyOf(account),
      listen: this.#init.listen,
      relays: relayAddrsOf(account),
      onEnvelope: async (envelope) => {
        await inbound.receive(envelope.envelopeId, envelope.payload)
      },
      onLinkRequest: (request, peers) => devices.handleLinkRequest(request, peers),
      logger: this.#init.logger,
    })
    this.#stopping = stopping
    this.#state.network = new Network(host)
    const own = await directory.known(account.accountKey, account.deviceList?.signed)
    if (own !== undefined) {
      directory.remember(own)
    }
    upkeep.fetch(account, stopping.signal)
    courier.start()
    inbound.start()
    await groups.start()
    // ready means reachable: the device list and pre-keys are on the relays (or the attempt failed)
    await upkeep.publish(stopping.signal)
  }

  /**
   * Resolves once the outbox holds nothing that is due and not yet attempted: whatever was queued so
   * far (copies to this account's other devices, receipts, sender keys, announcements) was handed to
   * its device or its relays, or waits for a retry. A process that runs the messenger for one task
   * drains (bounded by `signal`) before it stops. Resolves false when `signal` aborts or the messenger
   * stops first.
   */
  async drain(options: AbortOptions = {}): Promise<boolean> {
    this.#state.requireStarted()
    // delivery receipts owed so far go into the outbox now, not after their coalescing delay
    await this.#parts.inbound.sealOwedReceipts()
    return this.#parts.courier.drain(options.signal ?? new AbortController().signal)
  }

  /** Stops the network; queued state changes finish first. Idempotent. */
  async stop(): Promise<void> {
    const network = this.#state.network
    if (network === undefined) {
      return
    }
    this.#stopping?.abort()
    this.#parts.groups.stop()
    this.#parts.devices.closePairings()
    await this.#parts.inbound.stop()
    await this.#parts.courier.stop()
    await this.#queue.idle()
    this.#state.network = undefined
    await network.stop()
    await this.#parts.upkeep.stopped()
  }

  /** Stops and closes the store. */
  async close(): Promise<void> {
    await this.stop()
    await this.#store.close()
  }

  // ------------------------------------------------------------------ contacts

  /** Adds (or renames) a contact from an account ID or an invite link; fetches its device list. */
  async addContact(idOrInvite: string, options: { name?: string } & AbortOptions = {}): Promise<Contact> {
    return this.#parts.contacts.add(idOrInvite, options)
  }

  async contacts(): Promise<Contact[]> {
    return this.#parts.contacts.list()
  }

  /** A contact by account ID, invite link, or name. */
  async contact(who: string): Promise<Contact> {
    return this.#parts.contacts.get(who)
  }

  // ------------------------------------------------------------------ messages

  /**
   * Sends a text to a contact's devices and, as a sync transcript, to this account's other devices.
   * Resolves once every device is covered (a direct ack or a durable relay deposit) or after
   * SEND_COVER_TIMEOUT_MS, with the status per recipient device; the outbox keeps trying after that.
   */
  async send(to: string, text: string, options: AbortOptions = {}): Promise<SendResult> {
    return this.#parts.messages.send(to, text, options)
  }

  /** A conversation's messages, oldest first (the newest `limit`, or those before `before`). */
  async history(who: string, options: { limit?: number; before?: string } = {}): Promise<Message[]> {
    return this.#parts.messages.history(who, options)
  }

  /** One message and, for a message this device sent, the status per recipient device. */
  async status(id: string): Promise<Message | undefined> {
    return this.#parts.messages.status(id)
  }

  /** Sends read receipts for received messages (to the devices that sent them). */
  async markRead(ids: readonly string[]): Promise<void> {
    await this.#parts.messages.markRead(ids)
  }

  /** Tells a contact's online devices that this user started or stopped typing (never stored). */
  async typing(to: string, started: boolean): Promise<void> {
    await this.#parts.messages.typing(to, started)
  }

  // ------------------------------------------------------------------ groups

  /**
   * Creates a group with this account as its admin and the given contacts as members (account IDs,
   * invites or names). Every member device gets the group (and its envelope key) over its pairwise
   * session.
   */
  async createGroup(
    name: string,
    members: readonly string[],
    options: AbortOptions = {},
  ): Promise<GroupInfo> {
    this.#state.requireStarted()
    return this.#parts.groups.create(name, members, options)
  }

  /** Admins only: adds contacts to a group. They read what is sent from now on, nothing before. */
  async addMembers(
    group: string,
    members: readonly string[],
    options: AbortOptions = {},
  ): Promise<GroupInfo> {
    this.#state.requireStarted()
    return this.#parts.groups.add(group, members, options)
  }

  /**
   * Admins only: removes a member. Every remaining member device gets a new envelope key and every
   * remaining member rotates its sender key: the removed member reads nothing sent from now on.
   */
  async removeMember(group: string, member: string, options: AbortOptions = {}): Promise<GroupInfo> {
    this.#state.requireStarted()
    return this.#parts.groups.remove(group, member, options)
  }

  /** Leaves a group (on every device of this account). */
  async leaveGroup(group: string, options: AbortOptions = {}): Promise<void> {
    this.#state.requireStarted()
    await this.#parts.groups.leave(group, options)
  }

  /**
   * Sends a text to a group: encrypted once, published to the online member devices over gossipsub,
   * deposited once per relay for the others. Resolves with the receipts per member device, summed up.
   */
  async sendGroup(group: string, text: string, options: AbortOptions = {}): Promise<GroupSendResult> {
    this.#state.requireAccount()
    this.#state.requireStarted()
    return this.#parts.groups.send(group, text, options)
  }

  /** The groups this device is in (and those it left). */
  async groups(): Promise<GroupInfo[]> {
    this.#state.requireAccount()
    return this.#parts.groups.list()
  }

  /** One group, by ID (32 hex digits) or name. */
  async group(idOrName: string): Promise<GroupInfo> {
    this.#state.requireAccount()
    return this.#parts.groups.info(idOrName)
  }

  /**
   * Processes an envelope this device got some other way (a file, another app): the same path as
   * direct and relay deliveries (a sealed envelope or a group envelope, told apart by its first byte).
   * Resolves once what it changed is stored, with what became of it.
   */
  async receiveEnvelope(envelope: Uint8Array): Promise<ReceiveResult> {
    this.#state.requireAccount()
    return this.#parts.inbound.receive(this.#context.provider.randomBytes(16), envelope)
  }

  // ------------------------------------------------------------------ events

  /** Listens for events of one type, or '*' for all. Returns the function that stops listening. */
  on<T extends MessengerEventType | '*'>(
    type: T,
    listener: (
      event: T extends MessengerEventType ? Extract<MessengerEvent, { type: T }> : MessengerEvent,
    ) => void,
  ): () => void {
    return this.#hub.on(type, listener)
  }

  /** Stored events after `cursor` (exclusive), in order: resume where a reader left off. */
  async eventsSince(cursor: number, limit = 100): Promise<StoredMessengerEvent[]> {
    const out: StoredMessengerEvent[] = []
    for (const stored of await this.#store.events.since(cursor, limit)) {
      const event = decodeStoredEvent(stored)
      if (event !== undefined) {
        out.push(event)
      }
    }
    return out
  }

  /** The cursor of the newest stored event (0 when there is none). */
  async latestCursor(): Promise<number> {
    return this.#store.events.latest()
  }

  // ------------------------------------------------------------------ trust

  /** The safety number of this account and a contact: 60 digits and a QR payload, compared out of band. */
  async safetyNumber(who: string): Promise<{ digits: string; qr: Uint8Array }> {
    return this.#parts.contacts.safetyNumber(who)
  }

  /**
   * Accepts a contact's changed identity keys: the keys of its current device list, and those of any
   * message held because of the change (which is then delivered). Sending resumes.
   */
  async approveIdentity(who: string): Promise<void> {
    await this.#parts.contacts.approveIdentity(who)
  }

  // ------------------------------------------------------------------ devices

  /** This account's devices, from its device list. */
  async devices(): Promise<Array<{ deviceId: number; current: boolean; createdAt: number }>> {
    return this.#parts.devices.list()
  }

  /**
   * On the primary device: a pairing code (show it as text or QR to the new device) and a promise
   * that settles when a device has linked with it. `approve` is asked before anything is signed.
   */
  createPairing(
    options: { approve?: (request: { deviceId: number }) => Promise<boolean> } & AbortOptions = {},
  ): { code: string; completed: Promise<{ deviceId: number }> } {
    return this.#parts.devices.createPairing(options)
  }

  /**
   * On a fresh device: joins the account of the primary that showed `code`. The device gets its own
   * keys and mailboxes on the primary's relays; the primary certifies it and signs a new device list.
   */
  async linkDevice(code: string, options: AbortOptions = {}): Promise<AccountInfo> {
    return this.#parts.devices.link(code, options)
  }

  /**
   * On the primary device: removes a device from the account. A new device-list version without it
   * is signed, published and sent to contacts and this account's devices; nothing new is encrypted
   * to it, and its mailboxes get nothing more.
   */
  async removeDevice(deviceId: number, options: AbortOptions = {}): Promise<void> {
    await this.#parts.devices.remove(deviceId, options)
  }

  // ------------------------------------------------------------------ internals

  /** After every commit: reload the account when its device list changed, then tell listeners. */
  #committed(events: readonly StoredEvent[]): void {
    const decoded = events.map(decodeStoredEvent).filter((e): e is StoredMessengerEvent => e !== undefined)
    const own = this.#state.account
    const ownId = own === undefined ? undefined : accountIdFromKey(own.accountKey)
    if (decoded.some((e) => e.type === 'device-list' && e.account === ownId)) {
      void this.#store.account.get().then((account) => {
        if (account !== undefined) {
          this.#state.account = account
        }
      })
    }
    if (decoded.some((e) => e.type === 'device-list')) {
      this.#parts.members.invalidate()
    }
    if (decoded.some((e) => e.type === 'group')) {
      this.#parts.members.invalidate()
      void this.#parts.groups.sync()
    }
    for (const event of decoded) {
      this.#hub.emit(event)
    }
  }
}

/** Opens (or creates) a messenger over `init.db`. The network starts with `start()`. */
export async function createMessenger(init: MessengerInit): Promise<Messenger> {
  const provider = init.provider ?? (await getDefaultProvider())
  const context: CryptoContext = { provider, now: init.now ?? Date.now }
  const store = await openClientStore(
    init.db,
    init.freeBytes === undefined ? undefined : { recovery: { freeBytes: init.freeBytes } },
  )
  const account = await store.account.get()
  if (account === undefined && !(await store.isEmpty())) {
    await store.close()
    throw new RelinkRequiredError(
      "this device's store has data but no account (storage evicted or damaged): link the device again",
    )
  }
  return new Messenger(init, context, store, account)
}
