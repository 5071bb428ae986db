import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SessionRecord as SessionRecordPb, type SessionState } from '../src/proto/session-state.js'
import { decodeSessionRecord, encodeSessionRecord } from '../src/session-record.js'
import { encodeSessionRecordFields, type SessionRecordFields } from '../src/session-record-encoder.js'

const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max })
/** uint32 values, with the varint length boundaries and zero (omitted) weighted in. */
const u32 = fc.oneof(
  fc.constantFrom(
    0,
    1,
    127,
    128,
    16_383,
    16_384,
    2_097_151,
    2_097_152,
    268_435_455,
    268_435_456,
    0xffff_ffff,
  ),
  fc.integer({ min: 0, max: 0xffff_ffff }),
)
const chain = fc.record({ key: bytes(40), index: u32 })

const state: fc.Arbitrary<SessionState> = fc.record(
  {
    localIdentityKey: bytes(33),
    remoteIdentityKey: bytes(33),
    rootKey: bytes(32),
    sendingRatchetPublic: bytes(32),
    sendingRatchetSecret: bytes(32),
    sendingChain: chain,
    previousCounter: u32,
    receivingChains: fc.array(fc.record({ ratchetKey: bytes(32), chain }, { requiredKeys: ['ratchetKey'] }), {
      maxLength: 5,
    }),
    skippedKeys: fc.array(fc.record({ ratchetKey: bytes(32), index: u32, messageKey: bytes(32) }), {
      maxLength: 4,
    }),
    pendingPreKey: fc.record(
      {
        signedPreKeyId: u32,
        oneTimePreKeyId: u32,
        kemPreKeyId: u32,
        baseKey: bytes(32),
        // past 127 and 16,383 bytes: one-, two- and three-byte lengths
        kemCiphertext: fc.oneof(bytes(130), fc.uint8Array({ minLength: 1088, maxLength: 1088 })),
      },
      { requiredKeys: ['signedPreKeyId', 'kemPreKeyId', 'baseKey', 'kemCiphertext'] },
    ),
    baseKey: bytes(32),
    createdAt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  },
  {
    requiredKeys: [
      'localIdentityKey',
      'remoteIdentityKey',
      'rootKey',
      'sendingRatchetPublic',
      'sendingRatchetSecret',
      'previousCounter',
      'receivingChains',
      'skippedKeys',
      'baseKey',
      'createdAt',
    ],
  },
)

const record: fc.Arbitrary<SessionRecordFields> = fc.record({
  version: fc.oneof(fc.constant(1), u32),
  current: fc.option(state, { nil: undefined }),
  archived: fc.array(state, { maxLength: 3 }),
})

function protons(r: SessionRecordFields): Uint8Array {
  return SessionRecordPb.encode({ ...r, archived: [...r.archived] })
}

describe('session record encoder', () => {
  it('writes exactly the bytes of the protons-generated encoder, for arbitrary records', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(encodeSessionRecordFields(r)).toEqual(protons(r))
      }),
      { numRuns: 200 },
    )
  })

  it('a very long field (a 20,000-byte key: a three-byte length) is still the same bytes', () => {
    const big = new Uint8Array(20_000).fill(3)
    const r: SessionRecordFields = {
      version: 1,
      current: {
        localIdentityKey: big,
        remoteIdentityKey: new Uint8Array(0),
        rootKey: new Uint8Array(32),
        sendingRatchetPublic: new Uint8Array(0),
        sendingRatchetSecret: new Uint8Array(0),
        previousCounter: 0,
        receivingChains: [],
        skippedKeys: [],
        baseKey: new Uint8Array(0),
        createdAt: 1,
      },
      archived: [],
    }
    expect(encodeSessionRecordFields(r)).toEqual(protons(r))
  })

  it('values outside the plain ranges are left to protons, so the bytes still match', () => {
    fc.assert(
      fc.property(
        state,
        fc.oneof(fc.integer({ min: -1000, max: -1 }), fc.double({ noNaN: true, min: 0.5, max: 1e6 })),
        fc.constantFrom('previousCounter', 'createdAt', 'version'),
        (s, odd, where) => {
          const r: SessionRecordFields =
            where === 'version'
              ? { version: odd, current: s, archived: [] }
              : { version: 1, current: { ...s, [where]: odd }, archived: [] }
          expect(encodeSessionRecordFields(r)).toEqual(protons(r))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('encodeSessionRecord output decodes back to the same record', () => {
    fc.assert(
      fc.property(
        fc.option(state, { nil: undefined }),
        fc.array(state, { maxLength: 2 }),
        (current, archived) => {
          const decoded = decodeSessionRecord(encodeSessionRecord({ current, archived }))
          expect(encodeSessionRecord(decoded)).toEqual(encodeSessionRecord({ current, archived }))
        },
      ),
      { numRuns: 100 },
    )
  })
})
