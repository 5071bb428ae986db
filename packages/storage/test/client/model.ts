/**
 * The in-memory model of the client store that model.spec.ts checks it against: the universe random
 * operations draw from, the operations, their effect on the model (each applied to a unit too, with
 * matching results), and a full comparison of a store or unit with the model.
 */
import fc from 'fast-check'
import { expect } from 'vitest'
import {
  type ClientStore,
  type ClientUnit,
  type ContactRecord,
  type DeliveryStatus,
  type DeviceAddress,
  HeldLimitError,
  MAX_HELD_PER_SENDER,
  type MessageRecord,
  type OutboxEntry,
  type OutboxState,
  type StoredEvent,
} from '../../src/index.js'
import { accountKey, address, contact, groupId, hex, id, message, outboxEntry } from './helpers.js'

// ---------------------------------------------------------------- the universe the operations draw from

const ADDRESSES = [address(1, 1), address(1, 2), address(2, 1), address(3, 7)]
const CONVERSATIONS = [accountKey(1), accountKey(2), groupId(1)]
const STATUSES: DeliveryStatus[] = ['pending', 'stored', 'delivered', 'read']
const OUTBOX_STATES: OutboxState[] = ['pending', 'stored', 'delivered']
const aKey = (a: DeviceAddress) => `${hex(a.accountKey)}.${a.deviceId}`
const bytesOf = (n: number) => new Uint8Array(1 + (n % 5)).fill(n)

const addr = fc.integer({ min: 0, max: ADDRESSES.length - 1 }).map((i) => ADDRESSES[i]!)
const small = fc.integer({ min: 0, max: 5 })

type Op =
  | { op: 'storeSession'; a: DeviceAddress; v: number }
  | { op: 'deleteSession'; a: DeviceAddress }
  | { op: 'saveIdentity'; a: DeviceAddress; v: number }
  | { op: 'approveIdentity'; a: DeviceAddress; v: number }
  | { op: 'storeSenderKey'; a: DeviceAddress; d: number; v: number }
  | { op: 'deleteSenderKey'; a: DeviceAddress; d: number }
  | { op: 'storeOneTime'; n: number; v: number }
  | { op: 'removeOneTime'; n: number }
  | { op: 'markLastResort'; k: number; s: number; b: number }
  | { op: 'putContact'; n: number; v: number }
  | { op: 'deleteContact'; n: number }
  | { op: 'putMessage'; n: number; c: number; t: number; v: number }
  | { op: 'deleteMessage'; n: number }
  | { op: 'updateStatus'; n: number; a: DeviceAddress; s: DeliveryStatus }
  | { op: 'markSeen'; n: number; t: number }
  | { op: 'prune'; t: number }
  | { op: 'putOutbox'; n: number; a: DeviceAddress; s: OutboxState; t: number }
  | { op: 'updateOutbox'; n: number; a: DeviceAddress; s: OutboxState; t: number }
  | { op: 'deleteOutbox'; n: number; a: DeviceAddress }
  | { op: 'append'; v: number }
  | { op: 'hold'; a: DeviceAddress; d: number; v: number }
  | { op: 'take'; a: DeviceAddress; d: number }

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('storeSession' as const), a: addr, v: small }),
  fc.record({ op: fc.constant('deleteSession' as const), a: addr }),
  fc.record({ op: fc.constant('saveIdentity' as const), a: addr, v: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ op: fc.constant('approveIdentity' as const), a: addr, v: fc.integer({ min: 1, max: 2 }) }),
  fc.record({
    op: fc.constant('storeSenderKey' as const),
    a: addr,
    d: fc.integer({ min: 0, max: 1 }),
    v: small,
  }),
  fc.record({ op: fc.constant('deleteSenderKey' as const), a: addr, d: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('storeOneTime' as const), n: small, v: small }),
  fc.record({ op: fc.constant('removeOneTime' as const), n: small }),
  fc.record({ op: fc.constant('markLastResort' as const), k: fc.nat(1), s: fc.nat(1), b: fc.nat(2) }),
  fc.record({ op: fc.constant('putContact' as const), n: fc.integer({ min: 1, max: 3 }), v: small }),
  fc.record({ op: fc.constant('deleteContact' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    op: fc.constant('putMessage' as const),
    n: small,
    c: fc.nat(CONVERSATIONS.length - 1),
    t: fc.nat(3),
    v: small,
  }),
  fc.record({ op: fc.constant('deleteMessage' as const), n: small }),
  fc.record({ op: fc.constant('updateStatus' as const), n: small, a: addr, s: fc.constantFrom(...STATUSES) }),
  fc.record({ op: fc.constant('markSeen' as const), n: small, t: fc.nat(10) }),
  fc.record({ op: fc.constant('prune' as const), t: fc.nat(10) }),
  fc.record({
    op: fc.constant('putOutbox' as const),
    n: fc.nat(2),
    a: addr,
    s: fc.constantFrom(...OUTBOX_STATES),
    t: fc.nat(5),
  }),
  fc.record({
    op: fc.constant('updateOutbox' as const),
    n: fc.nat(2),
    a: addr,
    s: fc.constantFrom(...OUTBOX_STATES),
    t: fc.nat(5),
  }),
  fc.record({ op: fc.constant('deleteOutbox' as const), n: fc.nat(2), a: addr }),
  fc.record({ op: fc.constant('append' as const), v: small }),
  fc.record({ op: fc.constant('hold' as const), a: addr, d: fc.nat(1), v: small }),
  fc.record({ op: fc.constant('take' as const), a: addr, d: fc.nat(1) }),
)

// ---------------------------------------------------------------- the model

export interface Model {
  sessions: Map<string, Uint8Array>
  identities: Map<string, Uint8Array>
  senderKeys: Map<string, Uint8Array>
  oneTime: Map<number, Uint8Array>
  lastResort: Set<string>
  contacts: Map<string, ContactRecord>
  messages: Map<string, MessageRecord>
  seen: Map<string, number>
  outbox: Map<string, OutboxEntry>
  held: Map<string, Array<{ d: number; envelope: Uint8Array }>>
  events: StoredEvent[]
  /** Events appended in the current unit. */
  drafts: Array<{ type: string; payload: Uint8Array }>
  lastCursor: number
}

export const emptyModel = (): Model => ({
  sessions: new Map(),
  identities: new Map(),
  senderKeys: new Map(),
  oneTime: new Map(),
  lastResort: new Set(),
  contacts: new Map(),
  messages: new Map(),
  seen: new Map(),
  outbox: new Map(),
  held: new Map(),
  events: [],
  drafts: [],
  lastCursor: 0,
})

const outboxKey = (n: number, a: DeviceAddress) => `${n}/${aKey(a)}`

/** Applies one operation to the unit and to the model; checks that both return the same. */
export async function apply(unit: ClientUnit, m: Model, o: Op): Promise<void> {
  switch (o.op) {
    case 'storeSession':
      await unit.crypto.sessions.storeSession(o.a, bytesOf(o.v))
      m.sessions.set(aKey(o.a), bytesOf(o.v))
      return
    case 'deleteSession':
      await unit.crypto.sessions.deleteSession(o.a)
      m.sessions.delete(aKey(o.a))
      return
    case 'saveIdentity': {
      const known = m.identities.get(aKey(o.a))
      const want = known === undefined ? 'new' : hex(known) === hex(bytesOf(o.v)) ? 'unchanged' : 'changed'
      if (known === undefined) {
        m.identities.set(aKey(o.a), bytesOf(o.v))
      }
      expect(await unit.crypto.identities.saveIdentity(o.a, bytesOf(o.v))).toBe(want)
      return
    }
    case 'approveIdentity':
      await unit.crypto.identities.approveIdentity(o.a, bytesOf(o.v))
      m.identities.set(aKey(o.a), bytesOf(o.v))
      return
    case 'storeSenderKey':
      await unit.crypto.senderKeys.storeSenderKey(o.a, groupId(o.d), bytesOf(o.v))
      m.senderKeys.set(`${aKey(o.a)}/${o.d}`, bytesOf(o.v))
      return
    case 'deleteSenderKey':
      await unit.crypto.senderKeys.deleteSenderKey(o.a, groupId(o.d))
      m.senderKeys.delete(`${aKey(o.a)}/${o.d}`)
      return
    case 'storeOneTime':
      await unit.crypto.preKeys.storeOneTimePreKey(o.n, {
        publicKey: bytesOf(o.v),
        secretKey: bytesOf(o.v + 1),
      })
      m.oneTime.set(o.n, bytesOf(o.v))
      return
    case 'removeOneTime':
      await unit.crypto.preKeys.removeOneTimePreKey(o.n)
      m.oneTime.delete(o.n)
      return
    case 'markLastResort': {
      const key = `${o.k}.${o.s}.${o.b}`
      expect(await unit.crypto.preKeys.markLastResortUse(o.k, o.s, new Uint8Array(32).fill(o.b))).toBe(
        !m.lastResort.has(key),
      )
      m.lastResort.add(key)
      return
    }
    case 'putContact': {
      const c = contact(o.n, { addedAt: o.v })
      await unit.contacts.put(c)
      m.contacts.set(hex(c.accountKey), c)
      return
    }
    case 'deleteContact':
      await unit.contacts.delete(accountKey(o.n))
      m.contacts.delete(hex(accountKey(o.n)))
      return
    case 'putMessage': {
      const msg = message(o.n, { conversation: CONVERSATIONS[o.c]!, receivedAt: o.t, text: `v${o.v}` })
      await unit.messages.put(msg)
      m.messages.set(hex(msg.messageId), msg)
      return
    }
    case 'deleteMessage':
      expect(await unit.messages.delete(id(o.n))).toBe(m.messages.delete(hex(id(o.n))))
      return
    case 'updateStatus': {
      const known = m.messages.get(hex(id(o.n)))
      const got = await unit.messages.updateStatus(id(o.n), o.a, o.s)
      if (known === undefined) {
        expect(got).toBeUndefined()
        return
      }
      const i = known.recipients.findIndex((r) => aKey(r.device) === aKey(o.a))
      const current = known.recipients[i]
      let next = known
      if (current === undefined) {
        next = { ...known, recipients: [...known.recipients, { device: o.a, status: o.s }] }
      } else if (STATUSES.indexOf(current.status) < STATUSES.indexOf(o.s)) {
        next = {
          ...known,
          recipients: known.recipients.map((r, j) => (j === i ? { device: o.a, status: o.s } : r)),
        }
      }
      m.messages.set(hex(id(o.n)), next)
      expect(got).toEqual(next)
      return
    }
    case 'markSeen': {
      await unit.inbox.markSeen(id(o.n), o.t)
      const previous = m.seen.get(hex(id(o.n)))
      if (previous === undefined || previous < o.t) {
        m.seen.set(hex(id(o.n)), o.t)
      }
      return
    }
    case 'prune': {
      const due = [...m.seen].filter(([, at]) => at < o.t)
      for (const [key] of due) {
        m.seen.delete(key)
      }
      expect(await unit.inbox.prune(o.t)).toEqual({ removed: due.length, more: false })
      return
    }
    case 'putOutbox': {
      const entry = outboxEntry(o.n, o.a, { state: o.s, nextAttemptAt: o.t })
      await unit.outbox.put(entry)
      m.outbox.set(outboxKey(o.n, o.a), entry)
      return
    }
    case 'updateOutbox': {
      const known = m.outbox.get(outboxKey(o.n, o.a))
      const got = await unit.outbox.update(id(o.n), o.a, { state: o.s, nextAttemptAt: o.t, attempts: o.t })
      if (known === undefined) {
        expect(got).toBeUndefined()
        return
      }
      const next = { ...known, state: o.s, nextAttemptAt: o.t, attempts: o.t }
      m.outbox.set(outboxKey(o.n, o.a), next)
      expect(got).toEqual(next)
      return
    }
    case 'deleteOutbox':
      expect(await unit.outbox.delete(id(o.n), o.a)).toBe(m.outbox.delete(outboxKey(o.n, o.a)))
      return
    case 'append':
      await unit.events.append(`type-${o.v}`, bytesOf(o.v))
      m.drafts.push({ type: `type-${o.v}`, payload: bytesOf(o.v) })
      return
    case 'hold': {
      const list = m.held.get(aKey(o.a)) ?? []
      if (list.length >= MAX_HELD_PER_SENDER) {
        await expect(unit.held.add(o.a, groupId(o.d), bytesOf(o.v))).rejects.toBeInstanceOf(HeldLimitError)
        return
      }
      await unit.held.add(o.a, groupId(o.d), bytesOf(o.v))
      m.held.set(aKey(o.a), [...list, { d: o.d, envelope: bytesOf(o.v) }])
      return
    }
    case 'take': {
      const list = m.held.get(aKey(o.a)) ?? []
      const taken = list.filter((h) => h.d === o.d).map((h) => h.envelope)
      m.held.set(
        aKey(o.a),
        list.filter((h) => h.d !== o.d),
      )
      expect(await unit.held.take(o.a, groupId(o.d))).toEqual(taken)
      return
    }
  }
}

// ---------------------------------------------------------------- comparing a store or unit with the model

const byMessageOrder = (a: MessageRecord, b: MessageRecord) =>
  a.receivedAt - b.receivedAt || hex(a.messageId).localeCompare(hex(b.messageId))
const byAddress = (a: DeviceAddress, b: DeviceAddress) =>
  hex(a.accountKey).localeCompare(hex(b.accountKey)) || a.deviceId - b.deviceId
const bySchedule = (a: OutboxEntry, b: OutboxEntry) =>
  a.nextAttemptAt - b.nextAttemptAt ||
  hex(a.messageId).localeCompare(hex(b.messageId)) ||
  byAddress(a.recipient, b.recipient)

export async function compare(reader: ClientStore | ClientUnit, crypto: ClientUnit, m: Model): Promise<void> {
  for (const a of ADDRESSES) {
    expect(await crypto.crypto.sessions.loadSession(a)).toEqual(m.sessions.get(aKey(a)))
    expect(await crypto.crypto.identities.getIdentity(a)).toEqual(m.identities.get(aKey(a)))
    for (const d of [0, 1]) {
      expect(await crypto.crypto.senderKeys.loadSenderKey(a, groupId(d))).toEqual(
        m.senderKeys.get(`${aKey(a)}/${d}`),
      )
      const held = (m.held.get(aKey(a)) ?? []).filter((h) => h.d === d).map((h) => h.envelope)
      expect(await reader.held.list(a, groupId(d))).toEqual(held)
    }
    expect(await reader.held.count(a)).toBe((m.held.get(aKey(a)) ?? []).length)
  }
  for (let n = 0; n <= 5; n++) {
    expect((await crypto.crypto.preKeys.loadOneTimePreKey(n))?.publicKey).toEqual(m.oneTime.get(n))
    expect(await reader.messages.get(id(n))).toEqual(m.messages.get(hex(id(n))))
    expect(await reader.inbox.seen(id(n))).toBe(m.seen.has(hex(id(n))))
  }
  expect(await reader.contacts.list()).toEqual(
    [...m.contacts.values()].sort((a, b) => hex(a.accountKey).localeCompare(hex(b.accountKey))),
  )
  for (const c of CONVERSATIONS) {
    const want = [...m.messages.values()].filter((x) => hex(x.conversation) === hex(c)).sort(byMessageOrder)
    expect(await reader.messages.history(c, { limit: 100 })).toEqual(want)
    expect(await reader.messages.history(c, { limit: 2 })).toEqual(want.slice(-2))
  }
  const pending = [...m.outbox.values()].filter((e) => e.state === 'pending').sort(bySchedule)
  expect(await reader.outbox.listPending({ limit: 100 })).toEqual(pending)
  for (let n = 0; n <= 2; n++) {
    const want = [...m.outbox.values()].filter((e) => hex(e.messageId) === hex(id(n)))
    expect(await reader.outbox.forMessage(id(n))).toEqual(
      want.sort((a, b) => byAddress(a.recipient, b.recipient)),
    )
  }
  expect(await reader.events.since(0, 1000)).toEqual(m.events)
  expect(await reader.events.latest()).toBe(m.events.at(-1)?.cursor ?? 0)
}

export const clone = (m: Model): Model => structuredClone(m)
