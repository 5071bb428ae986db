/**
 * Safe codecs of the relay and delivery protocol frames (mailbox, pre-keys, device lists, direct
 * delivery), and the numeric status codes every reply carries. Each `decode` takes untrusted bytes and
 * throws only WireError subclasses; each `encode` refuses values that break the same limits.
 */
import { defineCodec } from './codec.js'
import {
  ID_BYTES,
  KEY_BYTES,
  MAILBOX_ID_BYTES,
  MAX_ACK_IDS,
  MAX_COALESCED_RESULTS,
  MAX_DEPOSIT_MAILBOXES,
  MAX_DEVICE_LIST_BYTES,
  MAX_FRAME_BYTES,
  MAX_PAGE_ENVELOPES,
  MAX_RECORD_BYTES,
  MAX_STATUS_DESCRIPTION_BYTES,
  MAX_STATUS_IDS,
  MAX_UPLOAD_ONE_TIME_KEM_PRE_KEYS,
  MAX_UPLOAD_ONE_TIME_PRE_KEYS,
  NONCE_BYTES,
  SIGNATURE_BYTES,
} from './constants.js'
import { MalformedError } from './errors.js'
import { Kind } from './kinds.js'
import {
  DeliverRequest as DeliverRequestPb,
  DeliverResponse as DeliverResponsePb,
  DeviceListRequest as DeviceListRequestPb,
  DeviceListResponse as DeviceListResponsePb,
  MailboxRequest as MailboxRequestPb,
  MailboxResponse as MailboxResponsePb,
  PreKeyRequest as PreKeyRequestPb,
  PreKeyResponse as PreKeyResponsePb,
  PreKeyUploadBody as PreKeyUploadBodyPb,
} from './proto/relay.js'
import { exactLength, lengthBetween, maxEntries, maxUtf8, positive, safeInteger, uint32 } from './validate.js'

/**
 * The status code of a reply. Numeric on the wire; a reader treats a code it does not know as a
 * failure. Values are permanent: never reuse or renumber one.
 */
export const StatusCode = {
  /** Done (for a deposit: stored durably; for an ack: durable; for a delivery: stored by the receiver). */
  OK: 1,
  /** A deposit whose envelope ID the relay already holds: stored once, as good as OK. */
  DUPLICATE: 2,
  /** The frame did not decode, or a request came in a state that does not allow it. */
  MALFORMED: 10,
  /** The frame or request names a protocol version this side does not speak. */
  UNKNOWN_VERSION: 11,
  /** A frame over the stream's frame cap, or an envelope over the relay's envelope-size cap. */
  TOO_LARGE: 12,
  /** The request is well-formed but not allowed here (an ack outside a fetch session, say). */
  BAD_REQUEST: 13,
  /** Over a per-peer or per-target rate limit; retry later. */
  RATE_LIMITED: 20,
  /** A listed mailbox is over its byte or count quota; the relay never evicts to make room. */
  MAILBOX_FULL: 21,
  /** The deposit lists more mailboxes than the relay accepts in one deposit. */
  TOO_MANY_MAILBOXES: 22,
  /** The deposit's TTL is zero or already over. */
  EXPIRED: 23,
  /** A pre-key upload that would take the device over the relay's per-device key quota. */
  TOO_MANY_KEYS: 24,
  /** No such record (device list, pre-key bundle) is held. */
  NOT_FOUND: 30,
  /** A device list whose version is not newer than the one held. */
  STALE: 31,
  /** A pre-key upload whose challenge signature or certificate does not check out. */
  UNAUTHORISED: 32,
  /** A record whose signature or contents do not check out. */
  INVALID_RECORD: 33,
  /** The write failed; nothing was stored. */
  STORAGE_ERROR: 40,
  /** The service is stopping or overloaded; retry elsewhere or later. */
  UNAVAILABLE: 41,
  /** The receiver could not take the envelope (its store failed); nothing was acknowledged. */
  REJECTED: 42,
} as const

export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode]

const statusNames = new Map<number, string>(Object.entries(StatusCode).map(([name, value]) => [value, name]))

/** The name of a status code, or `UNKNOWN_<n>` for one this code does not know. */
export function statusName(code: number): string {
  return statusNames.get(code) ?? `UNKNOWN_${code}`
}

function ids(values: Uint8Array[], min: number, max: number, length: number, field: string): void {
  maxEntries(values, max, field)
  if (values.length < min) {
    throw new MalformedError(`${field}: expected at least ${min} entries`)
  }
  for (const id of values) {
    exactLength(id, length, field)
  }
}

function header(version: number, field: string): void {
  positive(version, `${field}.version`)
  uint32(version, `${field}.version`)
}

function reply(v: { version: number; status: number; description: string }, field: string): void {
  header(v.version, field)
  positive(v.status, `${field}.status`)
  uint32(v.status, `${field}.status`)
  maxUtf8(v.description, MAX_STATUS_DESCRIPTION_BYTES, `${field}.description`)
}

function exactlyOne(count: number, field: string): void {
  if (count !== 1) {
    throw new MalformedError(`${field}: expected exactly one body, found ${count}`)
  }
}

function set(...values: unknown[]): number {
  return values.filter((value) => value !== undefined && value !== false).length
}

// ---------------------------------------------------------------- mailbox

export const MailboxRequest = defineCodec<MailboxRequestPb>({
  kind: Kind.MailboxRequest,
  codec: MailboxRequestPb,
  maxBodyBytes: MAX_FRAME_BYTES,
  limits: {
    deposit: { mailboxIds: MAX_DEPOSIT_MAILBOXES },
    ack: { envelopeIds: MAX_ACK_IDS },
    status: { envelopeIds: MAX_STATUS_IDS },
  } as never,
  validate(v) {
    header(v.version, 'MailboxRequest')
    exactlyOne(set(v.deposit, v.challenge, v.fetch, v.ack, v.status), 'MailboxRequest')
    if (v.deposit !== undefined) {
      const d = v.deposit
      uint32(d.seq, 'DepositRequest.seq')
      exactLength(d.envelopeId, ID_BYTES, 'DepositRequest.envelopeId')
      lengthBetween(d.payload, 1, MAX_FRAME_BYTES, 'DepositRequest.payload')
      ids(d.mailboxIds, 1, MAX_DEPOSIT_MAILBOXES, MAILBOX_ID_BYTES, 'DepositRequest.mailboxIds')
      safeInteger(d.ttlMs, 'DepositRequest.ttlMs')
    }
    if (v.challenge !== undefined) {
      exactLength(v.challenge.mailboxId, MAILBOX_ID_BYTES, 'ChallengeRequest.mailboxId')
    }
    if (v.fetch !== undefined) {
      const f = v.fetch
      exactLength(f.mailboxId, MAILBOX_ID_BYTES, 'FetchRequest.mailboxId')
      exactLength(f.publicKey, KEY_BYTES, 'FetchRequest.publicKey')
      exactLength(f.nonce, NONCE_BYTES, 'FetchRequest.nonce')
      exactLength(f.signature, SIGNATURE_BYTES, 'FetchRequest.signature')
      uint32(f.window, 'FetchRequest.window')
    }
    if (v.ack !== undefined) {
      uint32(v.ack.seq, 'AckRequest.seq')
      ids(v.ack.envelopeIds, 1, MAX_ACK_IDS, ID_BYTES, 'AckRequest.envelopeIds')
    }
    if (v.status !== undefined) {
      ids(v.status.envelopeIds, 1, MAX_STATUS_IDS, ID_BYTES, 'StatusRequest.envelopeIds')
    }
  },
})

export const MailboxResponse = defineCodec<MailboxResponsePb>({
  kind: Kind.MailboxResponse,
  codec: MailboxResponsePb,
  maxBodyBytes: MAX_FRAME_BYTES,
  limits: {
    deposit: { results: MAX_COALESCED_RESULTS },
    page: { envelopes: MAX_PAGE_ENVELOPES },
    statusReply: { statuses: MAX_STATUS_IDS },
  } as never,
  validate(v) {
    reply(v, 'MailboxResponse')
    const bodies = set(v.deposit, v.challenge, v.page, v.ack, v.statusReply, v.heartbeat)
    if (bodies > 1) {
      throw new MalformedError(`MailboxResponse: expected at most one body, found ${bodies}`)
    }
    if (v.deposit !== undefined) {
      maxEntries(v.deposit.results, MAX_COALESCED_RESULTS, 'DepositReply.results')
      for (const r of v.deposit.results) {
        uint32(r.seq, 'DepositResult.seq')
        positive(r.status, 'DepositResult.status')
        uint32(r.status, 'DepositResult.status')
        maxUtf8(r.description, MAX_STATUS_DESCRIPTION_BYTES, 'DepositResult.description')
        safeInteger(r.expiresAt, 'DepositResult.expiresAt')
      }
    }
    if (v.challenge !== undefined) {
      exactLength(v.challenge.nonce, NONCE_BYTES, 'Challenge.nonce')
    }
    if (v.page !== undefined) {
      maxEntries(v.page.envelopes, MAX_PAGE_ENVELOPES, 'EnvelopePage.envelopes')
      for (const e of v.page.envelopes) {
        exactLength(e.envelopeId, ID_BYTES, 'FetchedEnvelope.envelopeId')
        lengthBetween(e.payload, 1, MAX_FRAME_BYTES, 'FetchedEnvelope.payload')
        safeInteger(e.depositedAt, 'FetchedEnvelope.depositedAt')
        safeInteger(e.expiresAt, 'FetchedEnvelope.expiresAt')
      }
    }
    if (v.ack !== undefined) {
      uint32(v.ack.seq, 'AckResult.seq')
    }
    if (v.statusReply !== undefined) {
      maxEntries(v.statusReply.statuses, MAX_STATUS_IDS, 'StatusReply.statuses')
      for (const s of v.statusReply.statuses) {
        exactLength(s.envelopeId, ID_BYTES, 'EnvelopeStatus.envelopeId')
        uint32(s.total, 'EnvelopeStatus.total')
        uint32(s.pending, 'EnvelopeStatus.pending')
        if (s.pending > s.total) {
          throw new MalformedError('EnvelopeStatus.pending: more than total')
        }
      }
    }
  },
})

// ---------------------------------------------------------------- pre-keys

export const PreKeyUploadBody = defineCodec<PreKeyUploadBodyPb>({
  kind: Kind.PreKeyUploadBody,
  codec: PreKeyUploadBodyPb,
  // the body travels inside a PreKeyRequest with a nonce and a signature
  maxBodyBytes: MAX_FRAME_BYTES - 256,
  limits: {
    oneTimePreKeys: MAX_UPLOAD_ONE_TIME_PRE_KEYS,
    oneTimeKemPreKeys: MAX_UPLOAD_ONE_TIME_KEM_PRE_KEYS,
  } as never,
  validate(v) {
    lengthBetween(v.certificate, 3, MAX_RECORD_BYTES, 'PreKeyUploadBody.certificate')
    lengthBetween(v.signedPreKey, 3, MAX_RECORD_BYTES, 'PreKeyUploadBody.signedPreKey')
    lengthBetween(v.kemLastResort, 3, MAX_RECORD_BYTES, 'PreKeyUploadBody.kemLastResort')
    maxEntries(v.oneTimePreKeys, MAX_UPLOAD_ONE_TIME_PRE_KEYS, 'PreKeyUploadBody.oneTimePreKeys')
    for (const k of v.oneTimePreKeys) {
      uint32(k.id, 'UploadedOneTimePreKey.id')
      exactLength(k.publicKey, KEY_BYTES, 'UploadedOneTimePreKey.publicKey')
    }
    maxEntries(v.oneTimeKemPreKeys, MAX_UPLOAD_ONE_TIME_KEM_PRE_KEYS, 'PreKeyUploadBody.oneTimeKemPreKeys')
    for (const record of v.oneTimeKemPreKeys) {
      lengthBetween(record, 3, MAX_RECORD_BYTES, 'PreKeyUploadBody.oneTimeKemPreKeys')
    }
  },
})

export const PreKeyRequest = defineCodec<PreKeyRequestPb>({
  kind: Kind.PreKeyRequest,
  codec: PreKeyRequestPb,
  maxBodyBytes: MAX_FRAME_BYTES,
  validate(v) {
    header(v.version, 'PreKeyRequest')
    exactlyOne(set(v.challenge, v.upload, v.claim), 'PreKeyRequest')
    if (v.upload !== undefined) {
      lengthBetween(v.upload.body, 3, MAX_FRAME_BYTES - 256, 'PreKeyUpload.body')
      exactLength(v.upload.nonce, NONCE_BYTES, 'PreKeyUpload.nonce')
      exactLength(v.upload.signature, SIGNATURE_BYTES, 'PreKeyUpload.signature')
    }
    if (v.claim !== undefined) {
      exactLength(v.claim.accountKey, KEY_BYTES, 'PreKeyClaim.accountKey')
      uint32(v.claim.deviceId, 'PreKeyClaim.deviceId')
    }
  },
})

export const PreKeyResponse = defineCodec<PreKeyResponsePb>({
  kind: Kind.PreKeyResponse,
  codec: PreKeyResponsePb,
  maxBodyBytes: 4 * MAX_RECORD_BYTES,
  validate(v) {
    reply(v, 'PreKeyResponse')
    const bodies = set(v.challenge, v.bundle, v.counts)
    if (bodies > 1) {
      throw new MalformedError(`PreKeyResponse: expected at most one body, found ${bodies}`)
    }
    if (v.challenge !== undefined) {
      exactLength(v.challenge.nonce, NONCE_BYTES, 'Challenge.nonce')
    }
    if (v.bundle !== undefined) {
      lengthBetween(v.bundle, 3, 3 * MAX_RECORD_BYTES + 64, 'PreKeyResponse.bundle')
    }
    if (v.counts !== undefined) {
      uint32(v.counts.oneTime, 'PreKeyCounts.oneTime')
      uint32(v.counts.oneTimeKem, 'PreKeyCounts.oneTimeKem')
    }
  },
})

// ---------------------------------------------------------------- device lists

export const DeviceListRequest = defineCodec<DeviceListRequestPb>({
  kind: Kind.DeviceListRequest,
  codec: DeviceListRequestPb,
  maxBodyBytes: MAX_DEVICE_LIST_BYTES + 2 * SIGNATURE_BYTES,
  validate(v) {
    header(v.version, 'DeviceListRequest')
    exactlyOne(set(v.put, v.get), 'DeviceListRequest')
    if (v.put !== undefined) {
      lengthBetween(v.put, 3, MAX_DEVICE_LIST_BYTES + SIGNATURE_BYTES + 32, 'DeviceListRequest.put')
    }
    if (v.get !== undefined) {
      exactLength(v.get, KEY_BYTES, 'DeviceListRequest.get')
    }
  },
})

export const DeviceListResponse = defineCodec<DeviceListResponsePb>({
  kind: Kind.DeviceListResponse,
  codec: DeviceListResponsePb,
  maxBodyBytes: MAX_DEVICE_LIST_BYTES + 2 * SIGNATURE_BYTES + MAX_STATUS_DESCRIPTION_BYTES,
  validate(v) {
    reply(v, 'DeviceListResponse')
    if (v.record !== undefined) {
      lengthBetween(v.record, 3, MAX_DEVICE_LIST_BYTES + SIGNATURE_BYTES + 32, 'DeviceListResponse.record')
    }
  },
})

// ---------------------------------------------------------------- direct delivery

export const DeliverRequest = defineCodec<DeliverRequestPb>({
  kind: Kind.DeliverRequest,
  codec: DeliverRequestPb,
  maxBodyBytes: MAX_FRAME_BYTES,
  validate(v) {
    header(v.version, 'DeliverRequest')
    uint32(v.seq, 'DeliverRequest.seq')
    exactLength(v.envelopeId, ID_BYTES, 'DeliverRequest.envelopeId')
    lengthBetween(v.payload, 1, MAX_FRAME_BYTES, 'DeliverRequest.payload')
  },
})

export const DeliverResponse = defineCodec<DeliverResponsePb>({
  kind: Kind.DeliverResponse,
  codec: DeliverResponsePb,
  maxBodyBytes: 64 + MAX_STATUS_DESCRIPTION_BYTES,
  validate(v) {
    reply(v, 'DeliverResponse')
    uint32(v.seq, 'DeliverResponse.seq')
  },
})
