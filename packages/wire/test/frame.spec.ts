import { describe, expect, it } from 'vitest'
import {
  Content,
  MalformedError,
  OversizedError,
  RatchetMessage,
  TruncatedError,
  UnknownVersionError,
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
})
