/**
 * The delivery status of a message this device composed, per recipient device: pending, then stored
 * (a relay holds it for the device), delivered (the device acked it or sent a delivery receipt), read.
 * A status only moves forward, and every move is a `status` event. A group message's record lists only
 * the member devices past pending, so what a send writes does not grow with the group.
 *
 * Owns: those moves. Must not know: what made them (an attempt, a receipt).
 */
import { constantTimeEqual } from '@ferry/crypto'
import type { ClientUnit, DeviceAddress } from '@ferry/storage'
import { appendEvent } from './event-log.js'

/**
 * Moves a device's status of a message forward and logs a status event (a message this device
 * composed; receipts and other contents have no message record and no status). A group message's
 * record lists only the member devices past 'pending'.
 */
export async function updateStatus(
  unit: ClientUnit,
  messageId: Uint8Array,
  device: DeviceAddress,
  status: 'stored' | 'delivered' | 'read',
): Promise<void> {
  const before = await unit.messages.get(messageId)
  if (before === undefined || before.direction !== 'out') {
    return
  }
  const previous = before.recipients.find(
    (r) => r.device.deviceId === device.deviceId && constantTimeEqual(r.device.accountKey, device.accountKey),
  )
  if (previous === undefined) {
    // a group message lists only the member devices that confirmed it or that a relay holds it for
    // (its pending devices are the group's others): a member device is added, any other ignored
    const group =
      before.conversation.byteLength === 16 ? await unit.groups.get(before.conversation) : undefined
    if (
      group === undefined ||
      !group.members.some((m) => constantTimeEqual(m.accountKey, device.accountKey))
    ) {
      return
    }
  } else if (rank(previous.status) >= rank(status)) {
    return
  }
  await unit.messages.updateStatus(messageId, device, status)
  await appendEvent(unit, {
    type: 'status',
    id: messageId,
    account: device.accountKey,
    device: device.deviceId,
    status,
  })
}

const ORDER = ['pending', 'stored', 'delivered', 'read'] as const

function rank(status: (typeof ORDER)[number]): number {
  return ORDER.indexOf(status)
}
