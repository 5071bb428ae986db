/**
 * Noise's cipher switch on Node (src/presets/noise-crypto.node.ts): the same ChaCha20-Poly1305 as
 * noise's default, byte for byte on both sides of the switch, and the Node presets' hosts sealing
 * frames from NOISE_OPENSSL_MIN_BYTES up with OpenSSL (noise's default takes its WebAssembly cipher up
 * to 1,200 bytes).
 */
import { asCrypto, defaultCrypto, nodeCrypto } from '@chainsafe/libp2p-noise/crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createNodeLibp2p } from '../src/index.js'
import { NOISE_OPENSSL_MIN_BYTES, nodeNoiseCrypto, noiseCipherFor } from '../src/presets/noise-crypto.node.js'

const PROTOCOL = '/ferry-test/noise-crypto/1'
/** A frame between the measured crossing (about 500 bytes) and noise's own switch (1,200). */
const MID_FRAME_BYTES = 1_000

const key = new Uint8Array(32).map((_, i) => i + 1)
const nonce = new Uint8Array(12).map((_, i) => 200 - i)
const ad = new Uint8Array([1, 2, 3])

const bytes = (list: Uint8Array | { subarray(): Uint8Array }) =>
  list instanceof Uint8Array ? Uint8Array.from(list) : Uint8Array.from(list.subarray())

describe('noise crypto on Node', async () => {
  const nodeNoise = await nodeNoiseCrypto()

  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('switches to OpenSSL at NOISE_OPENSSL_MIN_BYTES', () => {
    expect(noiseCipherFor(NOISE_OPENSSL_MIN_BYTES - 1)).toBe('webassembly')
    expect(noiseCipherFor(NOISE_OPENSSL_MIN_BYTES)).toBe('openssl')
    expect(noiseCipherFor(MID_FRAME_BYTES)).toBe('openssl')
  })

  it("seals and opens exactly as noise's default on both sides of either switch", () => {
    for (const size of [0, 1, NOISE_OPENSSL_MIN_BYTES - 1, NOISE_OPENSSL_MIN_BYTES, 1_199, 1_200, 65_519]) {
      const plaintext = new Uint8Array(size).map((_, i) => (i * 7) & 0xff)
      const sealed = bytes(nodeNoise.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key))
      expect(sealed).toEqual(bytes(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key)))
      expect(bytes(nodeNoise.chaCha20Poly1305Decrypt(sealed, nonce, ad, key))).toEqual(plaintext)
      expect(bytes(defaultCrypto.chaCha20Poly1305Decrypt(sealed, nonce, ad, key))).toEqual(plaintext)
    }
  })

  it('refuses a frame with a flipped bit on both sides of the switch', () => {
    for (const size of [100, MID_FRAME_BYTES]) {
      const sealed = bytes(nodeNoise.chaCha20Poly1305Encrypt(new Uint8Array(size), nonce, ad, key))
      sealed[sealed.length - 1]! ^= 1
      expect(() => nodeNoise.chaCha20Poly1305Decrypt(sealed, nonce, ad, key)).toThrow()
    }
  })

  it(`a Node preset host seals a ${MID_FRAME_BYTES}-byte frame with OpenSSL, not noise's WebAssembly cipher`, async () => {
    const [a, b] = await Promise.all([
      createNodeLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }),
      createNodeLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }),
    ])
    try {
      let arrived!: () => void
      const arrival = new Promise<void>((resolve) => {
        arrived = resolve
      })
      let receivedBytes = 0
      await b.handle(PROTOCOL, (stream) => {
        stream.addEventListener('message', (event) => {
          receivedBytes += event.data.byteLength
          if (receivedBytes >= MID_FRAME_BYTES) {
            arrived()
          }
        })
      })
      const stream = await (await a.dial(b.getMultiaddrs())).newStream(PROTOCOL)
      // counted from here: frames of at least the switch size, by implementation
      const sealedBy = { webassembly: 0, openssl: 0 }
      const wasm = asCrypto.chaCha20Poly1305Encrypt.bind(asCrypto)
      const openssl = nodeCrypto.chaCha20Poly1305Encrypt.bind(nodeCrypto)
      vi.spyOn(asCrypto, 'chaCha20Poly1305Encrypt').mockImplementation((plaintext, ...rest) => {
        if (plaintext.byteLength >= NOISE_OPENSSL_MIN_BYTES) {
          sealedBy.webassembly++
        }
        return wasm(plaintext, ...rest)
      })
      vi.spyOn(nodeCrypto, 'chaCha20Poly1305Encrypt').mockImplementation((plaintext, ...rest) => {
        if (plaintext.byteLength >= NOISE_OPENSSL_MIN_BYTES) {
          sealedBy.openssl++
        }
        return openssl(plaintext, ...rest)
      })
      stream.send(new Uint8Array(MID_FRAME_BYTES).fill(9))
      await arrival
      expect(receivedBytes).toBe(MID_FRAME_BYTES)
      expect(sealedBy).toEqual({ webassembly: 0, openssl: 1 })
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })
})
