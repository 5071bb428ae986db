import { DeviceCertificateBody, PreKeyBody, type pb, Signed, WireError } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { concat, toHex, utf8 } from '../../src/bytes.js'
import { InvalidKeyError, InvalidSignatureError } from '../../src/errors.js'
import { SignatureContext } from '../../src/records/constants.js'
import { X25519_LOW_ORDER_POINTS } from '../../src/records/keys.js'
import { openSignedRecord, signedMessage, signRecord } from '../../src/records/signed.js'
import { flipBit, PROVIDERS, signatureBits, varint, withSignature } from './providers.js'

describe('signature contexts', () => {
  it('are distinct and prefix-free, so context || body is unambiguous', () => {
    const contexts = Object.values(SignatureContext)
    expect(new Set(contexts).size).toBe(contexts.length)
    for (const a of contexts) {
      for (const b of contexts) {
        if (a !== b) {
          expect(b.startsWith(a)).toBe(false)
        }
      }
    }
  })

  it('the signed message is the UTF-8 context followed by the body, nothing else', () => {
    const body = Uint8Array.of(4, 1, 0)
    expect(toHex(signedMessage(SignatureContext.PreKey, body))).toBe(
      toHex(concat(utf8('ferry/pre-key/v1'), body)),
    )
  })
})

describe.each(PROVIDERS)('signed records with the %s provider', (_name, provider) => {
  async function fixture() {
    const signer = await provider.ed25519Keygen()
    const body = PreKeyBody.encode({
      kind: 'SIGNED_X25519' as pb.PreKeyKind,
      id: 7,
      publicKey: (await provider.x25519Keygen()).publicKey,
      createdAt: 1,
    })
    const record = await signRecord(provider, signer.secretKey, SignatureContext.PreKey, body)
    return { signer, body, record }
  }

  it('round-trips: open returns the body bytes exactly as signed', async () => {
    const { signer, body, record } = await fixture()
    const opened = await openSignedRecord(provider, signer.publicKey, SignatureContext.PreKey, record)
    expect(toHex(opened)).toBe(toHex(body))
    // the signature covers context || body, checked directly
    const { signature } = Signed.decode(record)
    expect(
      await provider.ed25519Verify(signer.publicKey, concat(utf8(SignatureContext.PreKey), body), signature),
    ).toBe(true)
  })

  it('a signature made under one context does not open under another', async () => {
    const { signer, record } = await fixture()
    for (const context of [SignatureContext.DeviceCertificate, SignatureContext.DeviceList]) {
      await expect(openSignedRecord(provider, signer.publicKey, context, record)).rejects.toThrow(
        InvalidSignatureError,
      )
    }
  })

  it('another key does not open it', async () => {
    const { record } = await fixture()
    const other = await provider.ed25519Keygen()
    await expect(
      openSignedRecord(provider, other.publicKey, SignatureContext.PreKey, record),
    ).rejects.toThrow(InvalidSignatureError)
  })

  it('any single signature bit flipped (all 512 with node:crypto) → InvalidSignatureError', async () => {
    const { signer, record } = await fixture()
    for (const bit of signatureBits(provider)) {
      const forged = withSignature(record, (signature) => flipBit(signature, bit))
      await expect(
        openSignedRecord(provider, signer.publicKey, SignatureContext.PreKey, forged),
      ).rejects.toThrow(InvalidSignatureError)
    }
  })

  it('a zero signature → InvalidSignatureError; an empty or short one → typed wire error', async () => {
    const { signer, body, record } = await fixture()
    const zero = withSignature(record, () => new Uint8Array(64))
    await expect(openSignedRecord(provider, signer.publicKey, SignatureContext.PreKey, zero)).rejects.toThrow(
      InvalidSignatureError,
    )
    for (const signature of [new Uint8Array(0), new Uint8Array(63)]) {
      // hand-framed, since the encoder refuses it: kind Signed, version 1, protobuf { body, signature }
      const bodyField = concat(Uint8Array.of(0x0a), varint(body.byteLength), body)
      const sigField =
        signature.byteLength === 0
          ? new Uint8Array(0)
          : concat(Uint8Array.of(0x12), varint(signature.byteLength), signature)
      const pb = concat(bodyField, sigField)
      const framed = concat(Uint8Array.of(0x01, 0x01), varint(pb.byteLength), pb)
      await expect(
        openSignedRecord(provider, signer.publicKey, SignatureContext.PreKey, framed),
      ).rejects.toThrow(WireError)
    }
  })

  it('any bit flipped in the body → rejected with a typed error (signature or wire)', async () => {
    const { signer, body, record } = await fixture()
    const { signature } = Signed.decode(record)
    for (let bit = 0; bit < body.byteLength * 8; bit += 7) {
      const forged = Signed.encode({ body: flipBit(body, bit), signature })
      const error = await openSignedRecord(provider, signer.publicKey, SignatureContext.PreKey, forged).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(error instanceof InvalidSignatureError || error instanceof WireError).toBe(true)
    }
  })

  it('malformed envelopes are refused with the wire package’s typed errors', async () => {
    const { signer, record } = await fixture()
    const body = DeviceCertificateBody.encode({
      accountKey: signer.publicKey,
      deviceId: 1,
      signingKey: signer.publicKey,
      identityKey: signer.publicKey,
      peerId: Uint8Array.of(1),
      createdAt: 0,
    })
    for (const bytes of [new Uint8Array(0), record.subarray(0, 10), concat(record, Uint8Array.of(0)), body]) {
      await expect(
        openSignedRecord(provider, signer.publicKey, SignatureContext.PreKey, bytes),
      ).rejects.toThrow(WireError)
    }
  })

  it('a small-order signer key is refused before verification', async () => {
    const { record } = await fixture()
    await expect(
      openSignedRecord(provider, X25519_LOW_ORDER_POINTS[1]!, SignatureContext.PreKey, record),
    ).rejects.toThrow(InvalidKeyError)
  })
})
