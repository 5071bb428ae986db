/**
 * Groups, as the messenger offers them: create, add and remove members (admins), leave, send, list.
 * Every membership change is a group-control message over the pairwise sessions to every member
 * device (and this account's other devices), carrying a new envelope key for those who remain; a
 * message is encrypted once (sender keys), published on the group's gossip topic for online members
 * and deposited once per relay for the others (delivery.ts).
 *
 * Owns: the group API and how its parts (membership, changes, members, send, receive, delivery, mesh)
 * fit. Must not know: platform details.
 */
import { accountIdFromKey, type CryptoContext, type LocalDevice, toHex } from '@ferry/crypto'
import type { AccountRecord, ClientStore, ContactRecord, GroupRecord, RecipientStatus } from '@ferry/storage'
import { GROUP_RECEIPT_WAIT_MS } from '../constants.js'
import { type Courier, coverDeadline } from '../courier.js'
import { type DeviceTarget, deviceKey } from '../directory.js'
import { GroupChangedError, InvalidArgumentError, NotGroupMemberError, UnknownGroupError } from '../errors.js'
import type { Log } from '../log.js'
import { checkMessageText } from '../messages.js'
import type { Network } from '../network.js'
import type { Outbound } from '../outbound.js'
import type { StateQueue } from '../state-queue.js'
import { GroupChanges } from './changes.js'
import { GroupDelivery } from './delivery.js'
import type { Members } from './members.js'
import { Membership } from './membership.js'
import { Mesh } from './mesh.js'
import type { GroupReceiver } from './receive.js'
import { prepareGroupMessage } from './send.js'
import { type GroupInfo, type GroupSendResult, groupIdOf, groupInfoOf, summarise } from './views.js'

export interface GroupsInit {
  readonly context: CryptoContext
  /** The time for a message record (record-clock.ts): later than the one before. */
  readonly recordTime: () => number
  readonly store: ClientStore
  readonly queue: StateQueue
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
  readonly #membership: Membership
  readonly delivery: GroupDelivery
  readonly mesh: Mesh

  constructor(init: GroupsInit) {
    this.#init = init
    const changes = new GroupChanges({
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
    this.#membership = new Membership({
      context: init.context,
      members: init.members,
      changes,
      account: init.account,
      contact: init.contact,
      record: (ref) => this.record(ref),
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
    return this.info(toHex(await this.#membership.create(name, who, options)))
  }

  async add(ref: string, who: readonly string[], options: { signal?: AbortSignal } = {}): Promise<GroupInfo> {
    return this.info(toHex(await this.#membership.add(ref, who, options)))
  }

  async remove(ref: string, who: string, options: { signal?: AbortSignal } = {}): Promise<GroupInfo> {
    return this.info(toHex(await this.#membership.remove(ref, who, options)))
  }

  /** Leaves a group (the last admin first hands its role on: membership.ts). */
  async leave(ref: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#membership.leave(ref, options)
  }

  // ------------------------------------------------------------------ messages

  /**
   * Sends a text to every member device: published on the group's topic at once, deposited on relays
   * for the devices that have not confirmed it after GROUP_RECEIPT_WAIT_MS. Resolves once every device
   * is covered (confirmed, or held by a relay) or after SEND_COVER_TIMEOUT_MS, with the receipts.
   */
  async send(ref: string, text: string, options: { signal?: AbortSignal } = {}): Promise<GroupSendResult> {
    checkMessageText(text)
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
              recordTime: this.#init.recordTime,
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
    await courier.waitUntil(
      prepared.messageId,
      async () => {
        const statuses = await statusOf()
        return targets.every((t) => (statuses.get(deviceKey(t.address)) ?? 'pending') !== 'pending')
      },
      coverDeadline(options.signal),
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
}
