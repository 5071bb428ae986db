/**
 * Hostile input against every decoder, one `describe` per fault of FAULTS.md (13–17), named after it.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { frame, unframe } from '../src/frame.js'
import {
  CONTENT_BODIES,
  Content,
  DeviceListBody,
  equalBytes,
  ID_BYTES,
  KEY_BYTES,
  Kind,
  LimitExceededError,
  MAX_DEVICES,
  MAX_FRAME_BYTES,
  MAX_GROUP_MEMBERS,
  MAX_GROUP_SUBJECTS,
  MAX_MAILBOXES_PER_DEVICE,
  MAX_READ_MARKS,
  MAX_RECEIPT_IDS,
  MAX_RELAY_ADDRS,
  MalformedError,
  OversizedError,
  RatchetMessage,
  SenderKeyMessage,
  TruncatedError,
  UnknownVersionError,
  WIRE_VERSION,
  type WireCodec,
  WireError,
  WrongTypeError,
} from '../src/index.js'
import * as contentPb from '../src/proto/content.js'
import * as recordsPb from '../src/proto/records.js'
import { contentBodies, everyCodec, frames, one, sameValue, sample, table, valid } from './arbitraries.js'
import { bytesField, concat, header, splitFields, tag, varint, varintField, WireType } from './protobuf.js'

const TYPED_NAMES = new Set([
  'TruncatedError',
  'OversizedError',
  'LimitExceededError',
  'UnknownVersionError',
  'WrongTypeError',
  'MalformedError',
])

type Outcome = { ok: true; value: unknown } | { ok: false; error: WireError }

/**
 * Decodes, and fails the test on anything thrown that is not a typed WireError. Plain checks first:
 * this runs hundreds of thousands of times, and `expect` is only called to report a failure.
 */
function attempt(codec: WireCodec<unknown>, bytes: Uint8Array): Outcome {
  try {
    return { ok: true, value: codec.decode(bytes) }
  } catch (err) {
    if (!(err instanceof WireError) || !TYPED_NAMES.has(err.name) || err.message === '') {
      expect(err).toBeInstanceOf(WireError)
      expect(TYPED_NAMES).toContain((err as WireError).name)
      expect((err as WireError).message).not.toBe('')
    }
    return { ok: false, error: err as WireError }
  }
}

/** Decodes and returns the typed error it must throw. */
function refusal(codec: WireCodec<unknown>, bytes: Uint8Array): WireError {
  const outcome = attempt(codec, bytes)
  if (outcome.ok) {
    expect.fail('expected the decoder to refuse the input')
  }
  return outcome.error
}

/** Decodes and checks the refusal has the given type (cheaply: this runs in long loops). */
function refusedAs(
  codec: WireCodec<unknown>,
  bytes: Uint8Array,
  type: new (...args: never[]) => WireError,
  label?: string,
): WireError {
  const error = refusal(codec, bytes)
  if (!(error instanceof type)) {
    expect(error, label).toBeInstanceOf(type)
  }
  return error
}

const fill = (length: number, byte = 3) => new Uint8Array(length).fill(byte)
const id = fill(ID_BYTES)

/** A Content body (unframed) with a given body field appended. */
const contentWith = (...fields: Uint8Array[]) => concat(bytesField(1, id), varintField(2, 1), ...fields)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('FAULTS 13: random bytes into every decoder → typed errors only, bounded memory', () => {
  it('random bytes into every decoder throw only WireError subclasses', () => {
    for (const { codec } of everyCodec) {
      const input = fc.oneof(
        fc.uint8Array({ maxLength: 512 }),
        // mostly the right kind byte, so the header checks after it are reached too
        fc.uint8Array({ maxLength: 512 }).map((rest) => concat(Uint8Array.of(codec.kind), rest)),
        fc
          .uint8Array({ maxLength: 512 })
          .map((rest) => concat(Uint8Array.of(codec.kind, WIRE_VERSION), rest)),
      )
      fc.assert(
        fc.property(input, (bytes) => {
          const outcome = attempt(codec, bytes)
          if (outcome.ok) {
            // whatever is accepted is accepted in its one canonical form
            expect(codec.encode(outcome.value)).toEqual(bytes)
          }
        }),
        { numRuns: 300 },
      )
    }
  })

  it('random bytes behind a valid frame header (right kind, version and length) reach protons and throw only WireError subclasses', () => {
    for (const { codec } of everyCodec) {
      const body = fc.uint8Array({ maxLength: Math.min(codec.maxBodyBytes, 768) })
      fc.assert(
        fc.property(body, (random) => {
          const outcome = attempt(codec, frame(codec.kind, random))
          if (outcome.ok) {
            expect(codec.encode(outcome.value)).toEqual(frame(codec.kind, random))
          } else {
            // the header was right: the refusal comes from the body
            expect(outcome.error).not.toBeInstanceOf(WrongTypeError)
            expect(outcome.error).not.toBeInstanceOf(UnknownVersionError)
          }
        }),
        { numRuns: 300 },
      )
    }
  })

  it('random edits of valid frames (overwrite, insert, delete) throw only WireError subclasses or decode canonically', () => {
    for (const { codec, arbitrary } of frames) {
      const edited = arbitrary.chain(({ bytes }) =>
        fc
          .tuple(fc.nat({ max: bytes.byteLength }), fc.nat({ max: 8 }), fc.uint8Array({ maxLength: 8 }))
          .map(([at, cut, insert]) => concat(bytes.subarray(0, at), insert, bytes.subarray(at + cut))),
      )
      fc.assert(
        fc.property(edited, (bytes) => {
          const outcome = attempt(codec, bytes)
          if (outcome.ok) {
            expect(codec.encode(outcome.value)).toEqual(bytes)
          }
        }),
        { numRuns: 200 },
      )
    }
  })

  it('an unknown field of any wire type, or the invalid wire types 6 and 7, after a valid body → MalformedError', () => {
    const unknown = [
      varintField(15, 300),
      concat(tag(15, WireType.Fixed64), fill(8)),
      bytesField(15, fill(5)),
      concat(tag(15, WireType.StartGroup), tag(15, WireType.EndGroup)),
      tag(15, WireType.EndGroup),
      concat(tag(15, WireType.Fixed32), fill(4)),
      concat(tag(15, 6), fill(8)),
      concat(tag(15, 7), fill(8)),
    ]
    for (const { name, codec, arbitrary } of frames) {
      const body = unframe(one(arbitrary).bytes, codec.kind)
      for (const field of unknown) {
        const expected =
          body.byteLength + field.byteLength > codec.maxBodyBytes ? OversizedError : MalformedError
        refusedAs(codec, frame(codec.kind, concat(body, field)), expected, `${name} + ${field.join(',')}`)
      }
    }
  })
})

describe('FAULTS 14: a length prefix of 2^32 or over the frame cap, or an over-long varint → refused before buffering', () => {
  it('a 2^32 length prefix is refused from the header alone, for every codec', () => {
    for (const { codec } of everyCodec) {
      // no body at all: had the decoder waited for one, this would be a TruncatedError
      const error = refusal(codec, header(codec.kind, WIRE_VERSION, varint(2 ** 32)))
      expect(error).toBeInstanceOf(OversizedError)
    }
  })

  it("a length one over each codec's cap is refused from the header alone; the cap itself is not", () => {
    for (const { codec } of everyCodec) {
      expect(refusal(codec, header(codec.kind, WIRE_VERSION, varint(codec.maxBodyBytes + 1)))).toBeInstanceOf(
        OversizedError,
      )
      // at the cap the header is acceptable, and what is missing is the body
      expect(refusal(codec, header(codec.kind, WIRE_VERSION, varint(codec.maxBodyBytes)))).toBeInstanceOf(
        TruncatedError,
      )
    }
  })

  it('a length over MAX_FRAME_BYTES is refused whatever cap the caller asks for', () => {
    const bytes = header(Kind.Content, WIRE_VERSION, varint(MAX_FRAME_BYTES + 1))
    expect(() => unframe(bytes, Kind.Content, Number.MAX_SAFE_INTEGER)).toThrow(OversizedError)
  })

  it('an over-long length varint is refused, and so is a non-minimal one', () => {
    for (const { codec } of everyCodec) {
      const tooLong = [
        Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x00),
        Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
        fill(64, 0x80),
      ]
      for (const length of tooLong) {
        expect(refusal(codec, concat(header(codec.kind, WIRE_VERSION, length), fill(16)))).toBeInstanceOf(
          OversizedError,
        )
      }
      // 0x81 0x00 is 1 written in two bytes
      expect(refusal(codec, header(codec.kind, WIRE_VERSION, Uint8Array.of(0x81, 0x00)))).toBeInstanceOf(
        MalformedError,
      )
    }
  })

  it('an over-long varint inside the body is refused', () => {
    const overlong = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
    // a uint64 (Content.sentAt) of 11 bytes
    const sentAt = concat(bytesField(1, id), tag(2, WireType.Varint), overlong, varintField(12, 1))
    expect(() => Content.decode(frame(Kind.Content, sentAt))).toThrow(MalformedError)
    // a uint32 varint (DeviceCertificateBody.deviceId) of 10 bytes whose low bits are a plausible id
    const deviceId = concat(
      bytesField(1, fill(KEY_BYTES)),
      tag(2, WireType.Varint),
      Uint8Array.of(0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
    )
    const certificate = table.find((t) => t.name === 'DeviceCertificateBody')!.codec
    expect(() => certificate.decode(frame(Kind.DeviceCertificate, deviceId))).toThrow(MalformedError)
    // a field tag written in two bytes (0x8a 0x00 is tag 10 = field 1, bytes)
    const tagTwoBytes = concat(
      Uint8Array.of(0x8a, 0x00),
      varint(ID_BYTES),
      id,
      varintField(2, 1),
      varintField(12, 1),
    )
    expect(() => Content.decode(frame(Kind.Content, tagTwoBytes))).toThrow(MalformedError)
  })
})

describe('FAULTS 15: a million repeated entries, deep nesting, duplicate fields → limit error', () => {
  const ACCOUNT = bytesField(1, fill(KEY_BYTES))
  const LIST_HEAD = concat(ACCOUNT, varintField(2, 1), varintField(3, 1))
  const EMPTY_DEVICE = bytesField(4, new Uint8Array(0))

  it('a DeviceListBody with 1,000,000 devices entries is refused by the frame cap before protons parses anything', () => {
    const entries = new Uint8Array(1_000_000 * EMPTY_DEVICE.byteLength)
    for (let i = 0; i < entries.byteLength; i += EMPTY_DEVICE.byteLength) {
      entries.set(EMPTY_DEVICE, i)
    }
    const parse = vi.spyOn(recordsPb.DeviceListBody, 'decode')
    const bytes = frame(Kind.DeviceList, concat(LIST_HEAD, entries))
    expect(refusal(DeviceListBody as WireCodec<unknown>, bytes)).toBeInstanceOf(OversizedError)
    expect(parse).not.toHaveBeenCalled()
    // the control: a small list does reach protons through the same spy
    DeviceListBody.decode(DeviceListBody.encode(sample(valid.DeviceListBody, 1)[0]!))
    expect(parse).toHaveBeenCalledTimes(1)
  })

  it('a Content with 1,000,000 receipt ids is refused by the frame cap before protons parses anything', () => {
    const one = bytesField(2, id)
    const ids = new Uint8Array(1_000_000 * one.byteLength)
    for (let i = 0; i < ids.byteLength; i += one.byteLength) {
      ids.set(one, i)
    }
    const receipt = concat(
      tag(4, WireType.LengthDelimited),
      varint(ids.byteLength + 2),
      varintField(1, 2),
      ids,
    )
    const parse = vi.spyOn(contentPb.Content, 'decode')
    expect(refusal(Content as WireCodec<unknown>, frame(Kind.Content, contentWith(receipt)))).toBeInstanceOf(
      OversizedError,
    )
    expect(parse).not.toHaveBeenCalled()
  })

  it('a flood of devices entries that fits the frame cap is cut off by the protons limit at MAX_DEVICES + 1', () => {
    const fits = Math.floor((DeviceListBody.maxBodyBytes - LIST_HEAD.byteLength) / EMPTY_DEVICE.byteLength)
    expect(fits).toBeGreaterThan(60_000)
    const flood = concat(LIST_HEAD, ...Array<Uint8Array>(fits).fill(EMPTY_DEVICE))
    const error = refusal(DeviceListBody as WireCodec<unknown>, frame(Kind.DeviceList, flood))
    expect(error).toBeInstanceOf(LimitExceededError)
    // the protons runtime limit fired (while reading), not the field validation after it
    expect(error.message).toMatch(/"devices" had too many elements/)
  })

  // Each limited repeated field, flooded to one over its limit and followed by a field that runs past
  // the end of the body: a decoder that read on after the limit would report truncation instead.
  const runsPastTheEnd = concat(tag(15, WireType.LengthDelimited), varint(1000))
  const floods: Array<{ field: string; codec: WireCodec<unknown>; kind: Kind; body: Uint8Array }> = [
    {
      field: 'DeviceListBody.devices',
      codec: DeviceListBody as WireCodec<unknown>,
      kind: Kind.DeviceList,
      body: concat(LIST_HEAD, ...Array<Uint8Array>(MAX_DEVICES + 1).fill(EMPTY_DEVICE), runsPastTheEnd),
    },
    {
      field: 'DeviceEntry.mailboxes',
      codec: DeviceListBody as WireCodec<unknown>,
      kind: Kind.DeviceList,
      body: concat(
        LIST_HEAD,
        bytesField(
          4,
          concat(
            bytesField(1, fill(3)),
            ...Array<Uint8Array>(MAX_MAILBOXES_PER_DEVICE + 1).fill(bytesField(2, new Uint8Array(0))),
            runsPastTheEnd,
          ),
        ),
      ),
    },
    {
      field: 'Mailbox.relayAddrs',
      codec: DeviceListBody as WireCodec<unknown>,
      kind: Kind.DeviceList,
      body: concat(
        LIST_HEAD,
        bytesField(
          4,
          concat(
            bytesField(1, fill(3)),
            bytesField(
              2,
              concat(
                ...Array<Uint8Array>(MAX_RELAY_ADDRS + 1).fill(bytesField(2, fill(4, 0x61))),
                runsPastTheEnd,
              ),
            ),
          ),
        ),
      ),
    },
    {
      field: 'Receipt.messageIds',
      codec: Content as WireCodec<unknown>,
      kind: Kind.Content,
      body: contentWith(
        bytesField(
          4,
          concat(
            varintField(1, 2),
            ...Array<Uint8Array>(MAX_RECEIPT_IDS + 1).fill(bytesField(2, id)),
            runsPastTheEnd,
          ),
        ),
      ),
    },
    {
      field: 'SyncRead.reads',
      codec: Content as WireCodec<unknown>,
      kind: Kind.Content,
      body: contentWith(
        bytesField(
          7,
          concat(
            ...Array<Uint8Array>(MAX_READ_MARKS + 1).fill(bytesField(1, new Uint8Array(0))),
            runsPastTheEnd,
          ),
        ),
      ),
    },
    {
      field: 'GroupControl.members',
      codec: Content as WireCodec<unknown>,
      kind: Kind.Content,
      body: contentWith(
        bytesField(
          9,
          concat(
            ...Array<Uint8Array>(MAX_GROUP_MEMBERS + 1).fill(bytesField(5, new Uint8Array(0))),
            runsPastTheEnd,
          ),
        ),
      ),
    },
    {
      field: 'GroupControl.subjects',
      codec: Content as WireCodec<unknown>,
      kind: Kind.Content,
      body: contentWith(
        bytesField(
          9,
          concat(
            ...Array<Uint8Array>(MAX_GROUP_SUBJECTS + 1).fill(bytesField(6, new Uint8Array(0))),
            runsPastTheEnd,
          ),
        ),
      ),
    },
    {
      field: 'RetryRequest.messageIds',
      codec: Content as WireCodec<unknown>,
      kind: Kind.Content,
      body: contentWith(
        bytesField(
          11,
          concat(...Array<Uint8Array>(MAX_RECEIPT_IDS + 1).fill(bytesField(1, id)), runsPastTheEnd),
        ),
      ),
    },
  ]

  it('every limited repeated field stops at its limit + 1 while reading (protons limits), before the rest is read', () => {
    for (const { field, codec, kind, body } of floods) {
      const error = refusal(codec, frame(kind, body))
      expect(error, field).toBeInstanceOf(LimitExceededError)
      expect(error.message, field).toMatch(/too many elements/)
    }
  })

  it('start groups (wire type 3) nested 100,000 deep give a typed error, not a crash', () => {
    // field 15 is unknown to every schema, so protons skips the group, recursively
    const startGroup = tag(15, WireType.StartGroup)
    for (const { name, codec } of everyCodec) {
      const depth = Math.min(100_000, codec.maxBodyBytes)
      const error = refusal(codec, frame(codec.kind, fill(depth, startGroup[0]!)))
      // the stack runs out (LimitExceededError) or, with a larger stack, the input does (TruncatedError)
      expect(
        [LimitExceededError, TruncatedError].some((type) => error instanceof type),
        name,
      ).toBe(true)
    }
    // the decoders are unharmed afterwards
    for (const { codec, arbitrary } of table) {
      const value = one(arbitrary)
      expect(sameValue(codec.decode(codec.encode(value)), value)).toBe(true)
    }
  })

  it('start groups that are properly closed are still refused: an unknown field is not canonical', () => {
    for (const { codec, arbitrary } of frames) {
      const { bytes } = one(arbitrary)
      const body = unframe(bytes, codec.kind)
      // as many closed groups as the body cap leaves room for, up to 50 deep
      const depth = Math.min(50, Math.floor((codec.maxBodyBytes - body.byteLength) / 2))
      expect(depth).toBeGreaterThan(0)
      const groups = concat(
        ...Array<Uint8Array>(depth).fill(tag(15, WireType.StartGroup)),
        ...Array<Uint8Array>(depth).fill(tag(15, WireType.EndGroup)),
      )
      refusedAs(codec, frame(codec.kind, concat(body, groups)), MalformedError)
    }
  })

  it('a field given twice is refused as non-canonical (MalformedError), for every singular field of every codec', () => {
    // DeviceListBody.devices (field 4) is the one top-level repeated field: two entries are normal there
    const repeated: Record<string, number[]> = { DeviceListBody: [4] }
    for (const { name, codec, arbitrary } of frames) {
      for (const { bytes } of sample(arbitrary, 5)) {
        const body = unframe(bytes, codec.kind)
        for (const field of splitFields(body)) {
          if (repeated[name]?.includes(field.number)) {
            continue
          }
          // the same field again, at the end and right after itself: non-canonical, or over the cap
          const expected =
            body.byteLength + field.bytes.byteLength > codec.maxBodyBytes ? OversizedError : MalformedError
          refusedAs(
            codec,
            frame(codec.kind, concat(body, field.bytes)),
            expected,
            `${name} field ${field.number}`,
          )
          const at = field.bytes.byteOffset - body.byteOffset + field.bytes.byteLength
          const twice = concat(body.subarray(0, at), field.bytes, body.subarray(at))
          refusedAs(codec, frame(codec.kind, twice), expected, `${name} field ${field.number}`)
        }
      }
    }
  })

  it('a field given twice inside a nested message is refused too', () => {
    const text = bytesField(3, concat(bytesField(1, fill(2, 0x61)), bytesField(1, fill(2, 0x62))))
    expect(refusal(Content as WireCodec<unknown>, frame(Kind.Content, contentWith(text)))).toBeInstanceOf(
      MalformedError,
    )
  })
})

describe('FAULTS 16: truncation at any offset or trailing garbage → rejected; decode(encode(x)) = x', () => {
  it('truncation at every offset of a valid encoding of each codec → TruncatedError', () => {
    for (const { name, codec, arbitrary } of frames) {
      fc.assert(
        fc.property(arbitrary, ({ bytes }) => {
          for (let n = 0; n < bytes.byteLength; n++) {
            refusedAs(codec, bytes.subarray(0, n), TruncatedError, `${name} cut at ${n}`)
          }
        }),
        { numRuns: 10 },
      )
    }
  })

  it('trailing garbage after a valid frame of each codec → MalformedError', () => {
    for (const { name, codec, arbitrary } of frames) {
      fc.assert(
        fc.property(arbitrary, fc.uint8Array({ minLength: 1, maxLength: 64 }), ({ bytes }, garbage) => {
          expect(refusal(codec, concat(bytes, garbage)), name).toBeInstanceOf(MalformedError)
        }),
        { numRuns: 30 },
      )
    }
  })

  it('decode(encode(x)) = x for every codec', () => {
    for (const { codec, arbitrary } of frames) {
      fc.assert(
        fc.property(arbitrary, ({ value, bytes }) => {
          expect(sameValue(codec.decode(bytes), value)).toBe(true)
        }),
        { numRuns: 30 },
      )
    }
  })
})

describe('FAULTS 17: a group ciphertext on the 1:1 path, an unknown version → rejected, no state change', () => {
  it('a SenderKeyMessage given to RatchetMessage.decode → WrongTypeError', () => {
    const [groupMessage] = sample(valid.SenderKeyMessage, 1)
    const bytes = SenderKeyMessage.encode(groupMessage!)
    const before = bytes.slice()
    const error = refusal(RatchetMessage as WireCodec<unknown>, bytes)
    expect(error).toBeInstanceOf(WrongTypeError)
    expect((error as WrongTypeError).expected).toBe(Kind.RatchetMessage)
    expect((error as WrongTypeError).actual).toBe(Kind.SenderKeyMessage)
    // nothing was changed: the input is intact and still decodes on its own path
    expect(bytes).toEqual(before)
    expect(sameValue(SenderKeyMessage.decode(bytes), groupMessage)).toBe(true)
  })

  it("every codec refuses every other codec's frame with WrongTypeError", () => {
    // a valid frame where the test has values for the codec, a header and a short body otherwise: the
    // kind is checked before anything else
    const validFrames = new Map<string, Uint8Array>(
      frames.map(({ name, arbitrary }) => [name, one(arbitrary).bytes]),
    )
    for (const source of everyCodec) {
      const bytes = validFrames.get(source.name) ?? frame(source.codec.kind, fill(8))
      for (const target of everyCodec) {
        if (target.codec.kind === source.codec.kind) {
          continue
        }
        const error = refusal(target.codec, bytes)
        expect(error, `${source.name} read as ${target.name}`).toBeInstanceOf(WrongTypeError)
        expect((error as WrongTypeError).actual).toBe(source.codec.kind)
        expect((error as WrongTypeError).expected).toBe(target.codec.kind)
      }
    }
  })

  it('every version byte but WIRE_VERSION → UnknownVersionError, for every codec, input untouched', () => {
    const validFrames = new Map<string, Uint8Array>(
      frames.map(({ name, arbitrary }) => [name, one(arbitrary).bytes]),
    )
    for (const { name, codec } of everyCodec) {
      const bytes = validFrames.get(name) ?? frame(codec.kind, fill(8))
      for (let version = 0; version < 256; version++) {
        if (version === WIRE_VERSION) {
          continue
        }
        const other = bytes.slice()
        other[1] = version
        const before = other.slice()
        const error = refusedAs(codec, other, UnknownVersionError, `${name} v${version}`)
        if ((error as UnknownVersionError).version !== version || !equalBytes(other, before)) {
          expect((error as UnknownVersionError).version).toBe(version)
          expect(other).toEqual(before)
        }
      }
    }
  })
})

describe('canonical encoding and field ranges (supporting FAULTS 13–17)', () => {
  it('every single-bit flip of a valid frame fails with a typed error or decodes to a different value', () => {
    // frames up to 1,300 bytes (a KEM key is 1,184) keep this to about 100,000 decodes; every Content
    // body kind gets its own frame
    const contents = CONTENT_BODIES.map((body) =>
      Content.encode({
        messageId: id,
        sentAt: 1_700_000_000_000,
        [body]: one(contentBodies[body] as fc.Arbitrary<unknown>),
      }),
    )
    for (const { name, codec, arbitrary } of frames) {
      const small = sample(
        arbitrary.filter(({ bytes }) => bytes.byteLength <= 1300),
        2,
      )
      const extra =
        name === 'Content' ? contents.map((bytes) => ({ value: Content.decode(bytes), bytes })) : []
      for (const { value, bytes } of [...small, ...extra]) {
        for (let bit = 0; bit < bytes.byteLength * 8; bit++) {
          const flipped = bytes.slice()
          flipped[bit >> 3]! ^= 1 << (bit & 7)
          const outcome = attempt(codec, flipped)
          if (
            outcome.ok &&
            (sameValue(outcome.value, value) || !equalBytes(codec.encode(outcome.value), flipped))
          ) {
            expect.fail(`${name}: bit ${bit} decodes to the same value, or not canonically`)
          }
        }
      }
    }
  })

  it('a uint64 above 2^53 → MalformedError; 2^53 - 1 is accepted', () => {
    const nullMessage = varintField(12, 1)
    for (const big of [2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]) {
      const sentAt = concat(bytesField(1, id), varintField(2, big), nullMessage)
      expect(
        refusal(Content as WireCodec<unknown>, frame(Kind.Content, sentAt)),
        `sentAt ${big}`,
      ).toBeInstanceOf(MalformedError)
      const listVersion = concat(
        bytesField(1, fill(KEY_BYTES)),
        varintField(2, big),
        bytesField(4, bytesField(1, fill(3))),
      )
      expect(
        refusal(DeviceListBody as WireCodec<unknown>, frame(Kind.DeviceList, listVersion)),
      ).toBeInstanceOf(MalformedError)
    }
    const largest = concat(bytesField(1, id), varintField(2, 2n ** 53n - 1n), nullMessage)
    expect(Content.decode(frame(Kind.Content, largest)).sentAt).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('an unknown enum value → MalformedError', () => {
    const preKey = table.find((t) => t.name === 'PreKeyBody')!.codec
    const sealed = table.find((t) => t.name === 'SealedContent')!.codec
    const cases: Array<[WireCodec<unknown>, Kind, Uint8Array]> = [
      // PreKeyBody.kind = 7
      [preKey, Kind.PreKey, concat(varintField(1, 7), varintField(2, 1), bytesField(3, fill(KEY_BYTES)))],
      // PreKeyBody.kind = -1, as protobuf writes a negative int32 (ten bytes)
      [preKey, Kind.PreKey, concat(varintField(1, 2n ** 64n - 1n), bytesField(3, fill(KEY_BYTES)))],
      // SealedContent.type = 4
      [sealed, Kind.SealedContent, concat(bytesField(1, fill(3)), varintField(2, 4), bytesField(3, fill(3)))],
      // Receipt.type = 9
      [
        Content as WireCodec<unknown>,
        Kind.Content,
        contentWith(bytesField(4, concat(varintField(1, 9), bytesField(2, id)))),
      ],
    ]
    for (const [codec, kind, body] of cases) {
      expect(refusal(codec, frame(kind, body))).toBeInstanceOf(MalformedError)
    }
  })

  it('fields out of field-number order are refused as non-canonical', () => {
    const reordered = concat(varintField(2, 1), bytesField(1, id), varintField(12, 1))
    expect(refusal(Content as WireCodec<unknown>, frame(Kind.Content, reordered))).toBeInstanceOf(
      MalformedError,
    )
  })

  it('a default value written out explicitly is refused as non-canonical', () => {
    // sentAt = 0 is omitted by the canonical encoding
    const explicitZero = concat(bytesField(1, id), varintField(2, 0), varintField(12, 1))
    expect(refusal(Content as WireCodec<unknown>, frame(Kind.Content, explicitZero))).toBeInstanceOf(
      MalformedError,
    )
  })
})
