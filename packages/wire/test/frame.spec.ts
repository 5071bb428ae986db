import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { frame, unframe } from '../src/frame.js'
import {
  Content,
  Kind,
  MAX_FRAME_BYTES,
  MAX_FRAME_HEADER_BYTES,
  MalformedError,
  OversizedError,
  RatchetMessage,
  TruncatedError,
  UnknownVersionError,
  WIRE_VERSION,
  WrongTypeError,
} from '../src/index.js'

const messageId = new Uint8Array(16).fill(7)

describe('frame', () => {
  it('round-trips a Content', () => {
    const bytes = Content.encode({ messageId, sentAt: 1234, text: { body: 'hello' } })
    const back = Content.decode(bytes)
    expect(back.text?.body).toBe('hello')
    expect(back.sentAt).toBe(1234)
    expect(Content.encode(back)).toEqual(bytes)
  })

  it('rejects every truncation', () => {
    const bytes = Content.encode({ messageId, sentAt: 1234, text: { body: 'hello' } })
    for (let n = 0; n < bytes.byteLength; n++) {
      expect(() => Content.decode(bytes.subarray(0, n))).toThrow(TruncatedError)
    }
  })

  it('rejects trailing bytes', () => {
    const bytes = Content.encode({ messageId, sentAt: 1, text: { body: 'x' } })
    const longer = new Uint8Array(bytes.byteLength + 1)
    longer.set(bytes)
    expect(() => Content.decode(longer)).toThrow(MalformedError)
  })

  it('rejects the wrong kind and an unknown version', () => {
    const bytes = Content.encode({ messageId, sentAt: 1, text: { body: 'x' } })
    expect(() => RatchetMessage.decode(bytes)).toThrow(WrongTypeError)
    const v2 = bytes.slice()
    v2[1] = 2
    expect(() => Content.decode(v2)).toThrow(UnknownVersionError)
  })

  it('refuses a 2^32 length prefix before buffering', () => {
    const hostile = new Uint8Array([0x40, 1, 0x80, 0x80, 0x80, 0x80, 0x10])
    expect(() => Content.decode(hostile)).toThrow(OversizedError)
  })

  it('writes the shortest length varint at every width boundary, and unframe inverts frame', () => {
    const widths: Array<[number, number]> = [
      [0, 1],
      [127, 1],
      [128, 2],
      [16_383, 2],
      [16_384, 3],
      [MAX_FRAME_BYTES, 3],
    ]
    for (const [length, varintBytes] of widths) {
      const body = new Uint8Array(length).fill(9)
      const bytes = frame(Kind.Content, body)
      expect(bytes.byteLength - length).toBe(2 + varintBytes)
      expect(bytes.byteLength - length).toBeLessThanOrEqual(MAX_FRAME_HEADER_BYTES)
      expect(bytes[0]).toBe(Kind.Content)
      expect(bytes[1]).toBe(WIRE_VERSION)
      expect(unframe(bytes, Kind.Content).byteLength).toBe(length)
    }
  })

  it('unframe(frame(body)) = body for any body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (body) => {
        expect(unframe(frame(Kind.Signed, body), Kind.Signed)).toEqual(body)
      }),
      { numRuns: 50 },
    )
  })

  it("applies the caller's cap: at the cap accepted, one byte over refused", () => {
    expect(unframe(frame(Kind.Signed, new Uint8Array(100)), Kind.Signed, 100).byteLength).toBe(100)
    expect(() => unframe(frame(Kind.Signed, new Uint8Array(101)), Kind.Signed, 100)).toThrow(OversizedError)
  })

  it('rejects a non-minimal length varint', () => {
    // 0x85 0x00 is 5 in two bytes
    const bytes = Uint8Array.of(Kind.Signed, WIRE_VERSION, 0x85, 0x00, 1, 2, 3, 4, 5)
    expect(() => unframe(bytes, Kind.Signed)).toThrow(MalformedError)
  })

  it('rejects input that is not a Uint8Array with a typed error', () => {
    for (const notBytes of ['\x40\x01\x00', [0x40, 1, 0], null, undefined, new ArrayBuffer(3)]) {
      expect(() => Content.decode(notBytes as unknown as Uint8Array)).toThrow(MalformedError)
    }
  })

  it('decodes from a view into a larger buffer, and from a Node Buffer', () => {
    const bytes = Content.encode({ messageId, sentAt: 99, text: { body: 'view' } })
    const big = new Uint8Array(bytes.byteLength + 20).fill(0xaa)
    big.set(bytes, 7)
    const view = big.subarray(7, 7 + bytes.byteLength)
    expect(Content.decode(view).text?.body).toBe('view')
    expect(Content.decode(Buffer.from(bytes)).text?.body).toBe('view')
  })

  it('decoding leaves the input unchanged; byte fields of the value are views into it', () => {
    const bytes = Content.encode({ messageId, sentAt: 5, text: { body: 'alias' } })
    const copy = bytes.slice()
    const value = Content.decode(bytes)
    expect(bytes).toEqual(copy)
    // as the README says: a caller that reuses its receive buffer copies the byte fields it keeps
    bytes.fill(0)
    expect(value.messageId).toEqual(new Uint8Array(messageId.byteLength))
    expect(value.sentAt).toBe(5)
    expect(value.text?.body).toBe('alias')
  })
})
