/**
 * The relay and delivery frames of @ferry/wire (relay-codecs.ts): round trips, and untrusted bytes
 * that only ever produce typed WireErrors (FAULTS 13-16).
 */
import {
  DeliverRequest,
  DeliverResponse,
  DeviceListRequest,
  DeviceListResponse,
  MAX_ACK_IDS,
  MAX_DEPOSIT_MAILBOXES,
  MailboxRequest,
  MailboxResponse,
  PreKeyRequest,
  PreKeyResponse,
  PreKeyUploadBody,
  StatusCode,
  statusName,
  WireError,
} from '@ferry/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hex } from './fixtures/network.js'

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
const codecs = {
  MailboxRequest,
  MailboxResponse,
  PreKeyRequest,
  PreKeyResponse,
  PreKeyUploadBody,
  DeviceListRequest,
  DeviceListResponse,
  DeliverRequest,
  DeliverResponse,
}

describe('relay codecs', () => {
  it('round-trips deposits and pages', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff_ffff }),
        bytes(16),
        fc.uint8Array({ minLength: 1, maxLength: 2048 }),
        fc.array(bytes(32), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (seq, envelopeId, payload, mailboxIds, ttlMs) => {
          const frame = MailboxRequest.encode({
            version: 1,
            deposit: { seq, envelopeId, payload, mailboxIds, ttlMs },
          })
          const decoded = MailboxRequest.decode(frame)
          expect(decoded.deposit?.seq).toBe(seq)
          expect(hex(decoded.deposit!.payload)).toBe(hex(payload))
          expect(decoded.deposit?.mailboxIds.map(hex)).toEqual(mailboxIds.map(hex))
          const page = MailboxResponse.encode({
            version: 1,
            status: StatusCode.OK,
            description: '',
            heartbeat: false,
            page: {
              envelopes: [{ envelopeId, payload, depositedAt: ttlMs, expiresAt: ttlMs }],
              caughtUp: true,
            },
          })
          expect(hex(MailboxResponse.encode(MailboxResponse.decode(page)))).toBe(hex(page))
        },
      ),
    )
  })

  it('turns random bytes into typed errors only', () => {
    for (const [name, codec] of Object.entries(codecs)) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
          try {
            codec.decode(input)
          } catch (err) {
            expect(err, name).toBeInstanceOf(WireError)
          }
        }),
        { numRuns: 200 },
      )
    }
  })

  it('refuses a frame of one kind decoded as another', () => {
    const frame = DeliverRequest.encode({
      version: 1,
      seq: 1,
      envelopeId: new Uint8Array(16),
      payload: new Uint8Array(1),
    })
    expect(() => MailboxRequest.decode(frame)).toThrow(expect.objectContaining({ name: 'WrongTypeError' }))
  })

  it('requires exactly one request body and caps repeated fields', () => {
    expect(() => MailboxRequest.encode({ version: 1 })).toThrow(WireError)
    expect(() =>
      MailboxRequest.encode({
        version: 1,
        challenge: { mailboxId: new Uint8Array(32) },
        status: { envelopeIds: [new Uint8Array(16)] },
      }),
    ).toThrow(WireError)
    expect(() =>
      MailboxRequest.encode({
        version: 1,
        deposit: {
          seq: 0,
          envelopeId: new Uint8Array(16),
          payload: new Uint8Array(1),
          mailboxIds: Array.from({ length: MAX_DEPOSIT_MAILBOXES + 1 }, () => new Uint8Array(32)),
          ttlMs: 0,
        },
      }),
    ).toThrow(expect.objectContaining({ name: 'LimitExceededError' }))
    expect(() =>
      MailboxRequest.encode({
        version: 1,
        ack: { seq: 0, envelopeIds: Array.from({ length: MAX_ACK_IDS + 1 }, () => new Uint8Array(16)) },
      }),
    ).toThrow(WireError)
  })

  it('names status codes, unknown ones included', () => {
    expect(statusName(StatusCode.MAILBOX_FULL)).toBe('MAILBOX_FULL')
    expect(statusName(999)).toBe('UNKNOWN_999')
    expect(new Set(Object.values(StatusCode)).size).toBe(Object.keys(StatusCode).length)
  })
})
