/**
 * What sending one message to N member devices costs the sender, both ways, each in one unit of the
 * client store committed at the end (what the messenger's state job does):
 *
 * - group (packages/client/src/groups/send.ts, once sender keys are handed out): read the group
 *   record, encrypt once with the sender key, seal once under the group's envelope key, the message
 *   record (statuses are added later, as devices confirm), the dedup marks, one carrier outbox entry;
 * - pairwise fan-out (packages/client/src/outbound.ts `prepare`): per member device a Double Ratchet
 *   step and a sealed envelope for its identity key and one outbox entry, then the message record.
 *
 * Both return the bytes they would put on the network (see `groupBytes` and `pairwiseBytes`).
 */
import {
  groupDecrypt,
  groupEncrypt,
  openGroupEnvelope,
  SessionCipher,
  sealEnvelope,
  sealGroupEnvelope,
} from '@ferry/crypto'
import type { DeviceAddress } from '@ferry/storage'
import { Content, MAILBOX_ID_BYTES, unpad } from '@ferry/wire'
import { content, context, type Fixture } from './members.js'

/** gossipsub's mesh degree: a publisher sends to its mesh peers (flood publishing is off). */
export const GOSSIP_MESH_DEGREE = 6

export interface SentBytes {
  /** Envelope bytes of one message as published or deposited (without stream framing). */
  readonly envelope: number
  /** Bytes the sender puts on the network when every member device is online. */
  readonly online: number
  /** Bytes when every member device is offline: the relay deposits. */
  readonly offline: number
}

function status(devices: readonly DeviceAddress[]) {
  return devices.map((device) => ({ device, status: 'pending' as const }))
}

/** One group message: returns the framed GroupEnvelope. */
export async function sendGroup(f: Fixture, text: string): Promise<Uint8Array> {
  const { sender } = f
  const unit = sender.store.unit()
  const group = await unit.groups.get(sender.groupId)
  if (group === undefined) {
    throw new Error('benchmark: the group record is missing')
  }
  const sentAt = context.now()
  const plaintext = content(text, sender.groupId)
  const inner = await groupEncrypt(
    context,
    unit.crypto.senderKeys,
    sender.local.address,
    sender.groupId,
    plaintext,
  )
  const envelopeId = context.provider.randomBytes(16)
  const envelope = await sealGroupEnvelope(context, {
    sender: sender.local,
    key: sender.envelopeKey.key,
    keyId: sender.envelopeKey.keyId,
    envelopeId,
    groupId: sender.groupId,
    message: inner,
  })
  const messageId = context.provider.randomBytes(16)
  await unit.messages.put({
    messageId,
    conversation: sender.groupId,
    direction: 'out',
    sender: sender.local.address,
    text,
    sentAt,
    receivedAt: sentAt,
    // statuses are added as member devices confirm (a device not listed is pending)
    recipients: [],
  })
  await unit.inbox.markSeen(messageId, sentAt)
  await unit.inbox.markSeen(envelopeId, sentAt)
  await unit.outbox.put({
    messageId,
    recipient: sender.local.address,
    envelopeId,
    envelope,
    mailboxes: [],
    state: 'pending',
    attempts: 0,
    nextAttemptAt: sentAt,
    createdAt: sentAt,
  })
  await unit.commit()
  return envelope
}

/** One message fanned out pairwise: returns the sealed envelopes' sizes. */
export async function sendPairwise(f: Fixture, text: string): Promise<number[]> {
  const { sender, members } = f
  const unit = sender.store.unit()
  const cipher = new SessionCipher({ context, stores: unit.crypto, local: sender.local })
  const sentAt = context.now()
  const messageId = context.provider.randomBytes(16)
  const plaintext = content(text)
  const sizes: number[] = []
  for (const m of members) {
    const message = await cipher.encrypt(m.local.address, plaintext)
    const envelope = await sealEnvelope(context, {
      sender: sender.local,
      recipientIdentityKey: m.local.identityKeyPair.publicKey,
      type: message.type,
      message: message.body,
    })
    await unit.outbox.put({
      messageId,
      recipient: m.local.address,
      envelopeId: context.provider.randomBytes(16),
      envelope,
      mailboxes: [],
      state: 'pending',
      attempts: 0,
      nextAttemptAt: sentAt,
      createdAt: sentAt,
    })
    sizes.push(envelope.byteLength)
  }
  await unit.messages.put({
    messageId,
    conversation: members[0]!.local.address.accountKey,
    direction: 'out',
    sender: sender.local.address,
    text,
    sentAt,
    receivedAt: sentAt,
    recipients: status(members.map((m) => m.local.address)),
  })
  await unit.inbox.markSeen(messageId, sentAt)
  await unit.commit()
  return sizes
}

/** Group: D copies over gossip when all are online; one deposit listing N mailboxes otherwise. */
export function groupBytes(envelope: Uint8Array, devices: number): SentBytes {
  return {
    envelope: envelope.byteLength,
    online: Math.min(devices, GOSSIP_MESH_DEGREE) * envelope.byteLength,
    offline: envelope.byteLength + devices * MAILBOX_ID_BYTES,
  }
}

/** Pairwise: one sealed envelope per device, direct or deposited (with its one mailbox ID). */
export function pairwiseBytes(sizes: readonly number[]): SentBytes {
  const total = sizes.reduce((a, b) => a + b, 0)
  return {
    envelope: Math.round(total / Math.max(1, sizes.length)),
    online: total,
    offline: total + sizes.length * MAILBOX_ID_BYTES,
  }
}

/** Checks (untimed) that a member opens and decrypts a group envelope back to its text. */
export async function checkGroupMessage(f: Fixture, envelope: Uint8Array, text: string): Promise<void> {
  const m = f.members[f.members.length - 1]!
  const opened = await openGroupEnvelope(context, envelope, () => f.sender.envelopeKey.key)
  const plaintext = await groupDecrypt(context, m.stores.senderKeys, f.sender.local.address, opened.message)
  if (Content.decode(unpad(plaintext)).text?.body !== text) {
    throw new Error('benchmark: a member did not read the group message back')
  }
}
