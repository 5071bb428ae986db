/**
 * Delivery receipts this device owes: a received message's ID and the device that sent it, written in
 * the batch that stores the message, and removed in the batch that seals the receipt naming it. The
 * receipt itself is made later, for every message owed to a device at once (the client coalesces
 * them), and a crash in between loses nothing: what is owed is on disk with the message.
 */
import { copyBytes } from '../binary.js'
import { upperBound } from '../database.js'
import { CLIENT_ID_BYTES, DEVICE_ADDRESS_BYTES, MAX_OWED_RECEIPTS_PAGE } from './constants.js'
import { type ClientKeys, checkLimit, readAddress, TAG } from './keys.js'
import { MARKER } from './records-crypto.js'
import type { Sink, Source } from './source.js'
import type { DeviceAddress } from './types.js'

export interface OwedReceipt {
  /** The device that sent the message, which the receipt goes to. */
  readonly to: DeviceAddress
  readonly messageId: Uint8Array
}

export class ReceiptsOwedReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  /**
   * Owed receipts in key order (grouped by device), at most `limit` (≤ MAX_OWED_RECEIPTS_PAGE).
   * An entry whose key does not parse (never written by this code) is skipped.
   */
  async list(limit: number = MAX_OWED_RECEIPTS_PAGE): Promise<OwedReceipt[]> {
    const max = checkLimit(limit, MAX_OWED_RECEIPTS_PAGE)
    const prefix = this.keys.prefix(TAG.receiptOwed)
    const out: OwedReceipt[] = []
    if (max === 0) {
      return out
    }
    for await (const [key] of this.source.entries({ gte: prefix, lt: upperBound(prefix) })) {
      if (key.byteLength !== prefix.byteLength + DEVICE_ADDRESS_BYTES + CLIENT_ID_BYTES) {
        continue
      }
      out.push({
        to: readAddress(key, prefix.byteLength),
        messageId: copyBytes(key, prefix.byteLength + DEVICE_ADDRESS_BYTES, key.byteLength),
      })
      if (out.length >= max) {
        break
      }
    }
    return out
  }
}

export class ReceiptsOwedView extends ReceiptsOwedReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /** Records that a delivery receipt for `messageId` is owed to `to` (again: no change). */
  owe(to: DeviceAddress, messageId: Uint8Array): void {
    // the key checks the ID (ClientKeys.receiptOwed)
    this.store.put(this.keys.receiptOwed(to, messageId), MARKER)
  }

  /** Forgets owed receipts (sealed, or dropped). */
  settle(owed: readonly OwedReceipt[]): void {
    for (const { to, messageId } of owed) {
      this.store.del(this.keys.receiptOwed(to, messageId))
    }
  }
}
