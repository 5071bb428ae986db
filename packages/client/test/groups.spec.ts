/**
 * Groups end to end, in one process: five accounts (Alice with two devices) on one relay over TCP
 * loopback, real gossipsub between the devices. The steps run in order on one group, each checking
 * one property of issue 6; the relay records every deposit and every envelope it hands out, so
 * "without any relay fetch" and "stored once" are read off the relay itself.
 */
import { openClientStore } from '@ferry/storage'
import { Kind } from '@ferry/wire'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GroupInfo } from '../src/index.js'
import { startTestRelay, type TestRelay } from './helpers/relay.js'
import { account, type Device, device, linked, pause, waitFor } from './helpers/world.js'

const cleanups: Array<() => Promise<void>> = []
let relay: TestRelay
let alice1: Device
let alice2: Device
let bob: Device
let carol: Device
let dave: Device
let erin: Device
let group: GroupInfo

function all(): Device[] {
  return [alice1, alice2, bob, carol, dave, erin]
}

function groupDeposits() {
  return relay.deposits().filter((d) => d.kind === Kind.GroupEnvelope)
}

function texts(d: Device, groupId: string): string[] {
  return d.messages.filter((m) => m.group === groupId).map((m) => m.text)
}

/** Reopens a stopped device's store after making its account an admin of the group in it. */
async function reopenAsAdmin(d: Device): Promise<Device> {
  const store = await openClientStore(d.db as never)
  const unit = store.unit()
  const record = await unit.groups.get(bytesOfHex(group.id))
  const self = (await unit.account.get())!.accountKey
  await unit.groups.put({
    ...record!,
    members: record!.members.map((m) => (sameBytes(m.accountKey, self) ? { ...m, admin: true } : m)),
  })
  await unit.commit()
  await store.close()
  const reopened = await device(cleanups, d.db)
  await reopened.messenger.start()
  return reopened
}

function bytesOfHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => Number.parseInt(b, 16)))
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}

async function revisionOf(d: Device): Promise<number> {
  return (await d.messenger.group(group.id).catch(() => undefined))?.revision ?? 0
}

beforeAll(async () => {
  relay = await startTestRelay()
  cleanups.push(() => relay.stop())
  alice1 = await account(relay, cleanups)
  alice2 = await linked(alice1, cleanups)
  bob = await account(relay, cleanups)
  carol = await account(relay, cleanups)
  dave = await account(relay, cleanups)
  erin = await account(relay, cleanups)
  for (const [name, d] of [
    ['bob', bob],
    ['carol', carol],
    ['dave', dave],
    ['erin', erin],
  ] as const) {
    await alice1.messenger.addContact(d.messenger.account().invite, { name })
  }
}, 60_000)

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(() => {})
  }
})

describe('groups', () => {
  it('creates a group; every member device (and the creator’s other device) applies it', async () => {
    group = await alice1.messenger.createGroup('crew', ['bob', 'carol', 'dave', 'erin'])
    expect(group).toMatchObject({ name: 'crew', revision: 1, admin: true, left: false })
    expect(group.members).toHaveLength(5)
    await waitFor(async () => (await Promise.all(all().map(revisionOf))).every((r) => r === 1))
    const seenByBob = await bob.messenger.group('crew')
    expect(seenByBob.admin).toBe(false)
    expect(seenByBob.members.find((m) => m.admin)?.account).toBe(alice1.messenger.account().accountId)
    // every device joins the topic and dials the others: a full mesh of six devices
    await waitFor(async () =>
      (await Promise.all(all().map((d) => d.messenger.group(group.id)))).every((g) => g.online === 5),
    )
  }, 60_000)

  it('everyone online gets a message over gossipsub without any relay fetch, shown once, and the receipts come back', async () => {
    const before = relay.handedOut().length
    const sent = await alice1.messenger.sendGroup('crew', 'hello crew')
    expect(sent.group).toBe(group.id)
    expect(sent.receipts).toMatchObject({ total: 5, delivered: 5, stored: 0, pending: 0 })
    for (const d of [alice2, bob, carol, dave, erin]) {
      await waitFor(() => texts(d, group.id).length === 1)
      expect(texts(d, group.id)).toEqual(['hello crew'])
    }
    const onBob = bob.messages.find((m) => m.group === group.id)!
    expect(onBob).toMatchObject({ direction: 'in', conversation: group.id, fromDevice: 1 })
    expect(alice2.messages.find((m) => m.group === group.id)?.direction).toBe('out')
    // nothing of the group message touched the relay: not deposited, so not fetched either
    expect(groupDeposits()).toHaveLength(0)
    expect(relay.handedOut().slice(before)).not.toContain(Kind.GroupEnvelope)
    await pause(300)
    expect(texts(bob, group.id)).toHaveLength(1)
    const [stored] = await bob.messenger.history(group.id)
    expect(stored).toMatchObject({ text: 'hello crew', group: group.id })
  }, 60_000)

  it('an offline member gets it from the relay after coming back; it was stored once for every offline mailbox', async () => {
    await dave.messenger.stop()
    await erin.messenger.stop()
    const statsBefore = relay.stats().deposits
    const recordedBefore = relay.deposits().length
    const sent = await bob.messenger.sendGroup('crew', 'while you were away')
    expect(sent.receipts).toMatchObject({ total: 5, delivered: 3, stored: 2, pending: 0 })
    const fresh = relay.deposits().slice(recordedBefore)
    const grouped = fresh.filter((d) => d.kind === Kind.GroupEnvelope)
    // one deposit listing both offline mailboxes, stored once (the other deposits are pairwise: bob's
    // sender key for dave and erin)
    expect(grouped).toHaveLength(1)
    expect(grouped[0]).toMatchObject({ mailboxes: 2, outcome: 'stored' })
    expect(fresh.filter((d) => d.kind !== Kind.GroupEnvelope).every((d) => d.mailboxes === 1)).toBe(true)
    expect(relay.stats().deposits - statsBefore).toBe(fresh.filter((d) => d.outcome === 'stored').length)
    for (const d of [alice1, alice2, carol]) {
      await waitFor(() => texts(d, group.id).includes('while you were away'))
    }
    await dave.messenger.start()
    await erin.messenger.start()
    for (const d of [dave, erin]) {
      await waitFor(() => texts(d, group.id).includes('while you were away'))
    }
    // both mailboxes acked it: the relay let it go
    await waitFor(() => relay.storedEnvelopes() === 0)
    await pause(300)
    for (const d of [dave, erin]) {
      expect(texts(d, group.id)).toEqual(['hello crew', 'while you were away'])
    }
  }, 60_000)

  it('a message from a sender device whose key has not arrived is held, then shown once when the key comes (FAULTS 11)', async () => {
    await erin.messenger.stop()
    const recordedBefore = relay.deposits().length
    // carol has not sent before: her sender key goes to erin's mailbox beside the group message
    const sent = await carol.messenger.sendGroup('crew', 'first from carol')
    expect(sent.receipts).toMatchObject({ total: 5, delivered: 4, stored: 1 })
    const captured = relay
      .deposits()
      .slice(recordedBefore)
      .find((d) => d.kind === Kind.GroupEnvelope)
    expect(captured).toBeDefined()
    // erin gets the group envelope first, some other way: no key from carol yet
    const held = await erin.messenger.receiveEnvelope(captured!.payload)
    expect(held).toEqual({ outcome: 'held', reason: 'NoSenderKeyError' })
    expect(texts(erin, group.id)).not.toContain('first from carol')
    // back online: the key arrives from the mailbox, the held message is shown; the relay copy is a
    // duplicate
    await erin.messenger.start()
    await waitFor(() => texts(erin, group.id).includes('first from carol'))
    await waitFor(() => relay.storedEnvelopes() === 0)
    await pause(300)
    expect(texts(erin, group.id).filter((t) => t === 'first from carol')).toHaveLength(1)
    expect(await erin.messenger.receiveEnvelope(captured!.payload)).toEqual({ outcome: 'duplicate' })
  }, 60_000)

  it('a removed member gets nothing new and cannot open a captured later message', async () => {
    const revision = await revisionOf(alice1)
    const info = await alice1.messenger.removeMember('crew', 'dave')
    expect(info.revision).toBe(revision + 1)
    expect(info.members.map((m) => m.account)).not.toContain(dave.messenger.account().accountId)
    await waitFor(async () => (await dave.messenger.group(group.id)).left)
    for (const d of [alice2, carol, erin]) {
      await waitFor(async () => (await revisionOf(d)) === revision + 1)
    }
    const daveSaw = texts(dave, group.id).length
    // erin offline, so that the message is also deposited (and can be captured from the relay)
    await erin.messenger.stop()
    const recordedBefore = relay.deposits().length
    const sent = await alice1.messenger.sendGroup('crew', 'after dave left')
    // dave's devices are not among the recipients any more
    expect(sent.devices.map((d) => d.account)).not.toContain(dave.messenger.account().accountId)
    const captured = relay
      .deposits()
      .slice(recordedBefore)
      .find((d) => d.kind === Kind.GroupEnvelope)
    expect(captured).toMatchObject({ mailboxes: 1 })
    await waitFor(() => texts(carol, group.id).includes('after dave left'))
    await pause(500)
    expect(texts(dave, group.id)).toHaveLength(daveSaw)
    // the removed member holds no key for it: refused, typed
    expect(await dave.messenger.receiveEnvelope(captured!.payload)).toEqual({
      outcome: 'rejected',
      reason: 'UnknownGroupKeyError',
    })
    expect(texts(dave, group.id)).toHaveLength(daveSaw)
    await erin.messenger.start()
    await waitFor(() => texts(erin, group.id).includes('after dave left'))
  }, 60_000)

  it('a device removed from a member account reads nothing sent afterwards, though it holds the envelope key (FAULTS 35)', async () => {
    await alice1.messenger.removeDevice(2)
    // carol learns of alice's new device list and rotates her sender key for the group
    await waitFor(
      async () => (await carol.messenger.contact(alice1.messenger.account().accountId)).devices.length === 1,
    )
    const alice2Saw = texts(alice2, group.id).length
    // the removed device is kept off the topic, so that what it is fed below is the first copy it sees
    await alice2.messenger.stop()
    await erin.messenger.stop()
    const recordedBefore = relay.deposits().length
    const sent = await carol.messenger.sendGroup('crew', 'not for the removed device')
    expect(sent.devices.filter((d) => d.account === alice1.messenger.account().accountId)).toHaveLength(1)
    const captured = relay
      .deposits()
      .slice(recordedBefore)
      .find((d) => d.kind === Kind.GroupEnvelope)
    expect(captured).toBeDefined()
    await pause(500)
    expect(texts(alice2, group.id)).toHaveLength(alice2Saw)
    // the removed device opens the envelope (same group key) but has no key for carol's new chain
    expect(await alice2.messenger.receiveEnvelope(captured!.payload)).toEqual({
      outcome: 'held',
      reason: 'NoSenderKeyError',
    })
    expect(texts(alice2, group.id)).toHaveLength(alice2Saw)
    await erin.messenger.start()
    await waitFor(() => texts(erin, group.id).includes('not for the removed device'))
  }, 60_000)

  it('a member leaves: it is out, the others see it, and it gets nothing more', async () => {
    const revision = await revisionOf(alice1)
    await erin.messenger.leaveGroup('crew')
    expect((await erin.messenger.group(group.id)).left).toBe(true)
    for (const d of [alice1, carol]) {
      await waitFor(async () => (await revisionOf(d)) === revision + 1)
      expect((await d.messenger.group(group.id)).members.map((m) => m.account)).not.toContain(
        erin.messenger.account().accountId,
      )
    }
    const erinSaw = texts(erin, group.id).length
    await alice1.messenger.sendGroup('crew', 'erin has gone')
    await waitFor(() => texts(carol, group.id).includes('erin has gone'))
    await pause(500)
    expect(texts(erin, group.id)).toHaveLength(erinSaw)
    await expect(erin.messenger.sendGroup('crew', 'hello?')).rejects.toMatchObject({
      name: 'NotGroupMemberError',
    })
  }, 60_000)

  it('a forged membership change from a non-admin is ignored by every member device', async () => {
    // bob's device is tampered with: its store says bob is an admin
    const revision = await revisionOf(bob)
    await bob.messenger.close()
    bob = await reopenAsAdmin(bob)
    expect((await bob.messenger.group('crew')).admin).toBe(true)
    await bob.messenger.removeMember('crew', carol.messenger.account().accountId)
    const others = [alice1, carol]
    await waitFor(() => others.every((d) => d.groupLog.some((l) => l.includes('ignored: not-admin'))))
    for (const d of others) {
      expect(await revisionOf(d)).toBe(revision)
      expect((await d.messenger.group(group.id)).members).toHaveLength(3)
    }
    expect((await carol.messenger.group(group.id)).left).toBe(false)
    // and carol still reads what alice sends
    await alice1.messenger.sendGroup('crew', 'carol is still here')
    await waitFor(() => texts(carol, group.id).includes('carol is still here'))
  }, 60_000)
})
