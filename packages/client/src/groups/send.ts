/**
 * Composing a group message, inside one state job: this device's sender key handed to the member
 * devices that do not hold it yet (over their pairwise sessions, through the outbox), the text
 * encrypted once with the sender key and sealed once under the group's envelope key, the message
 * record (its per-device statuses are added as devices confirm it: a device not listed is pending),
 * and one outbox entry that carries the envelope until every member device has confirmed it or a
 * relay holds it for it (delivery.ts). Apart from the sender keys handed out, what a send writes does
 * not grow with the group.
 *
 * The carrier entry is addressed to this device itself (it is never delivered there: its envelope
 * is a GroupEnvelope frame, which the courier hands to the group delivery).
 *
 * Owns: what one group send writes. Must not know: the network.
 */
import {
  type CryptoContext,
  createSenderKeyDistribution,
  groupEncrypt,
  type LocalDevice,
  NoSenderKeyError,
  sealGroupEnvelope,
  type VerifiedPreKeyBundle,
} from '@ferry/crypto'
import { type ClientUnit, type DeviceAddress, type GroupRecord, MAX_GROUP_DEVICES } from '@ferry/storage'
import { Content, pad } from '@ferry/wire'
import { MESSAGE_ID_BYTES } from '../constants.js'
import { type DeviceTarget, deviceKey } from '../directory.js'
import { GroupChangedError, NotGroupMemberError } from '../errors.js'
import type { Outbound } from '../outbound.js'

export interface GroupMessageInit {
  readonly context: CryptoContext
  /** The time for a message record (record-clock.ts): later than the one before. */
  readonly recordTime: () => number
  readonly outbound: Pick<Outbound, 'prepare'>
  readonly local: LocalDevice
  /** The group as the member targets were computed for it. */
  readonly group: GroupRecord
  readonly targets: readonly DeviceTarget[]
  /** Pre-key bundles claimed for targets without a session (for the sender-key distribution). */
  readonly bundles: ReadonlyMap<string, VerifiedPreKeyBundle>
  readonly text: string
  /** When the carrier entry is first due: after the wait for receipts. */
  readonly depositAt: number
}

export interface PreparedGroupMessage {
  readonly messageId: Uint8Array
  readonly envelopeId: Uint8Array
  /** The framed GroupEnvelope, as published and deposited. */
  readonly envelope: Uint8Array
  /** Devices the sender key was sent to in this job. */
  readonly distributed: number
}

/** Inside a state job: everything one group send writes (see the module comment). */
export async function prepareGroupMessage(
  unit: ClientUnit,
  init: GroupMessageInit,
): Promise<PreparedGroupMessage> {
  const { context, local } = init
  const { provider } = context
  const group = await unit.groups.get(init.group.groupId)
  if (group === undefined || group.left) {
    throw new NotGroupMemberError('this account is not a member of that group')
  }
  if (group.revision !== init.group.revision) {
    throw new GroupChangedError('the group changed while the message was being prepared')
  }
  const key = group.keys[0]
  if (key === undefined) {
    throw new NotGroupMemberError('this device holds no envelope key for that group')
  }
  const sentAt = init.recordTime()
  const self = local.address
  // the sender key, to the member devices that do not hold it yet
  const holders = new Set(group.distributedTo.map(deviceKey))
  const needing = init.targets.filter((t) => !holders.has(deviceKey(t.address)))
  let distributedTo: readonly DeviceAddress[] = group.distributedTo
  let distributed = 0
  if (needing.length > 0) {
    const distribution = await createSenderKeyDistribution(
      context,
      unit.crypto.senderKeys,
      self,
      group.groupId,
    )
    const plaintext = pad(
      Content.encode({
        messageId: provider.randomBytes(MESSAGE_ID_BYTES),
        sentAt,
        senderKeyDistribution: distribution,
      }),
    )
    const entries = await init.outbound.prepare(
      unit,
      provider.randomBytes(MESSAGE_ID_BYTES),
      needing,
      plaintext,
      init.bundles,
    )
    distributed = entries.length
    distributedTo = [...distributedTo, ...entries.map((e) => e.recipient)].slice(-MAX_GROUP_DEVICES)
    await unit.groups.put({ ...group, distributedTo })
  }
  // the message, encrypted once and sealed once for every member device
  const messageId = provider.randomBytes(MESSAGE_ID_BYTES)
  const plaintext = pad(
    Content.encode({ messageId, sentAt, text: { body: init.text, groupId: group.groupId } }),
  )
  let inner: Uint8Array
  try {
    inner = await groupEncrypt(context, unit.crypto.senderKeys, self, group.groupId, plaintext)
  } catch (err) {
    if (!(err instanceof NoSenderKeyError)) {
      throw err
    }
    // no member device needed the key, and this device has no chain yet (every other device left)
    await createSenderKeyDistribution(context, unit.crypto.senderKeys, self, group.groupId)
    inner = await groupEncrypt(context, unit.crypto.senderKeys, self, group.groupId, plaintext)
  }
  const envelopeId = provider.randomBytes(16)
  const envelope = await sealGroupEnvelope(context, {
    sender: local,
    key: key.key,
    keyId: key.keyId,
    envelopeId,
    groupId: group.groupId,
    message: inner,
  })
  await unit.messages.put({
    messageId,
    conversation: group.groupId,
    direction: 'out',
    sender: self,
    text: init.text,
    sentAt,
    receivedAt: sentAt,
    // statuses are listed as member devices confirm it or relays take it for them: what a send writes
    // stays the same size whatever the group's
    recipients: [],
  })
  await unit.inbox.markSeen(messageId, sentAt)
  await unit.inbox.markSeen(envelopeId, sentAt)
  await unit.outbox.put({
    messageId,
    recipient: self,
    envelopeId,
    envelope,
    mailboxes: [],
    state: 'pending',
    attempts: 0,
    nextAttemptAt: init.depositAt,
    createdAt: sentAt,
  })
  return { messageId, envelopeId, envelope, distributed }
}
