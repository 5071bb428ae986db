/**
 * The membership changes this device makes (create, add, remove, leave, promote): the new group
 * record committed together with the group-control messages to every device concerned (with the new
 * envelope key for those who remain, without it for a removed member), and this account's own device
 * list sent first to new members (an introduction, so they can reach it). Returns once every device
 * has the change or a relay holds it for it (bounded by SEND_COVER_TIMEOUT_MS).
 *
 * Owns: how a change is sent. Must not know: the membership rules (state.ts) beyond building a valid
 * change.
 */
import type { CryptoContext } from '@ferry/crypto'
import type { AccountRecord, GroupRecord } from '@ferry/storage'
import { Content, pad, type pb } from '@ferry/wire'
import { multiaddr } from '@multiformats/multiaddr'
import { MESSAGE_ID_BYTES } from '../constants.js'
import { type Courier, coverDeadline } from '../courier.js'
import type { DeviceTarget } from '../directory.js'
import { GroupChangedError } from '../errors.js'
import type { Log } from '../log.js'
import type { Network } from '../network.js'
import type { Outbound } from '../outbound.js'
import type { StateQueue } from '../state-queue.js'
import type { Members } from './members.js'
import type { GroupReceiver } from './receive.js'
import type { GroupAction } from './state.js'

export interface GroupChangesInit {
  readonly context: CryptoContext
  readonly queue: StateQueue
  readonly outbound: Pick<Outbound, 'claimBundles' | 'prepare'>
  readonly courier: Pick<Courier, 'kick' | 'waitDrained'>
  readonly members: Members
  readonly receiver: () => GroupReceiver
  readonly network: () => Network | undefined
  readonly account: () => AccountRecord
  readonly recordingIdentityChanges: <T>(work: () => Promise<T>) => Promise<T>
  /** Subscriptions in line with the store, after the change is committed. */
  readonly sync: () => Promise<void>
  readonly log: Log
}

export interface Change {
  readonly action: GroupAction
  /** The state before (undefined for a create). */
  readonly before: GroupRecord | undefined
  readonly after: GroupRecord
  readonly subjects: readonly Uint8Array[]
  /** Devices that get the new envelope key with the change. */
  readonly withKey: readonly DeviceTarget[]
  /** Devices told of the change without the key (a removed member's). */
  readonly withoutKey: readonly DeviceTarget[]
  /** New members' devices, sent this account's own device list first (so they can reach it). */
  readonly introduce: readonly DeviceTarget[]
  readonly rotate: boolean
}

export class GroupChanges {
  readonly #init: GroupChangesInit

  constructor(init: GroupChangesInit) {
    this.#init = init
  }

  async apply(change: Change, options: { signal?: AbortSignal }): Promise<void> {
    const { context, outbound, courier, queue } = this.#init
    const account = this.#init.account()
    const everyone = [...change.withKey, ...change.withoutKey]
    const bundles = await outbound.claimBundles(everyone, options)
    const control = (withKey: boolean): Uint8Array => {
      const key = change.after.keys[0]
      const body: pb.GroupControl = {
        groupId: change.after.groupId,
        revision: change.after.revision,
        action: ACTION_NAMES[change.action],
        name: change.after.name,
        members: change.after.members.map((m) => ({ accountKey: m.accountKey, admin: m.admin })),
        subjects: [...change.subjects],
        ...(withKey && key !== undefined ? { envelopeKey: key.key, envelopeKeyId: key.keyId } : {}),
      }
      return pad(
        Content.encode({
          messageId: context.provider.randomBytes(MESSAGE_ID_BYTES),
          sentAt: context.now(),
          groupControl: body,
        }),
      )
    }
    // what the change sends, by message ID: it returns once all of it is with its devices or relays
    const sent: Uint8Array[] = []
    const id = (): Uint8Array => {
      const messageId = context.provider.randomBytes(MESSAGE_ID_BYTES)
      sent.push(messageId)
      return messageId
    }
    await this.#init.recordingIdentityChanges(() =>
      queue.run(async (unit) => {
        sent.length = 0 // a job that runs again prepares everything again
        const current = await unit.groups.get(change.after.groupId)
        if ((current?.revision ?? 0) !== (change.before?.revision ?? 0)) {
          throw new GroupChangedError('the group changed meanwhile: try again')
        }
        await this.#init.receiver().commitChange(unit, change.after, {
          action: change.action,
          by: account.accountKey,
          subjects: change.subjects,
          rotate: change.rotate,
        })
        if (change.introduce.length > 0 && account.deviceList !== undefined) {
          const intro = pad(
            Content.encode({
              messageId: context.provider.randomBytes(MESSAGE_ID_BYTES),
              sentAt: context.now(),
              deviceListUpdate: { deviceList: account.deviceList.signed },
            }),
          )
          await outbound.prepare(unit, id(), change.introduce, intro, bundles)
        }
        if (change.withKey.length > 0) {
          await outbound.prepare(unit, id(), change.withKey, control(true), bundles)
        }
        if (change.withoutKey.length > 0) {
          await outbound.prepare(unit, id(), change.withoutKey, control(false), bundles)
        }
      }),
    )
    courier.kick()
    await this.#init.sync()
    if (change.action === 'create' || change.action === 'add') {
      void this.#publishLists(change.after, change.subjects)
    }
    await courier.waitDrained(sent, coverDeadline(options.signal))
  }

  /**
   * An admin puts the signed device lists of the members it added on its own relays, so that every
   * member can find every other there (a relay checks the signature; members check it again).
   */
  async #publishLists(group: GroupRecord, accounts: readonly Uint8Array[]): Promise<void> {
    const network = this.#init.network()
    if (network === undefined) {
      return
    }
    const relays = this.#init.account().mailboxes.map((m) => m.relayAddrs.map((a) => multiaddr(a)))
    for (const accountKey of accounts) {
      const list = await this.#init.members.listOf(accountKey, group).catch(() => undefined)
      if (list === undefined) {
        continue
      }
      await Promise.all(
        relays.map((addrs) =>
          network.deviceLists.put(addrs, list.bytes).catch((err: unknown) => {
            this.#init.log('putting a member device list on a relay failed: %s', (err as Error).message)
          }),
        ),
      )
    }
  }
}

const ACTION_NAMES: Record<GroupAction, pb.GroupAction> = {
  create: 'CREATE' as pb.GroupAction,
  add: 'ADD' as pb.GroupAction,
  remove: 'REMOVE' as pb.GroupAction,
  leave: 'LEAVE' as pb.GroupAction,
  rename: 'RENAME' as pb.GroupAction,
  'set-admin': 'SET_ADMIN' as pb.GroupAction,
}
