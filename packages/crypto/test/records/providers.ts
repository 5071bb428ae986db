/**
 * The providers every record test runs against (describe.each), and small helpers shared by the
 * record tests.
 */
import { Signed } from '@ferry/wire'
import type { CryptoProvider } from '../../src/provider/types.js'
import type { CryptoContext } from '../../src/types.js'
import { testNobleProvider } from './test-provider.js'

export const PROVIDERS: ReadonlyArray<readonly [string, CryptoProvider]> = [['noble', testNobleProvider]]

/** A context with a fixed clock, so records are reproducible apart from their keys. */
export function contextFor(provider: CryptoProvider, now = 1_700_000_000_000): CryptoContext {
  return { provider, now: () => now }
}

/** A copy of `bytes` with bit `bit` (0 = least significant bit of byte 0) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  out[bit >>> 3] = out[bit >>> 3]! ^ (1 << (bit & 7))
  return out
}

/** A framed Signed record with its signature replaced by `mutate(signature)`. */
export function withSignature(record: Uint8Array, mutate: (signature: Uint8Array) => Uint8Array): Uint8Array {
  const envelope = Signed.decode(record)
  return Signed.encode({ body: envelope.body, signature: mutate(envelope.signature.slice()) })
}

/** Decodes 64 hex characters into bytes. */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16))
}

/** Little-endian 32-byte encoding of a non-negative integer below 2^256. */
export function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32)
  let v = n
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** A PeerId-shaped byte string (identity multihash of an Ed25519 key is 38 bytes). */
export function fakePeerId(provider: CryptoProvider): Uint8Array {
  return provider.randomBytes(38)
}
