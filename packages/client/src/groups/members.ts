/**
 * Where a group's member devices are: the device lists of its member accounts. Members are kept as
 * contacts (unnamed unless the user names them), so their device lists are verified, kept fresh by
 * their announcements, and used for sessions and receipts exactly like any contact's.
 *
 * A member this device has never talked to is found on the relays it knows for the group: the
 * relays of the group's admins (an admin puts every member's signed list on its own relays when it
 * adds them) and this device's own relays. A list is self-authenticating (signed by the member's
 * account key), so a relay can withhold it but never forge it.
 *
 * Owns: resolving member accounts to device targets. Must not know: messages or delivery.
 */
import { type CryptoContext, constantTimeEqual, toHex, type VerifiedDeviceList } from '@ferry/crypto'
import type { AccountRecord, ClientStore, ClientUnit, GroupRecord } from '@ferry/storage'
import { type DeviceTarget, type Directory, targetsOf } from '../directory.js'
import type { Log } from '../log.js'
import type { StateQueue } from '../state-queue.js'

export interface MembersInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly directory: Directory
  readonly account: () => AccountRecord
  readonly log: Log
}

export interface MemberTargets {
  /** Every device of every member (this account's other devices included), never this device. */
  readonly targets: readonly DeviceTarget[]
  /** Member accounts whose device list could not be found (their devices are not reached). */
  readonly unreachable: readonly Uint8Array[]
}

export class Members {
  readonly #init: MembersInit
  /** Targets per group, valid for one revision until a device list changes. */
  readonly #cache = new Map<string, { revision: number; value: MemberTargets }>()

  constructor(init: MembersInit) {
    this.#init = init
  }

  /** Forgets cached targets (after any device-list change). */
  invalidate(): void {
    this.#cache.clear()
  }

  /** The devices a group message must reach. */
  async targets(group: GroupRecord, options: { signal?: AbortSignal } = {}): Promise<MemberTargets> {
    const key = toHex(group.groupId)
    const cached = this.#cache.get(key)
    if (cached !== undefined && cached.revision === group.revision && cached.value.unreachable.length === 0) {
      return cached.value
    }
    const account = this.#init.account()
    const targets: DeviceTarget[] = []
    const unreachable: Uint8Array[] = []
    for (const member of group.members) {
      const list = await this.listOf(member.accountKey, group, options)
      if (list === undefined) {
        unreachable.push(member.accountKey)
        continue
      }
      for (const target of targetsOf(list)) {
        if (
          !(
            constantTimeEqual(target.address.accountKey, account.accountKey) &&
            target.address.deviceId === account.deviceId
          )
        ) {
          targets.push(target)
        }
      }
    }
    const value = { targets, unreachable }
    this.#cache.set(key, { revision: group.revision, value })
    return value
  }

  /** A member account's verified device list: known, cached, or found on the group's relays. */
  async listOf(
    accountKey: Uint8Array,
    group: GroupRecord | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<VerifiedDeviceList | undefined> {
    const { directory, store } = this.#init
    const account = this.#init.account()
    if (constantTimeEqual(accountKey, account.accountKey)) {
      return directory.cached(accountKey) ?? (await directory.known(accountKey, account.deviceList?.signed))
    }
    const contact = await store.contacts.get(accountKey)
    const known = await directory.known(accountKey, contact?.deviceList?.signed).catch(() => undefined)
    if (known !== undefined) {
      return known
    }
    // an introduction seen in this process, or the group's relays
    const found =
      directory.cached(accountKey) ??
      (await directory.fetch(accountKey, this.searchRelays(group, contact?.relays ?? []), 0, options))
    if (found === undefined) {
      this.#init.log('no device list found for a group member')
      return undefined
    }
    await this.#init.queue.run((unit) => this.remember(unit, accountKey, found))
    return found
  }

  /**
   * Inside a state job: makes sure a member account is a contact (an unnamed one if the user has not
   * added it), recording `list` when it is newer than what the contact holds.
   */
  async remember(unit: ClientUnit, accountKey: Uint8Array, list?: VerifiedDeviceList): Promise<void> {
    if (constantTimeEqual(accountKey, this.#init.account().accountKey)) {
      return
    }
    const current = (await unit.contacts.get(accountKey)) ?? {
      accountKey,
      addedAt: this.#init.context.now(),
      relays: [],
    }
    if (current.deviceList === undefined) {
      await unit.contacts.put(current)
    }
    const offered = list ?? this.#init.directory.cached(accountKey)
    if (offered !== undefined && (current.deviceList?.version ?? 0) < offered.listVersion) {
      await this.#init.directory.acceptForContact(unit, current, offered.bytes)
    }
  }

  /** Relays to ask for a member's list: its own known ones, the group's admins', this device's. */
  searchRelays(group: GroupRecord | undefined, own: readonly string[]): string[] {
    const out = new Set<string>(own)
    for (const member of group?.members ?? []) {
      if (!member.admin) {
        continue
      }
      for (const device of this.#init.directory.cached(member.accountKey)?.devices ?? []) {
        for (const mailbox of device.mailboxes) {
          for (const addr of mailbox.relayAddrs) {
            out.add(addr)
          }
        }
      }
    }
    for (const mailbox of this.#init.account().mailboxes) {
      for (const addr of mailbox.relayAddrs) {
        out.add(addr)
      }
    }
    return [...out]
  }
}
