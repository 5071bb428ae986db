/**
 * Padding of plaintext to PADDING_BLOCK_BYTES buckets before encryption (ISO/IEC 7816-4: one 0x80
 * byte, then zeros), so ciphertext sizes reveal a bucket, not a length.
 */
import { MAX_CONTENT_BYTES, PADDING_BLOCK_BYTES } from './constants.js'
import { MalformedError, OversizedError } from './errors.js'

export function pad(plaintext: Uint8Array, block: number = PADDING_BLOCK_BYTES): Uint8Array {
  if (!Number.isSafeInteger(block) || block < 1) {
    throw new MalformedError('padding: the block size must be a positive integer')
  }
  const padded = Math.ceil((plaintext.byteLength + 1) / block) * block
  if (padded > MAX_CONTENT_BYTES) {
    throw new OversizedError(`padded plaintext of ${padded} bytes exceeds ${MAX_CONTENT_BYTES}`)
  }
  const out = new Uint8Array(padded)
  out.set(plaintext)
  out[plaintext.byteLength] = 0x80
  return out
}

export function unpad(padded: Uint8Array): Uint8Array {
  // pad never produces more, so a longer input is refused before it is scanned
  if (padded.byteLength > MAX_CONTENT_BYTES) {
    throw new OversizedError(`padded plaintext of ${padded.byteLength} bytes exceeds ${MAX_CONTENT_BYTES}`)
  }
  let end = padded.byteLength - 1
  while (end >= 0 && padded[end] === 0) {
    end--
  }
  if (end < 0 || padded[end] !== 0x80) {
    throw new MalformedError('padding: no 0x80 marker')
  }
  return padded.subarray(0, end)
}
