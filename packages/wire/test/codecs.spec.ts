import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { frame } from '../src/frame.js'
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  CONTENT_BODIES,
  Content,
  DeviceListBody,
  equalBytes,
  ID_BYTES,
  KEM_CIPHERTEXT_BYTES,
  KEY_BYTES,
  LimitExceededError,
  MAILBOX_ID_BYTES,
  MAX_ADDR_LENGTH,
  MAX_CONTENT_BYTES,
  MAX_DEVICE_LIST_BYTES,
  MAX_DEVICES,
  MAX_ENVELOPE_BYTES,
  MAX_FRAME_HEADER_BYTES,
  MAX_GROUP_MEMBERS,
  MAX_GROUP_NAME_BYTES,
  MAX_MAILBOXES_PER_DEVICE,
  MAX_PEER_ID_BYTES,
  MAX_READ_MARKS,
  MAX_RECEIPT_IDS,
  MAX_RECORD_BYTES,
  MAX_RELAY_ADDRS,
  MAX_TEXT_BYTES,
  MalformedError,
  OversizedError,
  PreKeyMessage,
  pad,
  RatchetHeader,
  RatchetMessage,
  SealedContent,
  SealedEnvelope,
  SenderKeyMessage,
  SenderKeyMessageBody,
  SIGNATURE_BYTES,
  Signed,
  unpad,
  type WireError,
} from '../src/index.js'
import { ReceiptType } from '../src/proto/content.js'
import { MessageType } from '../src/proto/envelope.js'
import type { DeviceListBody as DeviceListBodyValue } from '../src/proto/records.js'
import { type CodecName, contentBodies, exportedCodecs, raw, sameValue, table, valid } from './arbitraries.js'
import { invalid } from './invalid-values.js'
import { bytesField, concat, varintField } from './protobuf.js'

const fill = (length: number, byte = 1) => new Uint8Array(length).fill(byte)

describe('codecs', () => {
  it('the test table covers every codec exported from src/codecs.ts', () => {
    const exported = exportedCodecs()
      .map(([name]) => name)
      .sort()
    expect(exported.length).toBeGreaterThan(0)
    expect(table.map(({ name }) => name).sort()).toEqual(exported)
    expect(Object.keys(invalid).sort()).toEqual(exported)
  })

  for (const { name, codec, arbitrary } of table) {
    describe(name, () => {
      it('decode(encode(x)) deep-equals x', () => {
        fc.assert(
          fc.property(arbitrary, (value) => {
            const back = codec.decode(codec.encode(value))
            expect(sameValue(back, value)).toBe(true)
            expect(back).toEqual(value)
          }),
        )
      })

      it('encode(decode(b)) = b', () => {
        fc.assert(
          fc.property(arbitrary, (value) => {
            const bytes = codec.encode(value)
            expect(codec.encode(codec.decode(bytes))).toEqual(bytes)
          }),
        )
      })

      it('encode refuses invalid values with typed errors, and decode refuses them on the wire', () => {
        const breakers = invalid[name as CodecName]
        expect(breakers.length).toBeGreaterThan(0)
        fc.assert(
          fc.property(arbitrary, (value) => {
            for (const breaker of breakers) {
              const bad = breaker.make(value as never)
              expect(() => codec.encode(bad), breaker.label).toThrow(breaker.error)
              if (breaker.onWire) {
                // the same value written without validation is refused by decode
                const bytes = frame(codec.kind, raw[name as CodecName].encode(bad as never))
                expect(() => codec.decode(bytes), breaker.label).toThrow(breaker.error)
              }
            }
          }),
          { numRuns: 20 },
        )
      })
    })
  }
})

describe('Content bodies', () => {
  const head = { messageId: fill(ID_BYTES), sentAt: 1 }

  it('refuses a Content with no body', () => {
    expect(() => Content.encode(head)).toThrow(MalformedError)
    const bytes = frame(Content.kind, raw.Content.encode(head))
    expect(() => Content.decode(bytes)).toThrow(MalformedError)
  })

  it('refuses a Content with two bodies, whichever two', () => {
    const pair = fc
      .uniqueArray(fc.constantFrom(...CONTENT_BODIES), { minLength: 2, maxLength: 2 })
      .chain(([a, b]) =>
        fc
          .tuple(
            contentBodies[a as NonNullable<typeof a>] as fc.Arbitrary<unknown>,
            contentBodies[b as NonNullable<typeof b>] as fc.Arbitrary<unknown>,
          )
          .map(([x, y]) => ({ ...head, [a as string]: x, [b as string]: y })),
      )
    fc.assert(
      fc.property(pair, (value) => {
        expect(() => Content.encode(value)).toThrow(MalformedError)
        const bytes = frame(Content.kind, raw.Content.encode(value))
        expect(() => Content.decode(bytes)).toThrow(MalformedError)
      }),
      { numRuns: 50 },
    )
  })

  it('round-trips every body kind', () => {
    for (const body of CONTENT_BODIES) {
      const [sample] = fc.sample(contentBodies[body] as fc.Arbitrary<unknown>, 1)
      const value = { ...head, [body]: sample }
      expect(Content.decode(Content.encode(value))).toEqual(value)
    }
  })
})

describe('limits at their boundary', () => {
  const head = { messageId: fill(ID_BYTES), sentAt: 1 }
  const id = fill(ID_BYTES)

  it('Receipt.messageIds: MAX_RECEIPT_IDS accepted, one more refused', () => {
    const ok = { ...head, receipt: { type: ReceiptType.READ, messageIds: Array(MAX_RECEIPT_IDS).fill(id) } }
    expect(Content.decode(Content.encode(ok)).receipt?.messageIds).toHaveLength(MAX_RECEIPT_IDS)
    const over = {
      ...head,
      receipt: { type: ReceiptType.READ, messageIds: Array(MAX_RECEIPT_IDS + 1).fill(id) },
    }
    expect(() => Content.encode(over)).toThrow(LimitExceededError)
    expect(() => Content.decode(frame(Content.kind, raw.Content.encode(over)))).toThrow(LimitExceededError)
  })

  it('SyncRead.reads: MAX_READ_MARKS accepted, one more refused', () => {
    const mark = { sender: fill(KEY_BYTES), messageId: id }
    const ok = { ...head, syncRead: { reads: Array(MAX_READ_MARKS).fill(mark) } }
    expect(Content.decode(Content.encode(ok)).syncRead?.reads).toHaveLength(MAX_READ_MARKS)
    const over = { ...head, syncRead: { reads: Array(MAX_READ_MARKS + 1).fill(mark) } }
    expect(() => Content.encode(over)).toThrow(LimitExceededError)
    expect(() => Content.decode(frame(Content.kind, raw.Content.encode(over)))).toThrow(LimitExceededError)
  })

  it('Text.body: MAX_TEXT_BYTES of UTF-8 accepted, one more byte refused', () => {
    const ok = { ...head, text: { body: 'é'.repeat(MAX_TEXT_BYTES / 2) } }
    expect(Content.decode(Content.encode(ok))).toEqual(ok)
    const over = { ...head, text: { body: `${'é'.repeat(MAX_TEXT_BYTES / 2)}a` } }
    expect(() => Content.encode(over)).toThrow(OversizedError)
    expect(() => Content.decode(frame(Content.kind, raw.Content.encode(over)))).toThrow(OversizedError)
  })

  it('GroupControl: MAX_GROUP_MEMBERS members and a MAX_GROUP_NAME_BYTES name fit one Content', () => {
    const group = {
      groupId: id,
      revision: 1,
      action: 'CREATE' as never,
      name: 'n'.repeat(MAX_GROUP_NAME_BYTES),
      members: Array.from({ length: MAX_GROUP_MEMBERS }, (_, i) => ({
        accountKey: fill(KEY_BYTES, i),
        admin: i === 0,
      })),
      subjects: [],
    }
    const ok = { ...head, groupControl: group }
    expect(Content.decode(Content.encode(ok))).toEqual(ok)
    const longName = { ...head, groupControl: { ...group, name: 'n'.repeat(MAX_GROUP_NAME_BYTES + 1) } }
    expect(() => Content.encode(longName)).toThrow(OversizedError)
    const crowd = { ...head, groupControl: { ...group, members: [...group.members, group.members[0]!] } }
    expect(() => Content.encode(crowd)).toThrow(LimitExceededError)
    expect(() => Content.decode(frame(Content.kind, raw.Content.encode(crowd)))).toThrow(LimitExceededError)
  })

  it('the largest Content still fits MAX_CONTENT_BYTES once padded', () => {
    // a device-list update is bounded only by MAX_DEVICE_LIST_BYTES, so the Content body cap binds:
    // size it to reach that cap exactly (the varint widths are the same at 60,000 bytes as at the cap)
    const cap = Content.maxBodyBytes
    const probe = 60_000
    const value = (n: number) => ({ ...head, deviceListUpdate: { deviceList: fill(n) } })
    const size = cap - (raw.Content.encode(value(probe)).byteLength - probe)
    const bytes = Content.encode(value(size))
    expect(bytes.byteLength).toBe(cap + MAX_FRAME_HEADER_BYTES)
    const padded = pad(bytes)
    expect(padded.byteLength).toBeLessThanOrEqual(MAX_CONTENT_BYTES)
    expect(Content.decode(unpad(padded))).toEqual(Content.decode(bytes))
    expect(() => Content.encode({ ...head, deviceListUpdate: { deviceList: fill(size + 1) } })).toThrow(
      OversizedError,
    )
  })

  it('DeviceList: MAX_DEVICES devices × MAX_MAILBOXES_PER_DEVICE mailboxes × MAX_RELAY_ADDRS addresses', () => {
    const mailbox = {
      relayPeerId: fill(MAX_PEER_ID_BYTES),
      relayAddrs: Array(MAX_RELAY_ADDRS).fill('/dns4/relay.example.net/tcp/443/wss/p2p/12D3KooWRelay'),
      mailboxId: fill(MAILBOX_ID_BYTES),
    }
    const device = { certificate: fill(300), mailboxes: Array(MAX_MAILBOXES_PER_DEVICE).fill(mailbox) }
    const list: DeviceListBodyValue = {
      accountKey: fill(KEY_BYTES),
      listVersion: 1,
      issuedAt: 0,
      devices: Array(MAX_DEVICES).fill(device),
    }
    expect(DeviceListBody.decode(DeviceListBody.encode(list))).toEqual(list)
    const breakers: Array<[DeviceListBodyValue, typeof WireError]> = [
      [{ ...list, devices: [...list.devices, device] }, LimitExceededError],
      [{ ...list, devices: [{ ...device, mailboxes: [...device.mailboxes, mailbox] }] }, LimitExceededError],
      [
        {
          ...list,
          devices: [{ ...device, mailboxes: [{ ...mailbox, relayAddrs: [...mailbox.relayAddrs, '/x'] }] }],
        },
        LimitExceededError,
      ],
      [
        {
          ...list,
          devices: [
            { ...device, mailboxes: [{ ...mailbox, relayAddrs: ['a'.repeat(MAX_ADDR_LENGTH + 1)] }] },
          ],
        },
        OversizedError,
      ],
    ]
    for (const [bad, error] of breakers) {
      expect(() => DeviceListBody.encode(bad)).toThrow(error)
      expect(() => DeviceListBody.decode(frame(DeviceListBody.kind, raw.DeviceListBody.encode(bad)))).toThrow(
        error,
      )
    }
    // an address of exactly MAX_ADDR_LENGTH bytes is fine
    const longest = {
      ...list,
      devices: [{ ...device, mailboxes: [{ ...mailbox, relayAddrs: ['a'.repeat(MAX_ADDR_LENGTH)] }] }],
    }
    expect(DeviceListBody.decode(DeviceListBody.encode(longest))).toEqual(longest)
  })

  it('Signed.body carries a framed DeviceListBody at its cap, header included', () => {
    const cap = DeviceListBody.maxBodyBytes
    expect(cap).toBe(MAX_DEVICE_LIST_BYTES)
    // the frame of the largest device list body: kind, version, a 3-byte length, the body
    const largest = frame(DeviceListBody.kind, fill(cap))
    expect(largest.byteLength).toBe(MAX_DEVICE_LIST_BYTES + MAX_FRAME_HEADER_BYTES)
    const signed = Signed.encode({ body: largest, signature: fill(SIGNATURE_BYTES) })
    expect(equalBytes(Signed.decode(signed).body, largest)).toBe(true)
    const over = { body: fill(largest.byteLength + 1), signature: fill(SIGNATURE_BYTES) }
    expect(() => Signed.encode(over)).toThrow(OversizedError)
    expect(() => Signed.decode(frame(Signed.kind, raw.Signed.encode(over)))).toThrow(OversizedError)
  })

  it('the largest padded Content, in the largest pre-key message, fits one SealedEnvelope', () => {
    const plaintext = fill(MAX_CONTENT_BYTES)
    const header = RatchetHeader.encode({
      ratchetKey: fill(KEY_BYTES),
      counter: 0xffff_ffff,
      previousCounter: 0xffff_ffff,
    })
    const ratchet = RatchetMessage.encode({
      header,
      ciphertext: fill(AEAD_NONCE_BYTES + plaintext.byteLength + AEAD_TAG_BYTES),
    })
    const preKey = PreKeyMessage.encode({
      identityKey: fill(KEY_BYTES),
      baseKey: fill(KEY_BYTES),
      signedPreKeyId: 0xffff_ffff,
      oneTimePreKeyId: 0xffff_ffff,
      kemPreKeyId: 0xffff_ffff,
      kemCiphertext: fill(KEM_CIPHERTEXT_BYTES),
      message: ratchet,
    })
    const sealed = SealedContent.encode({
      senderCertificate: fill(MAX_RECORD_BYTES),
      type: MessageType.PRE_KEY,
      message: preKey,
    })
    const envelope = SealedEnvelope.encode({
      ephemeralKey: fill(KEY_BYTES),
      encryptedStatic: fill(KEY_BYTES + AEAD_TAG_BYTES),
      ciphertext: fill(sealed.byteLength + AEAD_TAG_BYTES),
    })
    expect(envelope.byteLength).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES + MAX_FRAME_HEADER_BYTES)
  })

  it('the largest padded Content, as a group message, fits one SealedEnvelope', () => {
    const body = SenderKeyMessageBody.encode({
      distributionId: fill(ID_BYTES),
      chainId: 0xffff_ffff,
      iteration: 0xffff_ffff,
      ciphertext: fill(MAX_CONTENT_BYTES + AEAD_TAG_BYTES),
    })
    const message = SenderKeyMessage.encode({ body, signature: fill(SIGNATURE_BYTES) })
    const sealed = SealedContent.encode({
      senderCertificate: fill(MAX_RECORD_BYTES),
      type: MessageType.SENDER_KEY,
      message,
      groupId: fill(ID_BYTES),
    })
    expect(() =>
      SealedEnvelope.encode({
        ephemeralKey: fill(KEY_BYTES),
        encryptedStatic: fill(KEY_BYTES + AEAD_TAG_BYTES),
        ciphertext: fill(sealed.byteLength + AEAD_TAG_BYTES),
      }),
    ).not.toThrow()
  })
})

describe('strings', () => {
  const head = { messageId: fill(ID_BYTES), sentAt: 1 }

  it('encode refuses a lone surrogate, which protons would write as invalid UTF-8', () => {
    for (const body of ['\uD800', 'a\uDC00b', '\uDBFF\uDBFF\uDFFF']) {
      expect(() => Content.encode({ ...head, text: { body } })).toThrow(MalformedError)
    }
    // a surrogate pair is one well-formed code point
    expect(Content.decode(Content.encode({ ...head, text: { body: '\uD83D\uDE00' } })).text?.body).toBe('😀')
  })

  it('decode refuses UTF-8 that encodes a surrogate (CESU-8 / WTF-8)', () => {
    // protons' own writer produces ED A0 80 for '\uD800'; write it by hand to be sure of the bytes
    const body = raw.Content.encode({ ...head, nullMessage: true })
    const textField = new Uint8Array([0x1a, 0x05, 0x0a, 0x03, 0xed, 0xa0, 0x80])
    const withText = new Uint8Array(body.byteLength - 2 + textField.byteLength)
    withText.set(body.subarray(0, body.byteLength - 2))
    withText.set(textField, body.byteLength - 2)
    expect(() => Content.decode(frame(Content.kind, withText))).toThrow(MalformedError)
  })

  it('decode refuses every kind of invalid UTF-8', () => {
    const invalidUtf8: Array<[string, number[]]> = [
      ['an overlong NUL', [0xc0, 0x80]],
      ['an overlong slash', [0xe0, 0x80, 0xaf]],
      ['a surrogate pair as CESU-8', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['a lead byte with no continuation', [0x61, 0xe2, 0x82]],
      ['a stray continuation byte', [0x61, 0x80, 0x62]],
      ['0xFF', [0xff]],
    ]
    for (const [label, utf8] of invalidUtf8) {
      const body = concat(
        bytesField(1, fill(ID_BYTES)),
        varintField(2, 1),
        bytesField(3, bytesField(1, Uint8Array.from(utf8))),
      )
      expect(() => Content.decode(frame(Content.kind, body)), label).toThrow(MalformedError)
    }
    // and the same place accepts valid UTF-8 of every length
    const valid = concat(
      bytesField(1, fill(ID_BYTES)),
      varintField(2, 1),
      bytesField(3, bytesField(1, new TextEncoder().encode('a é € 😀'))),
    )
    expect(Content.decode(frame(Content.kind, valid)).text?.body).toBe('a é € 😀')
  })

  it('round-trips arbitrary well-formed Unicode in every string field', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const text = { ...head, text: { body: s } }
        expect(Content.decode(Content.encode(text))).toEqual(text)
        const [list] = fc.sample(valid.DeviceListBody, 1)
        const withAddr = {
          ...list!,
          devices: [
            {
              certificate: fill(3),
              mailboxes: [{ relayPeerId: fill(1), relayAddrs: [s], mailboxId: fill(MAILBOX_ID_BYTES) }],
            },
          ],
        }
        expect(DeviceListBody.decode(DeviceListBody.encode(withAddr))).toEqual(withAddr)
      }),
      { numRuns: 50 },
    )
  })
})
