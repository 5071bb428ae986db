/**
 * No provider puts key bytes into an error: not in the message, the stack, a cause, or what
 * `util.inspect` shows, in any common encoding (hex, base64, base64url, or the decimal list that
 * `String(uint8Array)` gives).
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { errorName, providers } from './fixtures.js'

function encodings(key: Uint8Array): string[] {
  const buffer = Buffer.from(key)
  const out = [
    buffer.toString('hex'),
    buffer.toString('hex').toUpperCase(),
    buffer.toString('base64'),
    buffer.toString('base64url'),
    String(key),
  ]
  // Any 8-byte window in hex or base64 is enough to count as a leak.
  for (let i = 0; i + 8 <= key.byteLength; i += 4) {
    const window = buffer.subarray(i, i + 8)
    out.push(window.toString('hex'), window.toString('base64').slice(0, 10))
  }
  return out
}

async function errorFrom(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

function expectRedacted(err: unknown, key: Uint8Array): void {
  expect(errorName(err)).not.toMatch(/^foreign/)
  const error = err as Error
  expect(error.cause).toBeUndefined()
  const texts = [error.message, String(error.stack), inspect(error, { depth: 5 }), JSON.stringify(error)]
  for (const text of texts) {
    for (const encoded of encodings(key)) {
      expect(text.includes(encoded), `error text contains ${encoded.slice(0, 12)}...`).toBe(false)
    }
  }
}

describe.each(providers)('%s provider: errors carry no key bytes', (_label, p) => {
  const secret = p.randomBytes(32)
  const short = p.randomBytes(31)
  const lowOrder = new Uint8Array(32)

  it('wrong-length keys', async () => {
    expectRedacted(await errorFrom(p.x25519(short, lowOrder)), short)
    expectRedacted(await errorFrom(p.x25519PublicKey(short)), short)
    expectRedacted(await errorFrom(p.ed25519PublicKey(short)), short)
    expectRedacted(await errorFrom(p.ed25519Sign(short, secret)), short)
    expectRedacted(await errorFrom(p.aesGcmEncrypt(short, new Uint8Array(12), secret, secret)), short)
    expectRedacted(await errorFrom(p.mlKem768Keygen(short)), short)
  })

  it('an X25519 low-order public key refused with a real secret key', async () => {
    expectRedacted(await errorFrom(p.x25519(secret, lowOrder)), secret)
  })

  it('an AES-GCM tag failure and a bad nonce', async () => {
    const sealed = await p.aesGcmEncrypt(secret, new Uint8Array(12), short, new Uint8Array(0))
    sealed[0] = sealed[0]! ^ 1
    expectRedacted(
      await errorFrom(p.aesGcmDecrypt(secret, new Uint8Array(12), sealed, new Uint8Array(0))),
      secret,
    )
    expectRedacted(await errorFrom(p.aesGcmEncrypt(secret, short, short, short)), secret)
  })

  it('HKDF and HMAC input errors', async () => {
    expectRedacted(await errorFrom(p.hkdfSha256(secret, secret, secret, 255 * 32 + 1)), secret)
    expectRedacted(await errorFrom(p.hmacSha256(secret, 'text' as unknown as Uint8Array)), secret)
  })

  it('ML-KEM: a decapsulation key failing its hash check, a corrupt encapsulation key, a short ciphertext', async () => {
    const keys = await p.mlKem768Keygen(p.randomBytes(64))
    const corrupt = keys.secretKey.slice()
    corrupt[1200] = corrupt[1200]! ^ 1
    const ciphertext = (await p.mlKem768Encapsulate(keys.publicKey)).ciphertext
    expectRedacted(await errorFrom(p.mlKem768Decapsulate(corrupt, ciphertext)), corrupt.subarray(0, 64))
    expectRedacted(await errorFrom(p.mlKem768Decapsulate(corrupt, ciphertext)), corrupt.subarray(2368))
    expectRedacted(
      await errorFrom(p.mlKem768Decapsulate(keys.secretKey, ciphertext.subarray(1))),
      keys.secretKey.subarray(2368),
    )
    const overflow = keys.publicKey.slice()
    overflow[0] = 0xff
    overflow[1] = 0xff
    expectRedacted(await errorFrom(p.mlKem768Encapsulate(overflow, secret)), secret)
  })
})
