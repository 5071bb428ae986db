/**
 * The membership rules: whether a group-control message is applied, and the group state it yields.
 * Pure functions over records, so every rule is checked on its own.
 *
 * A control is applied only when
 * - CREATE: this device does not hold the group yet, the sender is an admin of the new state and this
 *   account is a member of it;
 * - ADD, REMOVE, RENAME, SET_ADMIN: the sender is an admin in this device's current state, the
 *   revision is newer, and the new member list is exactly what the action says (ADD adds the
 *   subjects, REMOVE drops them, RENAME and SET_ADMIN keep the members);
 * - LEAVE: the sender is the one member leaving (a leaver never hands out an envelope key);
 * - a group this account is not in (never was, or left) is joined only by an ADD or CREATE naming it,
 *   from an admin of the new state: a newcomer cannot check the history it was not part of.
 * A relay cannot forge any of these (they travel over pairwise sessions), and a non-admin's change is
 * ignored by every member device.
 *
 * Owns: the rules. Must not know: stores, crypto or the network.
 */
import { constantTimeEqual } from '@ferry/crypto'
import { type GroupRecord, MAX_GROUP_KEYS } from '@ferry/storage'
import { KEY_BYTES, type pb } from '@ferry/wire'

export type GroupAction = 'create' | 'add' | 'remove' | 'leave' | 'rename' | 'set-admin'

const ACTIONS: Record<string, GroupAction> = {
  CREATE: 'create',
  ADD: 'add',
  REMOVE: 'remove',
  LEAVE: 'leave',
  RENAME: 'rename',
  SET_ADMIN: 'set-admin',
}

/** Why a control was not applied (for logs and tests; never shown to the sender). */
export type IgnoredBecause =
  | 'unknown-action'
  | 'not-admin'
  | 'stale-revision'
  | 'unknown-group'
  | 'already-exists'
  | 'not-a-member'
  | 'inconsistent-members'
  | 'missing-key'
  | 'not-the-leaver'

export type ControlDecision =
  | {
      readonly applied: true
      readonly action: GroupAction
      readonly record: GroupRecord
      /** This account is (now) in the group and was not before (a join or a create). */
      readonly joined: boolean
      /** This account left or was removed by this change. */
      readonly left: boolean
      /** Members (account keys) gone: every remaining member rotates its sender key. */
      readonly removed: readonly Uint8Array[]
      /** Members new in this state. */
      readonly added: readonly Uint8Array[]
    }
  | { readonly applied: false; readonly because: IgnoredBecause }

export interface ControlInput {
  readonly control: pb.GroupControl
  /** The account that sent it (authenticated by the pairwise session). */
  readonly sender: Uint8Array
  /** This device's account. */
  readonly self: Uint8Array
  /** This device's clock. */
  readonly now: number
}

export function actionOf(action: pb.GroupAction): GroupAction | undefined {
  return ACTIONS[action]
}

/** Decides whether `control` applies to `current` (this device's record, if any). */
export function decideControl(current: GroupRecord | undefined, input: ControlInput): ControlDecision {
  const { control, sender, self } = input
  const action = actionOf(control.action)
  if (action === undefined) {
    return ignored('unknown-action')
  }
  const members = uniqueMembers(control.members)
  // only the last member leaving leaves nobody
  if (members === undefined || (members.length === 0 && action !== 'leave')) {
    return ignored('inconsistent-members')
  }
  const selfIn = isMember(members, self)
  const known = current !== undefined && !current.left ? current : undefined
  if (known === undefined) {
    // joining: a create, or an add naming this account, from an admin of the new state
    if (current !== undefined && action === 'create') {
      return ignored('already-exists')
    }
    if (
      action !== 'create' &&
      !(action === 'add' && control.subjects.some((s) => constantTimeEqual(s, self)))
    ) {
      return ignored('unknown-group')
    }
    if (current !== undefined && control.revision <= current.revision) {
      return ignored('stale-revision')
    }
    if (!selfIn) {
      return ignored('not-a-member')
    }
    if (!isAdmin(members, sender)) {
      return ignored('not-admin')
    }
    const key = keyOf(control)
    if (key === undefined) {
      return ignored('missing-key')
    }
    return {
      applied: true,
      action,
      record: {
        groupId: control.groupId.slice(),
        name: control.name,
        revision: control.revision,
        members,
        keys: [key],
        createdAt: current?.createdAt ?? input.now,
        left: false,
        distributedTo: [],
      },
      joined: true,
      left: false,
      removed: [],
      added: members.map((m) => m.accountKey),
    }
  }
  if (action === 'create') {
    return ignored('already-exists')
  }
  if (control.revision <= known.revision) {
    return ignored('stale-revision')
  }
  const before = known.members
  let expected: Array<{ accountKey: Uint8Array; admin: boolean }> | undefined
  if (action === 'leave') {
    if (
      control.subjects.length !== 1 ||
      !constantTimeEqual(control.subjects[0]!, sender) ||
      !isMember(before, sender)
    ) {
      return ignored('not-the-leaver')
    }
    expected = before.filter((m) => !constantTimeEqual(m.accountKey, sender))
  } else {
    if (!isAdmin(before, sender)) {
      return ignored('not-admin')
    }
    if (action === 'add') {
      if (control.subjects.length === 0 || control.subjects.some((s) => isMember(before, s))) {
        return ignored('inconsistent-members')
      }
      expected = [...before, ...control.subjects.map((s) => ({ accountKey: s, admin: false }))]
    } else if (action === 'remove') {
      if (control.subjects.length === 0 || control.subjects.some((s) => !isMember(before, s))) {
        return ignored('inconsistent-members')
      }
      expected = before.filter((m) => !control.subjects.some((s) => constantTimeEqual(s, m.accountKey)))
    } else {
      expected = undefined // rename, set-admin: the same members (admin flags may change)
    }
  }
  if (!sameMembers(members, expected ?? before, action !== 'leave')) {
    return ignored('inconsistent-members')
  }
  if (members.length > 0 && !members.some((m) => m.admin)) {
    return ignored('inconsistent-members')
  }
  const key = action === 'leave' ? undefined : keyOf(control)
  if (selfIn && key === undefined && (action === 'add' || action === 'remove')) {
    return ignored('missing-key')
  }
  const removed = before.filter((m) => !isMember(members, m.accountKey)).map((m) => m.accountKey)
  const added = members.filter((m) => !isMember(before, m.accountKey)).map((m) => m.accountKey)
  const keys = selfIn && key !== undefined ? [key, ...known.keys].slice(0, MAX_GROUP_KEYS) : known.keys
  return {
    applied: true,
    action,
    record: {
      ...known,
      name: action === 'rename' ? control.name : known.name,
      revision: control.revision,
      members,
      keys,
      left: !selfIn,
      // members gone: this device's sender key is replaced and handed out again to those who remain
      distributedTo: removed.length > 0 ? [] : known.distributedTo,
    },
    joined: false,
    left: !selfIn,
    removed,
    added,
  }
}

export function isMember(
  members: ReadonlyArray<{ readonly accountKey: Uint8Array }>,
  account: Uint8Array,
): boolean {
  return members.some((m) => constantTimeEqual(m.accountKey, account))
}

export function isAdmin(
  members: ReadonlyArray<{ readonly accountKey: Uint8Array; readonly admin: boolean }>,
  account: Uint8Array,
): boolean {
  return members.some((m) => m.admin && constantTimeEqual(m.accountKey, account))
}

function ignored(because: IgnoredBecause): ControlDecision {
  return { applied: false, because }
}

function keyOf(control: pb.GroupControl): { keyId: number; key: Uint8Array } | undefined {
  if (control.envelopeKey === undefined || control.envelopeKeyId === undefined) {
    return undefined
  }
  if (control.envelopeKey.byteLength !== KEY_BYTES) {
    return undefined
  }
  return { keyId: control.envelopeKeyId, key: control.envelopeKey.slice() }
}

/** The members as records, or undefined when an account appears twice. */
function uniqueMembers(
  members: readonly pb.GroupMember[],
): Array<{ accountKey: Uint8Array; admin: boolean }> | undefined {
  const seen = new Set<string>()
  const out: Array<{ accountKey: Uint8Array; admin: boolean }> = []
  for (const m of members) {
    const key = m.accountKey.join(',')
    if (seen.has(key)) {
      return undefined
    }
    seen.add(key)
    out.push({ accountKey: m.accountKey.slice(), admin: m.admin })
  }
  return out
}

/**
 * The same accounts in both lists; admin flags must match too unless `flagsMayChange` (any change an
 * admin makes may also promote or demote; a leaver changes nothing but its own membership).
 */
function sameMembers(
  actual: ReadonlyArray<{ accountKey: Uint8Array; admin: boolean }>,
  expected: ReadonlyArray<{ accountKey: Uint8Array; admin: boolean }>,
  flagsMayChange: boolean,
): boolean {
  if (actual.length !== expected.length) {
    return false
  }
  return expected.every((e) =>
    actual.some(
      (a) => constantTimeEqual(a.accountKey, e.accountKey) && (flagsMayChange || a.admin === e.admin),
    ),
  )
}
