/**
 * The membership changes this device makes, as the group API offers them: create a group, add and
 * remove members (admins only), leave (the last admin first makes the longest-standing member an
 * admin). Each builds the group's next state and who gets it with or without the new envelope key;
 * changes.ts commits and sends it.
 *
 * Owns: what each membership operation changes and who may make it. Must not know: how a change is
 * sent, or the rules other devices apply to it (state.ts).
 */
import { type CryptoContext, constantTimeEqual } from '@ferry/crypto'
import type { AccountRecord, ContactRecord, GroupRecord } from '@ferry/storage'
import { MAX_GROUP_MEMBERS, MAX_GROUP_NAME_BYTES } from '@ferry/wire'
import type { DeviceTarget } from '../directory.js'
import { InvalidArgumentError, NotGroupAdminError, NotGroupMemberError } from '../errors.js'
import type { GroupChanges } from './changes.js'
import type { Members } from './members.js'
import { isAdmin, isMember } from './state.js'

export interface MembershipInit {
  readonly context: CryptoContext
  readonly members: Pick<Members, 'targets'>
  readonly changes: Pick<GroupChanges, 'apply'>
  readonly account: () => AccountRecord
  /** A contact by account ID, invite or name (UnknownContactError otherwise). */
  readonly contact: (who: string) => Promise<ContactRecord>
  /** A group by ID or name (UnknownGroupError otherwise). */
  readonly record: (ref: string) => Promise<GroupRecord>
}

export class Membership {
  readonly #init: MembershipInit

  constructor(init: MembershipInit) {
    this.#init = init
  }

  /** Creates a group with this account as its admin; returns its ID. */
  async create(
    name: string,
    who: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array> {
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
    await this.#init.changes.apply(
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
    return after.groupId
  }

  /** Admins only: adds contacts to a group; returns its ID. */
  async add(
    ref: string,
    who: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array> {
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
    await this.#init.changes.apply(
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
    return after.groupId
  }

  /** Admins only: removes a member; returns the group ID. */
  async remove(ref: string, who: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
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
    await this.#init.changes.apply(
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
    return after.groupId
  }

  /**
   * Leaves a group. The last admin first makes the longest-standing other member an admin, so the
   * group keeps someone who can change it.
   */
  async leave(ref: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    let before = await this.#init.record(ref)
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
      await this.#init.changes.apply(
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
    await this.#init.changes.apply(
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

  /** The group named by `ref`, when this account is still in it and one of its admins. */
  async #adminRecord(ref: string): Promise<GroupRecord> {
    const group = await this.#init.record(ref)
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
