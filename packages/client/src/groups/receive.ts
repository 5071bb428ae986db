/**
 * Receiving in groups: group envelopes (from gossip, relay mailboxes or direct delivery alike), the
 * group-control messages and sender-key distributions that arrive over pairwise sessions, and the
 * sender-key rotation a removed member or device calls for.
 *
 * A group envelope is opened with the group's envelope key (which proves only that a member sealed
 * it), its sender's certificate is checked against the sender's device list and the group's members,
 * and its sender-key message is decrypted as coming from that device (which authenticates the sender).
 * Without the sender's key yet, the envelope is held and processed once the distribution arrives
 * (FAULTS 11). Everything a message changes is committed in one state job before it is acknowledged.
 *
 * Owns: what group contents do to this device's state. Must not know: how envelopes arrive.
 */
import {
  type CryptoContext,
  CryptoError,
  constantTimeEqual,
  DuplicateMessageError,
  groupDecrypt,
  groupEnvelopeHeader,
  type LocalDevice,
  NoSenderKeyError,
  type OpenedGroupEnvelope,
  openGroupEnvelope,
  processSenderKeyDistribution,
  rotateSenderKey,
} from '@ferry/crypto'
import type { AccountRecord, ClientStore, ClientUnit, DeviceAddress, GroupRecord } from '@ferry/storage'
import { Content, type pb, SenderKeyDistribution, unpad, WireError } from '@ferry/wire'
import { appendEvent } from '../event-log.js'
import type { Log } from '../log.js'
import type { StateQueue } from '../state-queue.js'
import type { Members } from './members.js'
import { decideControl, type GroupAction, isMember } from './state.js'

export type GroupReceiveOutcome = 'stored' | 'duplicate' | 'held' | 'rejected'

export interface GroupReceiveResult {
  readonly outcome: GroupReceiveOutcome
  /** Why it was refused or held: an error name (UnknownGroupKeyError, NoSenderKeyError, ...). */
  readonly reason?: string
}

export interface GroupReceiverInit {
  readonly context: CryptoContext
  /** The time for a message record (record-clock.ts): later than the one before. */
  readonly recordTime: () => number
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly members: Members
  readonly local: () => LocalDevice
  readonly account: () => AccountRecord
  readonly log: Log
  /** True when the device is in its account's current device list (the inbound side's check). */
  readonly isListed: (sender: DeviceAddress) => Promise<boolean>
  /** Inside a job: a delivery receipt to the device that sent the messages. */
  readonly sendReceipt: (unit: ClientUnit, to: DeviceAddress, messageIds: Uint8Array[]) => Promise<void>
  /** After a commit that stored something to send (receipts): deliver soon. */
  readonly kick: () => void
}

export class GroupReceiver {
  readonly #init: GroupReceiverInit

  constructor(init: GroupReceiverInit) {
    this.#init = init
  }

  /**
   * Processes one framed GroupEnvelope; resolves once what it changed is durable. Never rejects for
   * bad input. An envelope under a key this device does not hold is refused without being marked as
   * seen (UnknownGroupKeyError): nothing is stored for it.
   */
  async receive(payload: Uint8Array, options: { held?: boolean } = {}): Promise<GroupReceiveResult> {
    const { store, context, log } = this.#init
    let envelopeId: Uint8Array
    let keyId: number
    try {
      ;({ envelopeId, keyId } = groupEnvelopeHeader(payload))
    } catch (err) {
      log('a group envelope is malformed: %s', (err as Error).message)
      return { outcome: 'rejected', reason: (err as Error).name }
    }
    if (options.held !== true && (await store.inbox.seen(envelopeId))) {
      return { outcome: 'duplicate' }
    }
    const candidates = (await store.groups.list()).filter(
      (g) => !g.left && g.keys.some((k) => k.keyId === keyId),
    )
    if (candidates.length === 0) {
      return { outcome: 'rejected', reason: 'UnknownGroupKeyError' }
    }
    let opened: OpenedGroupEnvelope | undefined
    let group: GroupRecord | undefined
    for (const candidate of candidates) {
      try {
        opened = await openGroupEnvelope(
          context,
          payload,
          (id) => candidate.keys.find((k) => k.keyId === id)?.key,
        )
        group = candidate
        break
      } catch (err) {
        if (!(err instanceof CryptoError || err instanceof WireError)) {
          throw err
        }
      }
    }
    if (opened === undefined || group === undefined) {
      return this.#refuse(envelopeId, 'InvalidGroupEnvelopeError')
    }
    if (!constantTimeEqual(opened.groupId, group.groupId)) {
      return this.#refuse(envelopeId, 'InvalidGroupEnvelopeError')
    }
    const sender: DeviceAddress = { accountKey: opened.sender.accountKey, deviceId: opened.sender.deviceId }
    const self = this.#init.account()
    if (constantTimeEqual(sender.accountKey, self.accountKey) && sender.deviceId === self.deviceId) {
      return { outcome: 'duplicate' } // this device's own message, come back
    }
    if (!isMember(group.members, sender.accountKey)) {
      log('a group message from an account that is not a member was refused')
      return this.#refuse(envelopeId, 'NotGroupMemberError')
    }
    if (!(await this.#init.isListed(sender))) {
      log('a group message from a device that is not in its account device list was refused')
      return this.#refuse(envelopeId, 'UnknownDeviceError')
    }
    const groupId = group.groupId
    const message = opened.message
    const { value } = await this.#init.queue.run(async (unit): Promise<GroupReceiveResult> => {
      if (options.held !== true && (await unit.inbox.seen(envelopeId))) {
        return { outcome: 'duplicate' }
      }
      const now = this.#init.recordTime()
      let plaintext: Uint8Array
      try {
        plaintext = await groupDecrypt(context, unit.crypto.senderKeys, sender, message)
      } catch (err) {
        await unit.inbox.markSeen(envelopeId, now)
        if (err instanceof NoSenderKeyError) {
          // FAULTS 11: kept until the sender's key arrives over its pairwise session
          try {
            await unit.held.add(sender, groupId, payload)
          } catch (e) {
            log('held-message limit reached for a device: %s', (e as Error).message)
            return { outcome: 'rejected', reason: (e as Error).name }
          }
          return { outcome: 'held', reason: err.name }
        }
        if (err instanceof DuplicateMessageError) {
          return { outcome: 'duplicate' }
        }
        if (err instanceof CryptoError || err instanceof WireError) {
          log('a group message could not be decrypted: %s', (err as Error).message)
          return { outcome: 'rejected', reason: (err as Error).name }
        }
        throw err
      }
      await unit.inbox.markSeen(envelopeId, now)
      let content: pb.Content
      try {
        content = Content.decode(unpad(plaintext))
      } catch (err) {
        return { outcome: 'rejected', reason: (err as Error).name }
      }
      const text = content.text
      if (text === undefined || text.groupId === undefined || !constantTimeEqual(text.groupId, groupId)) {
        return { outcome: 'rejected', reason: 'InvalidGroupContentError' }
      }
      if (await unit.inbox.seen(content.messageId)) {
        return { outcome: 'duplicate' }
      }
      await unit.inbox.markSeen(content.messageId, now)
      const fromOwnAccount = constantTimeEqual(sender.accountKey, self.accountKey)
      await unit.messages.put({
        messageId: content.messageId,
        conversation: groupId,
        direction: fromOwnAccount ? 'out' : 'in',
        sender,
        text: text.body,
        sentAt: content.sentAt,
        receivedAt: now,
        recipients: [],
      })
      await appendEvent(unit, {
        type: 'message',
        id: content.messageId,
        conversation: groupId,
        direction: fromOwnAccount ? 'out' : 'in',
        from: sender.accountKey,
        fromDevice: sender.deviceId,
        text: text.body,
        sentAt: content.sentAt,
        receivedAt: now,
      })
      await this.#init.sendReceipt(unit, sender, [content.messageId])
      return { outcome: 'stored' }
    })
    if (value.outcome === 'stored') {
      this.#init.kick()
    }
    return value
  }

  /**
   * Inside a state job: applies a group-control message from `sender` if the membership rules allow
   * it (state.ts). Remaining members rotate their own sender key when a member leaves or is removed.
   * Returns whether it was applied.
   */
  async applyControl(unit: ClientUnit, sender: DeviceAddress, control: pb.GroupControl): Promise<boolean> {
    const self = this.#init.account()
    const current = await unit.groups.get(control.groupId)
    const decision = decideControl(current, {
      control,
      sender: sender.accountKey,
      self: self.accountKey,
      now: this.#init.context.now(),
    })
    if (!decision.applied) {
      this.#init.log('a group-control message was ignored: %s', decision.because)
      return false
    }
    await this.commitChange(unit, decision.record, {
      action: decision.action,
      by: sender.accountKey,
      subjects: control.subjects,
      rotate: decision.removed.length > 0 && !decision.left,
    })
    return true
  }

  /**
   * Inside a state job: stores a group record after a change (this device's own, or an applied
   * control), makes its members contacts, rotates this device's sender key when asked, and logs the
   * change as a `group` event.
   */
  async commitChange(
    unit: ClientUnit,
    record: GroupRecord,
    change: { action: GroupAction; by: Uint8Array; subjects: readonly Uint8Array[]; rotate: boolean },
  ): Promise<void> {
    const self = this.#init.local().address
    if (change.rotate) {
      await rotateSenderKey(this.#init.context, unit.crypto.senderKeys, self, record.groupId)
    }
    if (record.left) {
      await unit.crypto.senderKeys.deleteSenderKey(self, record.groupId)
    }
    await unit.groups.put(change.rotate ? { ...record, distributedTo: [] } : record)
    if (!record.left) {
      for (const member of record.members) {
        await this.#init.members.remember(unit, member.accountKey)
      }
    }
    await appendEvent(unit, {
      type: 'group',
      group: record.groupId,
      action: change.action,
      by: change.by,
      subjects: [...change.subjects],
      revision: record.revision,
      name: record.name,
    })
  }

  /**
   * Inside a state job: takes in a sender-key distribution from a member device of a group this device
   * is in, and returns the envelopes held for that sender, to be processed again after the commit.
   */
  async applyDistribution(
    unit: ClientUnit,
    sender: DeviceAddress,
    distribution: Uint8Array,
  ): Promise<Uint8Array[]> {
    let groupId: Uint8Array
    try {
      groupId = SenderKeyDistribution.decode(distribution).distributionId
    } catch (err) {
      this.#init.log('a sender-key distribution is malformed: %s', (err as Error).message)
      return []
    }
    const group = await unit.groups.get(groupId)
    if (group === undefined || group.left || !isMember(group.members, sender.accountKey)) {
      this.#init.log(
        'a sender-key distribution for a group this device is not in with its sender was ignored',
      )
      return []
    }
    try {
      await processSenderKeyDistribution(this.#init.context, unit.crypto.senderKeys, sender, distribution)
    } catch (err) {
      if (err instanceof CryptoError || err instanceof WireError) {
        this.#init.log('a sender-key distribution was refused: %s', (err as Error).message)
        return []
      }
      throw err
    }
    return unit.held.take(sender, groupId)
  }

  /**
   * Inside a state job: devices of `accountKey` left its device list (FAULTS 35). In every group that
   * account is in, this device rotates its sender key and hands the new one out again at its next
   * send, so the removed device reads nothing sent from now on.
   */
  async devicesRemoved(unit: ClientUnit, accountKey: Uint8Array): Promise<void> {
    const self = this.#init.local().address
    for (const group of await unit.groups.list()) {
      if (!group.left && isMember(group.members, accountKey)) {
        await rotateSenderKey(this.#init.context, unit.crypto.senderKeys, self, group.groupId)
        await unit.groups.put({ ...group, distributedTo: [] })
      }
    }
    this.#init.members.invalidate()
  }

  /** Marks a refused envelope as seen (a copy from another path is refused without work). */
  async #refuse(envelopeId: Uint8Array, reason: string): Promise<GroupReceiveResult> {
    await this.#init.queue.run(async (unit) => {
      await unit.inbox.markSeen(envelopeId, this.#init.context.now())
    })
    return { outcome: 'rejected', reason }
  }
}
