/**
 * The providers every record test runs against (describe.each), and small helpers shared by the
 * record tests.
 */
import { Signed } from '@ferry/wire'
import { nobleProvider } from '../../src/provider/noble.js'
import { nodeProvider } from '../../src/provider/node.js'
import type { CryptoProvider } from '../../src/provider/types.js'
import type { CryptoContext } from '../../src/types.js'

export const PROVIDERS: ReadonlyArray<readonly [string, CryptoProvider]> = [
  ['node', nodeProvider],
  ['noble', nobleProvider],
]

/**
 * Which signature bits the exhaustive bit-flip loops visit with a provider: every one of the 512 with
 * node:crypto (about 0.1 ms per Ed25519 verification), every fifth with noble (about 1.5 ms each on
 * this machine), which still flips every byte of the signature at every bit position across it.
 */
export function signatureBits(provider: CryptoProvider): number[] {
  const stride = provider.name === 'node' ? 1 : 5
  const bits: number[] = []
  for (let bit = 0; bit < 512; bit += stride) {
    bits.push(bit)
  }
  return bits
}

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

/** A protobuf varint, for framing hostile records by hand. */
export function varint(n: number): Uint8Array {
  const out: number[] = []
  let v = n
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v >>>= 7
  }
  out.push(v)
  return Uint8Array.from(out)
}

const PROVIDER_METHODS = [
  'randomBytes',
  'sha256',
  'sha512',
  'hmacSha256',
  'hkdfSha256',
  'aesGcmEncrypt',
  'aesGcmDecrypt',
  'x25519Keygen',
  'x25519PublicKey',
  'x25519',
  'ed25519Keygen',
  'ed25519PublicKey',
  'ed25519Sign',
  'ed25519Verify',
  'mlKem768Keygen',
  'mlKem768Encapsulate',
  'mlKem768Decapsulate',
] as const satisfies ReadonlyArray<Exclude<keyof CryptoProvider, 'name'>>

// fails to compile when CryptoProvider gains a method the spy would not see
const SPY_COVERS_EVERY_METHOD: [
  Exclude<Exclude<keyof CryptoProvider, 'name'>, (typeof PROVIDER_METHODS)[number]>,
] extends [never]
  ? true
  : false = true
void SPY_COVERS_EVERY_METHOD

/** A provider that records the name of every method called on it, then delegates. */
export function spyProvider(inner: CryptoProvider): { provider: CryptoProvider; calls: string[] } {
  const calls: string[] = []
  const provider: Record<string, unknown> = { name: inner.name }
  for (const method of PROVIDER_METHODS) {
    const fn = inner[method] as (...args: unknown[]) => unknown
    provider[method] = (...args: unknown[]) => {
      calls.push(method)
      return fn.apply(inner, args)
    }
  }
  return { provider: provider as unknown as CryptoProvider, calls }
}
