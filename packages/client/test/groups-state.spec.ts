/**
 * The membership rules (src/groups/state.ts), one by one: who may change a group, which revisions
 * apply, what member lists are consistent with an action, and that a leaver never hands out a key.
 */
import type { GroupRecord } from '@ferry/storage'
import type { pb } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { decideControl } from '../src/groups/state.js'

const key = (n: number) => new Uint8Array(32).fill(n)
const ALICE = key(1)
const BOB = key(2)
const CAROL = key(3)
const DAVE = key(4)
const GROUP = new Uint8Array(16).fill(9)

function control(
  action: string,
  members: Array<[Uint8Array, boolean]>,
  options: { revision?: number; subjects?: Uint8Array[]; key?: number; name?: string } = {},
): pb.GroupControl {
  return {
    groupId: GROUP,
    revision: options.revision ?? 2,
    action: action as pb.GroupAction,
    name: options.name ?? 'crew',
    members: members.map(([accountKey, admin]) => ({ accountKey, admin })),
    subjects: options.subjects ?? [],
    ...(options.key === undefined ? {} : { envelopeKey: key(100 + options.key), envelopeKeyId: options.key }),
  }
}

const current: GroupRecord = {
  groupId: GROUP,
  name: 'crew',
  revision: 1,
  members: [
    { accountKey: ALICE, admin: true },
    { accountKey: BOB, admin: false },
    { accountKey: CAROL, admin: false },
  ],
  keys: [{ keyId: 1, key: key(101) }],
  createdAt: 5,
  left: false,
  distributedTo: [{ accountKey: BOB, deviceId: 1 }],
}

const now = 10

describe('group-control rules', () => {
  it('a create from an admin of the new state, naming this account, is joined with its key', () => {
    const decision = decideControl(undefined, {
      control: control(
        'CREATE',
        [
          [ALICE, true],
          [BOB, false],
        ],
        { revision: 1, key: 7, subjects: [BOB] },
      ),
      sender: ALICE,
      self: BOB,
      now,
    })
    expect(decision).toMatchObject({ applied: true, action: 'create', joined: true, left: false })
    if (decision.applied) {
      expect(decision.record.keys).toEqual([{ keyId: 7, key: key(107) }])
      expect(decision.record.createdAt).toBe(now)
    }
  })

  it('a create from a sender who is not an admin in it, without a key, or not naming this account is ignored', () => {
    const members: Array<[Uint8Array, boolean]> = [
      [ALICE, true],
      [BOB, false],
    ]
    const c = (sender: Uint8Array, self: Uint8Array, k?: number) =>
      decideControl(undefined, {
        control: control('CREATE', members, { revision: 1, ...(k === undefined ? {} : { key: k }) }),
        sender,
        self,
        now,
      })
    expect(c(BOB, BOB, 7)).toEqual({ applied: false, because: 'not-admin' })
    expect(c(ALICE, BOB)).toEqual({ applied: false, because: 'missing-key' })
    expect(c(ALICE, CAROL, 7)).toEqual({ applied: false, because: 'not-a-member' })
    expect(
      decideControl(current, {
        control: control('CREATE', members, { revision: 9, key: 7 }),
        sender: ALICE,
        self: BOB,
        now,
      }),
    ).toEqual({ applied: false, because: 'already-exists' })
  })

  it('an admin adds: the new key goes first, the old ones stay (bounded), who holds the sender key is kept', () => {
    const decision = decideControl(current, {
      control: control(
        'ADD',
        [
          [ALICE, true],
          [BOB, false],
          [CAROL, false],
          [DAVE, false],
        ],
        {
          subjects: [DAVE],
          key: 2,
        },
      ),
      sender: ALICE,
      self: BOB,
      now,
    })
    expect(decision).toMatchObject({
      applied: true,
      action: 'add',
      joined: false,
      removed: [],
      added: [DAVE],
    })
    if (decision.applied) {
      expect(decision.record.keys.map((k) => k.keyId)).toEqual([2, 1])
      expect(decision.record.revision).toBe(2)
      expect(decision.record.distributedTo).toHaveLength(1)
    }
  })

  it('a non-admin cannot add, remove, rename or promote (FAULTS: a forged membership change)', () => {
    const forged = [
      control(
        'ADD',
        [
          [ALICE, true],
          [BOB, false],
          [CAROL, false],
          [DAVE, false],
        ],
        { subjects: [DAVE], key: 2 },
      ),
      control(
        'REMOVE',
        [
          [ALICE, true],
          [BOB, false],
        ],
        { subjects: [CAROL], key: 2 },
      ),
      control(
        'RENAME',
        [
          [ALICE, true],
          [BOB, false],
          [CAROL, false],
        ],
        { name: 'mine', key: 2 },
      ),
      control(
        'SET_ADMIN',
        [
          [ALICE, true],
          [BOB, true],
          [CAROL, false],
        ],
        { subjects: [BOB] },
      ),
    ]
    for (const c of forged) {
      expect(decideControl(current, { control: c, sender: BOB, self: CAROL, now })).toEqual({
        applied: false,
        because: 'not-admin',
      })
    }
  })

  it('a revision not newer than the current one is ignored (replays, reordering)', () => {
    const c = control(
      'ADD',
      [
        [ALICE, true],
        [BOB, false],
        [CAROL, false],
        [DAVE, false],
      ],
      {
        subjects: [DAVE],
        key: 2,
        revision: 1,
      },
    )
    expect(decideControl(current, { control: c, sender: ALICE, self: BOB, now })).toEqual({
      applied: false,
      because: 'stale-revision',
    })
  })

  it('a member list that does not match the action is ignored', () => {
    const cases: pb.GroupControl[] = [
      // an add that also drops someone
      control(
        'ADD',
        [
          [ALICE, true],
          [BOB, false],
          [DAVE, false],
        ],
        { subjects: [DAVE], key: 2 },
      ),
      // a remove of someone who is not a member
      control(
        'REMOVE',
        [
          [ALICE, true],
          [BOB, false],
          [CAROL, false],
        ],
        { subjects: [DAVE], key: 2 },
      ),
      // a rename that slips in a member
      control(
        'RENAME',
        [
          [ALICE, true],
          [BOB, false],
          [CAROL, false],
          [DAVE, false],
        ],
        { key: 2 },
      ),
      // an account listed twice
      control(
        'RENAME',
        [
          [ALICE, true],
          [ALICE, true],
          [BOB, false],
        ],
        { key: 2 },
      ),
      // no admin left
      control(
        'SET_ADMIN',
        [
          [ALICE, false],
          [BOB, false],
          [CAROL, false],
        ],
        { subjects: [ALICE] },
      ),
    ]
    for (const c of cases) {
      expect(decideControl(current, { control: c, sender: ALICE, self: BOB, now })).toEqual({
        applied: false,
        because: 'inconsistent-members',
      })
    }
  })

  it('a removal rotates: the remaining members forget who held their sender key; the removed one leaves', () => {
    const c = control(
      'REMOVE',
      [
        [ALICE, true],
        [BOB, false],
      ],
      { subjects: [CAROL], key: 2 },
    )
    const remaining = decideControl(current, { control: c, sender: ALICE, self: BOB, now })
    expect(remaining).toMatchObject({ applied: true, left: false, removed: [CAROL] })
    if (remaining.applied) {
      expect(remaining.record.distributedTo).toEqual([])
      expect(remaining.record.keys[0]?.keyId).toBe(2)
    }
    const removed = decideControl(current, {
      control: control(
        'REMOVE',
        [
          [ALICE, true],
          [BOB, false],
        ],
        { subjects: [CAROL] },
      ),
      sender: ALICE,
      self: CAROL,
      now,
    })
    expect(removed).toMatchObject({ applied: true, left: true })
    if (removed.applied) {
      expect(removed.record.left).toBe(true)
      // the removed member is given no new key
      expect(removed.record.keys.map((k) => k.keyId)).toEqual([1])
    }
  })

  it('only the leaver itself can leave, and a key it sends along is never taken', () => {
    const leave = control(
      'LEAVE',
      [
        [ALICE, true],
        [BOB, false],
      ],
      { subjects: [CAROL], key: 66 },
    )
    const decision = decideControl(current, { control: leave, sender: CAROL, self: BOB, now })
    expect(decision).toMatchObject({ applied: true, action: 'leave', removed: [CAROL] })
    if (decision.applied) {
      expect(decision.record.keys.map((k) => k.keyId)).toEqual([1])
    }
    expect(decideControl(current, { control: leave, sender: ALICE, self: BOB, now })).toEqual({
      applied: false,
      because: 'not-the-leaver',
    })
  })

  it('a group this account left is joined again only by an add naming it from an admin', () => {
    const left: GroupRecord = {
      ...current,
      left: true,
      members: current.members.filter((m) => m.accountKey !== BOB),
    }
    const readd = control(
      'ADD',
      [
        [ALICE, true],
        [BOB, false],
        [CAROL, false],
      ],
      { subjects: [BOB], key: 3 },
    )
    expect(decideControl(left, { control: readd, sender: ALICE, self: BOB, now })).toMatchObject({
      applied: true,
      joined: true,
    })
    const rename = control(
      'RENAME',
      [
        [ALICE, true],
        [BOB, false],
        [CAROL, false],
      ],
      { key: 3 },
    )
    expect(decideControl(left, { control: rename, sender: ALICE, self: BOB, now })).toEqual({
      applied: false,
      because: 'unknown-group',
    })
  })
})
