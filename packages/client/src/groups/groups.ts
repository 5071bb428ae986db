/**
 * Groups, as the messenger offers them: create, add and remove members (admins), leave, send, list.
 * Every membership change is a group-control message over the pairwise sessions to every member
 * device (and this account's other devices), carrying a new envelope key for those who remain; a
 * message is encrypted once (sender keys), published on the group's gossip topic for online members
 * and deposited once per relay for the others (delivery.ts).
 *
 * Owns: the group API and how its parts (members, send, receive, delivery, mesh) fit. Must not know:
 * platform details.
 */
import {
  accountIdFromKey,
  type CryptoContext,
  constantTimeEqual,
  type LocalDevice,
  toHex,
} from '@ferry/crypto'
import type { AccountRecord, ClientStore, ContactRecord, GroupRecord, RecipientStatus } from '@ferry/storage'
import { MAX_GROUP_MEMBERS, MAX_GROUP_NAME_BYTES } from '@ferry/wire'
import { GROUP_RECEIPT_WAIT_MS, MAX_MESSAGE_TEXT_BYTES, SEND_COVER_TIMEOUT_MS } from '../constants.js'
import type { Courier } from '../courier.js'
import { type DeviceTarget, type Directory, deviceKey } from '../directory.js'
import {
  GroupChangedError,
  InvalidArgumentError,
  NotGroupAdminError,
  NotGroupMemberError,
  UnknownGroupError,
} from '../errors.js'
import type { Log } from '../log.js'
import type { Network } from '../network.js'
import type { Outbound } from '../outbound.js'
import type { StateQueue } from '../state-queue.js'
import { GroupChanges } from './changes.js'
import { GroupDelivery } from './delivery.js'
import type { Members } from './members.js'
import { Mesh } from './mesh.js'
import type { GroupReceiver } from './receive.js'
import { prepareGroupMessage } from './send.js'
import { isAdmin, isMember } from './state.js'
import { type GroupInfo, type GroupSendResult, groupIdOf, groupInfoOf, summarise } from './views.js'

export interface GroupsInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly directory: Directory
  readonly outbound: Outbound
  readonly courier: Courier
  readonly members: Members
  readonly receiver: () => GroupReceiver
  readonly network: () => Network | undefined
  readonly local: () => LocalDevice
  readonly account: () => AccountRecord
  /** A contact by account ID, invite or name (UnknownContactError otherwise). */
  readonly contact: (who: string) => Promise<ContactRecord>
  /** Runs a state change that may hit a changed identity key (recorded as an event, rethrown). */
  readonly recordingIdentityChanges: <T>(work: () => Promise<T>) => Promise<T>
  /** Envelopes that arrived over gossip go to the receive path. */
  readonly receive: (envelopeId: Uint8Array, payload: Uint8Array) => Promise<unknown>
  readonly log: Log
}

export class Groups {
  readonly #init: GroupsInit
  readonly #changes: GroupChanges
  readonly delivery: GroupDelivery
  readonly mesh: Mesh

  constructor(init: GroupsInit) {
    this.#init = init
    this.#changes = new GroupChanges({
      context: init.context,
      queue: init.queue,
      outbound: init.outbound,
      courier: init.courier,
      members: init.members,
      receiver: init.receiver,
      network: init.network,
      account: init.account,
      recordingIdentityChanges: init.recordingIdentityChanges,
      sync: () => this.sync(),
      log: init.log,
    })
    this.delivery = new GroupDelivery({
      store: init.store,
      queue: init.queue,
      courier: init.courier,
      members: init.members,
      network: init.network,
      self: () => init.local().address,
      now: init.context.now,
      log: init.log,
    })
    this.mesh = new Mesh({
      context: init.context,
      members: init.members,
      network: init.network,
      self: () => init.local().address,
      onEnvelope: (message) => {
        init.receive(message.envelopeId, message.envelope).catch((err: unknown) => {
          init.log('a group envelope from gossip was not processed: %s', (err as Error).message)
        })
      },
      log: init.log,
    })
  }

  /** Joins the topics of this device's groups and keeps their meshes up. */
  async start(): Promise<void> {
    this.mesh.start()
    await this.sync()
  }

  stop(): void {
    this.mesh.stop()
  }

  /** After a group changed: subscriptions and keys in line with the store. */
  async sync(): Promise<void> {
    await this.mesh.sync(await this.#init.store.groups.list()).catch((err: unknown) => {
      this.#init.log('group topics could not be synced: %s', (err as Error).message)
    })
  }

  // ------------------------------------------------------------------ queries

  async list(): Promise<GroupInfo[]> {
    const self = this.#init.account().accountKey
    return (await this.#init.store.groups.list()).map((g) =>
      groupInfoOf(g, self, this.mesh.online(g.groupId)),
    )
  }

  async info(ref: string): Promise<GroupInfo> {
    const group = await this.record(ref)
    return groupInfoOf(group, this.#init.account().accountKey, this.mesh.online(group.groupId))
  }

  /** A group by ID (32 hex digits) or by name (a name shared by several groups is refused). */
  async record(ref: string): Promise<GroupRecord> {
    const id = groupIdOf(ref)
    if (id !== undefined) {
      const byId = await this.#init.store.groups.get(id)
      if (byId !== undefined) {
        return byId
      }
    }
    const all = await this.#init.store.groups.list()
    const named = all.filter((g) => g.name === ref && !g.left)
    const matches = named.length > 0 ? named : all.filter((g) => g.name === ref)
    if (matches.length > 1) {
      throw new InvalidArgumentError('several groups have that name: use the group ID')
    }
    const found = matches[0]
    if (found === undefined) {
      throw new UnknownGroupError('no group with that ID or name')
    }
    return found
  }

  // ------------------------------------------------------------------ membership

  async create(
    name: string,
    who: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<GroupInfo> {
    checkName(name)
    const account = this.#init.account()
    const added = await this.#resolve(who, [account.accountKey])
    const { provider, now } = this.#init.context
    const after: GroupRecord = {
      groupId: provider.randomBytes(16),
      name,
      revision: 1,
      members: [
        { accountKey: account.accountKey, admin: true },
        ...added.map((c) => ({ accountKey: c.accountKey, admin: false })),
      ],
      keys: [this.#newKey()],
      createdAt: now(),
      left: false,
      distributedTo: [],
    }
    const targets = (await this.#init.members.targets(after, options)).targets
    await this.#changes.apply(
      {
        action: 'create',
        before: undefined,
        after,
        subjects: added.map((c) => c.accountKey),
        withKey: targets,
        withoutKey: [],
        introduce: targets.filter((t) => !constantTimeEqual(t.address.accountKey, account.accountKey)),
        rotate: false,
      },
      options,
    )
    return this.info(toHex(after.groupId))
  }

  async add(ref: string, who: readonly string[], options: { signal?: AbortSignal } = {}): Promise<GroupInfo> {
    const before = await this.#adminRecord(ref)
    const added = await this.#resolve(
      who,
      before.members.map((m) => m.accountKey),
    )
    if (before.members.length + added.length > MAX_GROUP_MEMBERS) {
      throw new InvalidArgumentError(`a group has at most ${MAX_GROUP_MEMBERS} members`)
    }
    const after: GroupRecord = {
      ...before,
      revision: before.revision + 1,
      members: [...before.members, ...added.map((c) => ({ accountKey: c.accountKey, admin: false }))],
      keys: [this.#newKey(), ...before.keys],
    }
    const targets = (await this.#init.members.targets(after, options)).targets
    const isNew = (t: DeviceTarget) =>
      added.some((c) => constantTimeEqual(c.accountKey, t.address.accountKey))
    await this.#changes.apply(
      {
        action: 'add',
        before,
        after,
        subjects: added.map((c) => c.accountKey),
        withKey: targets,
        withoutKey: [],
        introduce: targets.filter(isNew),
        rotate: false,
      },
      options,
    )
    return this.info(toHex(after.groupId))
  }

  async remove(ref: string, who: string, options: { signal?: AbortSignal } = {}): Promise<GroupInfo> {
    const before = await this.#adminRecord(ref)
    const account = this.#init.account()
    const removed = (await this.#init.contact(who)).accountKey
    if (constantTimeEqual(removed, account.accountKey)) {
      throw new InvalidArgumentError('use leaveGroup to leave a group')
    }
    if (!isMember(before.members, removed)) {
      throw new InvalidArgumentError('that account is not a member of the group')
    }
    const after: GroupRecord = {
      ...before,
      revision: before.revision + 1,
      members: before.members.filter((m) => !constantTimeEqual(m.accountKey, removed)),
      keys: [this.#newKey(), ...before.keys],
      distributedTo: [],
    }
    const all = (await this.#init.members.targets(before, options)).targets
    const gone = (t: DeviceTarget) => constantTimeEqual(t.address.accountKey, removed)
    await this.#changes.apply(
      {
        action: 'remove',
        before,
        after,
        subjects: [removed],
        withKey: all.filter((t) => !gone(t)),
        withoutKey: all.filter(gone),
        introduce: [],
        rotate: true,
      },
      options,
    )
    return this.info(toHex(after.groupId))
  }

  /**
   * Leaves a group. The last admin first makes the longest-standing other member an admin, so the
   * group keeps someone who can change it.
   */
  async leave(ref: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    let before = await this.record(ref)
    const account = this.#init.account()
    if (before.left) {
      return
    }
    const others = before.members.filter((m) => !constantTimeEqual(m.accountKey, account.accountKey))
    const targets = (await this.#init.members.targets(before, options)).targets
    if (others.length > 0 && !others.some((m) => m.admin)) {
      const heir = others[0]!
      const promoted: GroupRecord = {
        ...before,
        revision: before.revision + 1,
        members: before.members.map((m) =>
          constantTimeEqual(m.accountKey, heir.accountKey) ? { ...m, admin: true } : m,
        ),
      }
      await this.#changes.apply(
        {
          action: 'set-admin',
          before,
          after: promoted,
          subjects: [heir.accountKey],
          withKey: targets,
          withoutKey: [],
          introduce: [],
          rotate: false,
        },
        options,
      )
      before = promoted
    }
    await this.#changes.apply(
      {
        action: 'leave',
        before,
        after: {
          ...before,
          revision: before.revision + 1,
          members: others.map((m) => ({ ...m })),
          left: true,
        },
        subjects: [account.accountKey],
        withKey: [],
        withoutKey: targets,
        introduce: [],
        rotate: false,
      },
      options,
    )
  }

  // ------------------------------------------------------------------ messages

  /**
   * Sends a text to every member device: published on the group's topic at once, deposited on relays
   * for the devices that have not confirmed it after GROUP_RECEIPT_WAIT_MS. Resolves once every device
   * is covered (confirmed, or held by a relay) or after SEND_COVER_TIMEOUT_MS, with the receipts.
   */
  async send(ref: string, text: string, options: { signal?: AbortSignal } = {}): Promise<GroupSendResult> {
    if (new TextEncoder().encode(text).byteLength > MAX_MESSAGE_TEXT_BYTES) {
      throw new InvalidArgumentError(`a message is at most ${MAX_MESSAGE_TEXT_BYTES} bytes of UTF-8`)
    }
    const { context, outbound, courier, queue } = this.#init
    let prepared: Awaited<ReturnType<typeof prepareGroupMessage>> | undefined
    let groupId: Uint8Array | undefined
    let targets: readonly DeviceTarget[] = []
    for (let attempt = 0; prepared === undefined; attempt++) {
      const group = await this.record(ref)
      if (group.left) {
        throw new NotGroupMemberError('this account is not a member of that group')
      }
      groupId = group.groupId
      ;({ targets } = await this.#init.members.targets(group, options))
      const holders = new Set(group.distributedTo.map(deviceKey))
      const bundles = await outbound.claimBundles(
        targets.filter((t) => !holders.has(deviceKey(t.address))),
        options,
      )
      try {
        prepared = await this.#init.recordingIdentityChanges(async () => {
          const { value } = await queue.run((unit) =>
            prepareGroupMessage(unit, {
              context,
              outbound,
              local: this.#init.local(),
              group,
              targets,
              bundles,
              text,
              depositAt: context.now() + GROUP_RECEIPT_WAIT_MS,
            }),
          )
          return value
        })
      } catch (err) {
        if (!(err instanceof GroupChangedError) || attempt >= 2) {
          throw err
        }
      }
    }
    courier.kick()
    await this.delivery.publish(groupId!, prepared)
    // covered: every member device confirmed it, or a relay holds it for it
    const statusOf = async (): Promise<Map<string, RecipientStatus['status']>> => {
      const record = await this.#init.store.messages.get(prepared!.messageId)
      return new Map((record?.recipients ?? []).map((r) => [deviceKey(r.device), r.status]))
    }
    const deadline = AbortSignal.timeout(SEND_COVER_TIMEOUT_MS)
    await courier.waitUntil(
      prepared.messageId,
      async () => {
        const statuses = await statusOf()
        return targets.every((t) => (statuses.get(deviceKey(t.address)) ?? 'pending') !== 'pending')
      },
      options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]),
    )
    const statuses = await statusOf()
    const recipients = targets.map((t) => ({
      device: t.address,
      status: statuses.get(deviceKey(t.address)) ?? ('pending' as const),
    }))
    return {
      id: toHex(prepared.messageId),
      group: toHex(groupId!),
      receipts: summarise(recipients),
      devices: recipients.map((r) => ({
        account: accountIdFromKey(r.device.accountKey),
        device: r.device.deviceId,
        status: r.status,
      })),
    }
  }

  // ------------------------------------------------------------------ internals

  /** Commits a change made on this device and sends it to the member devices. */
  async #adminRecord(ref: string): Promise<GroupRecord> {
    const group = await this.record(ref)
    if (group.left) {
      throw new NotGroupMemberError('this account is not a member of that group')
    }
    if (!isAdmin(group.members, this.#init.account().accountKey)) {
      throw new NotGroupAdminError("only the group's admins change its members")
    }
    return group
  }

  /** Contacts named by `who`, without duplicates and without the accounts in `exclude`. */
  async #resolve(who: readonly string[], exclude: readonly Uint8Array[]): Promise<ContactRecord[]> {
    if (who.length === 0) {
      throw new InvalidArgumentError('name at least one member')
    }
    if (who.length > MAX_GROUP_MEMBERS) {
      throw new InvalidArgumentError(`a group has at most ${MAX_GROUP_MEMBERS} members`)
    }
    const out: ContactRecord[] = []
    for (const name of who) {
      const contact = await this.#init.contact(name)
      if (exclude.some((e) => constantTimeEqual(e, contact.accountKey))) {
        if (constantTimeEqual(contact.accountKey, this.#init.account().accountKey)) {
          continue
        }
        throw new InvalidArgumentError('that account is a member already')
      }
      if (!out.some((c) => constantTimeEqual(c.accountKey, contact.accountKey))) {
        out.push(contact)
      }
    }
    if (out.length === 0) {
      throw new InvalidArgumentError('name at least one member besides this account')
    }
    return out
  }

  #newKey(): { keyId: number; key: Uint8Array } {
    const { provider } = this.#init.context
    const id = provider.randomBytes(4)
    return {
      keyId: new DataView(id.buffer, id.byteOffset, 4).getUint32(0),
      key: provider.randomBytes(32),
    }
  }
}

function checkName(name: string): void {
  if (name.length === 0 || new TextEncoder().encode(name).byteLength > MAX_GROUP_NAME_BYTES) {
    throw new InvalidArgumentError(`a group name is 1 to ${MAX_GROUP_NAME_BYTES} bytes of UTF-8`)
  }
}
