/**
 * Known-answer tests: every provider against the published vectors of RFC 7748 (X25519), RFC 8032
 * (Ed25519), RFC 5869 (HKDF-SHA-256), RFC 4231 (HMAC-SHA-256), FIPS 180-2 (SHA-256/512) and the GCM
 * specification (AES-256-GCM), transcribed in test/vectors/*.json with their sources.
 */
import { describe, expect, it } from 'vitest'
import { fromHex, hex, loadVectors, providers } from './fixtures.js'

interface X25519Vectors {
  scalarMult: { name: string; scalar: string; u: string; output: string }[]
  iterated: { start: string; after: { iterations: number; k: string }[] }
  diffieHellman: {
    alicePrivate: string
    alicePublic: string
    bobPrivate: string
    bobPublic: string
    shared: string
  }
}
interface Ed25519Vectors {
  vectors: { name: string; secretKey: string; publicKey: string; message: string; signature: string }[]
}
interface HkdfVectors {
  vectors: { name: string; ikm: string; salt: string; info: string; length: number; okm: string }[]
}
interface HmacVectors {
  vectors: { name: string; key: string; data: string; mac: string; truncatedTo?: number }[]
}
interface ShaVector {
  name: string
  message: string
  repeat?: number
  digest: string
}
interface ShaVectors {
  sha256: ShaVector[]
  sha512: ShaVector[]
}
interface GcmVectors {
  vectors: {
    name: string
    key: string
    nonce: string
    aad: string
    plaintext: string
    ciphertext: string
    tag: string
  }[]
}

const x25519Vectors = loadVectors<X25519Vectors>('x25519-rfc7748.json')
const ed25519Vectors = loadVectors<Ed25519Vectors>('ed25519-rfc8032.json')
const hkdfVectors = loadVectors<HkdfVectors>('hkdf-sha256-rfc5869.json')
const hmacVectors = loadVectors<HmacVectors>('hmac-sha256-rfc4231.json')
const shaVectors = loadVectors<ShaVectors>('sha2-fips180.json')
const gcmVectors = loadVectors<GcmVectors>('aes-256-gcm.json')

function shaInput(v: ShaVector): Uint8Array {
  const unit = fromHex(v.message)
  const out = new Uint8Array(unit.byteLength * (v.repeat ?? 1))
  for (let offset = 0; offset < out.byteLength; offset += unit.byteLength) {
    out.set(unit, offset)
  }
  return out
}

describe.each(providers)('%s provider: known answers', (_name, p) => {
  describe('X25519 (RFC 7748)', () => {
    it.each(x25519Vectors.scalarMult)('$name', async (v) => {
      expect(hex(await p.x25519(fromHex(v.scalar), fromHex(v.u)))).toBe(v.output)
    })

    it('§5.2 iterated scalar multiplication, 1 and 1,000 iterations', async () => {
      let k = fromHex(x25519Vectors.iterated.start)
      let u = k
      let done = 0
      for (const step of x25519Vectors.iterated.after) {
        for (; done < step.iterations; done++) {
          const next = await p.x25519(k, u)
          u = k
          k = next
        }
        expect(hex(k), `after ${step.iterations}`).toBe(step.k)
      }
    })

    it('§6.1 Alice and Bob: public keys and the shared secret', async () => {
      const v = x25519Vectors.diffieHellman
      expect(hex(await p.x25519PublicKey(fromHex(v.alicePrivate)))).toBe(v.alicePublic)
      expect(hex(await p.x25519PublicKey(fromHex(v.bobPrivate)))).toBe(v.bobPublic)
      expect(hex(await p.x25519(fromHex(v.alicePrivate), fromHex(v.bobPublic)))).toBe(v.shared)
      expect(hex(await p.x25519(fromHex(v.bobPrivate), fromHex(v.alicePublic)))).toBe(v.shared)
    })
  })

  describe('Ed25519 (RFC 8032 §7.1)', () => {
    it.each(ed25519Vectors.vectors)('$name: public key, signature, verification', async (v) => {
      const secretKey = fromHex(v.secretKey)
      const message = fromHex(v.message)
      const signature = fromHex(v.signature)
      expect(hex(await p.ed25519PublicKey(secretKey))).toBe(v.publicKey)
      expect(hex(await p.ed25519Sign(secretKey, message))).toBe(v.signature)
      expect(await p.ed25519Verify(fromHex(v.publicKey), message, signature)).toBe(true)
      const flipped = signature.slice()
      flipped[5] = flipped[5]! ^ 0x01
      expect(await p.ed25519Verify(fromHex(v.publicKey), message, flipped)).toBe(false)
    })
  })

  describe('HKDF-SHA-256 (RFC 5869 Appendix A)', () => {
    it.each(hkdfVectors.vectors)('$name', async (v) => {
      const okm = await p.hkdfSha256(fromHex(v.ikm), fromHex(v.salt), fromHex(v.info), v.length)
      expect(hex(okm)).toBe(v.okm)
    })
  })

  describe('HMAC-SHA-256 (RFC 4231)', () => {
    it.each(hmacVectors.vectors)('$name', async (v) => {
      const mac = await p.hmacSha256(fromHex(v.key), fromHex(v.data))
      expect(mac.byteLength).toBe(32)
      expect(hex(mac.subarray(0, v.truncatedTo ?? 32))).toBe(v.mac)
    })
  })

  describe('SHA-2 (FIPS 180-2 examples)', () => {
    it.each(shaVectors.sha256)('SHA-256 $name', async (v) => {
      expect(hex(await p.sha256(shaInput(v)))).toBe(v.digest)
    })
    it.each(shaVectors.sha512)('SHA-512 $name', async (v) => {
      expect(hex(await p.sha512(shaInput(v)))).toBe(v.digest)
    })
  })

  describe('AES-256-GCM (GCM specification, test cases 13-16)', () => {
    it.each(gcmVectors.vectors)('$name: seal, open, and a flipped tag bit fails', async (v) => {
      const key = fromHex(v.key)
      const nonce = fromHex(v.nonce)
      const aad = fromHex(v.aad)
      const sealed = await p.aesGcmEncrypt(key, nonce, fromHex(v.plaintext), aad)
      expect(hex(sealed)).toBe(v.ciphertext + v.tag)
      expect(hex(await p.aesGcmDecrypt(key, nonce, sealed, aad))).toBe(v.plaintext)
      const forged = sealed.slice()
      forged[forged.length - 1] = forged[forged.length - 1]! ^ 0x80
      await expect(p.aesGcmDecrypt(key, nonce, forged, aad)).rejects.toMatchObject({
        name: 'AuthenticationError',
      })
    })
  })
})
