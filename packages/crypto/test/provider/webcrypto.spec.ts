/**
 * The WebCrypto provider's platform check: X25519 and Ed25519 are used from the platform only when
 * present and correct on known answers, detected once; otherwise noble serves that curve.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nodeProvider } from '../../src/provider/node.js'
import { createWebCryptoProvider, webCryptoProvider } from '../../src/provider/webcrypto.js'
import { hex, rejection, subtleWithoutCurves } from './fixtures.js'

/** A SubtleCrypto that counts calls per method and algorithm, and can alter Ed25519 signatures. */
function instrumented(real: SubtleCrypto, options: { corruptEd25519?: boolean } = {}) {
  const calls: string[] = []
  const subtle = new Proxy(real, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function') {
        return value
      }
      return async (...args: unknown[]) => {
        const algorithm = args.find(
          (a) => typeof a === 'string' || (typeof a === 'object' && a !== null && 'name' in a),
        ) as string | { name: string } | undefined
        const name = typeof algorithm === 'string' ? algorithm : algorithm?.name
        calls.push(`${String(property)} ${name}`)
        const result: unknown = await Reflect.apply(value, target, args)
        if (options.corruptEd25519 === true && property === 'sign' && name === 'Ed25519') {
          const signature = new Uint8Array(result as ArrayBuffer)
          signature[0] = signature[0]! ^ 1
          return signature.buffer
        }
        return result
      }
    },
  })
  return { subtle, calls }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('WebCrypto platform check', () => {
  it('Node 20 has both curves in WebCrypto', async () => {
    expect(await webCryptoProvider.curveSupport()).toEqual({ x25519: 'webcrypto', ed25519: 'webcrypto' })
  })

  it('without Secure Curves both fall back to noble, with the same results', async () => {
    const p = createWebCryptoProvider({ subtle: subtleWithoutCurves(crypto.subtle) })
    expect(await p.curveSupport()).toEqual({ x25519: 'noble', ed25519: 'noble' })
    const x = await nodeProvider.x25519Keygen()
    const y = await nodeProvider.x25519Keygen()
    expect(hex(await p.x25519(x.secretKey, y.publicKey))).toBe(
      hex(await nodeProvider.x25519(x.secretKey, y.publicKey)),
    )
    const e = await nodeProvider.ed25519Keygen()
    const message = new Uint8Array(10)
    expect(hex(await p.ed25519Sign(e.secretKey, message))).toBe(
      hex(await nodeProvider.ed25519Sign(e.secretKey, message)),
    )
    expect(hex(await p.ed25519PublicKey(e.secretKey))).toBe(hex(e.publicKey))
  })

  it('a platform that gets the Ed25519 known answer wrong is not used for Ed25519', async () => {
    const { subtle } = instrumented(crypto.subtle, { corruptEd25519: true })
    const p = createWebCryptoProvider({ subtle })
    expect(await p.curveSupport()).toEqual({ x25519: 'webcrypto', ed25519: 'noble' })
    const e = await nodeProvider.ed25519Keygen()
    const message = new Uint8Array(3)
    const signature = await p.ed25519Sign(e.secretKey, message)
    expect(hex(signature)).toBe(hex(await nodeProvider.ed25519Sign(e.secretKey, message)))
  })

  it('the check runs once per provider, however many calls race for it', async () => {
    const { subtle, calls } = instrumented(crypto.subtle)
    const p = createWebCryptoProvider({ subtle })
    const keys = await Promise.all([p.x25519Keygen(), p.x25519Keygen(), p.ed25519Keygen(), p.ed25519Keygen()])
    await p.ed25519Sign(keys[2]!.secretKey, new Uint8Array(1))
    // The Ed25519 check signs once (the RFC 8032 TEST 1 vector); everything else is the calls above.
    expect(calls.filter((c) => c === 'sign Ed25519')).toHaveLength(2)
    expect(await p.curveSupport()).toEqual({ x25519: 'webcrypto', ed25519: 'webcrypto' })
  })

  it('a secret-key array changed in place is imported again, not served from the remembered key', async () => {
    const p = createWebCryptoProvider()
    const a = await nodeProvider.ed25519Keygen()
    const b = await nodeProvider.ed25519Keygen()
    const key = a.secretKey.slice()
    const message = new Uint8Array(5)
    expect(hex(await p.ed25519Sign(key, message))).toBe(
      hex(await nodeProvider.ed25519Sign(a.secretKey, message)),
    )
    key.set(b.secretKey)
    expect(hex(await p.ed25519Sign(key, message))).toBe(
      hex(await nodeProvider.ed25519Sign(b.secretKey, message)),
    )
    expect(hex(await p.ed25519PublicKey(key))).toBe(hex(b.publicKey))
  })

  it('without crypto.subtle (an insecure context) operations fail with a CryptoError', async () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) })
    const p = createWebCryptoProvider()
    expect(await rejection(p.sha256(new Uint8Array(1)))).toBe('CryptoError')
    expect(
      await rejection(
        p.aesGcmDecrypt(new Uint8Array(32), new Uint8Array(12), new Uint8Array(16), new Uint8Array(0)),
      ),
    ).toBe('CryptoError')
    expect(p.randomBytes(4).byteLength).toBe(4)
  })
})
