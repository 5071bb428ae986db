import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface DepositRequest {
  seq: number
  envelopeId: Uint8Array
  payload: Uint8Array
  mailboxIds: Uint8Array[]
  ttlMs: number
}

export namespace DepositRequest {
  let _codec: Codec<DepositRequest>

  export const codec = (): Codec<DepositRequest> => {
    if (_codec == null) {
      _codec = message<DepositRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint32(obj.seq)
        }

        if ((obj.envelopeId != null && obj.envelopeId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.envelopeId)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.payload)
        }

        if (obj.mailboxIds != null && obj.mailboxIds.length > 0) {
          for (const value of obj.mailboxIds) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if ((obj.ttlMs != null && obj.ttlMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.ttlMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0,
          envelopeId: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0),
          mailboxIds: [],
          ttlMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint32()
              break
            }
            case 2: {
              obj.envelopeId = reader.bytes()
              break
            }
            case 3: {
              obj.payload = reader.bytes()
              break
            }
            case 4: {
              if (opts.limits?.mailboxIds != null && obj.mailboxIds.length === opts.limits.mailboxIds) {
                throw new MaxLengthError('Decode error - repeated field "mailboxIds" had too many elements')
              }

              obj.mailboxIds.push(reader.bytes())
              break
            }
            case 5: {
              obj.ttlMs = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          mailboxIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelopeId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              if (opts.limits?.mailboxIds != null && obj.mailboxIds === opts.limits.mailboxIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "mailboxIds" had too many elements')
              }

              yield {
                field: `${prefix}.mailboxIds[]`,
                index: obj.mailboxIds,
                value: reader.bytes()
              }

              obj.mailboxIds++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DepositRequestSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface DepositRequestEnvelopeIdFieldEvent {
    field: '$.envelopeId'
    value: Uint8Array
  }

  export interface DepositRequestPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export interface DepositRequestMailboxIdsFieldEvent {
    field: '$.mailboxIds[]'
    index: number
    value: Uint8Array
  }

  export interface DepositRequestTtlMsFieldEvent {
    field: '$.ttlMs'
    value: number
  }

  export function encode (obj: Partial<DepositRequest>): Uint8Array {
    return encodeMessage(obj, DepositRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositRequest>): DepositRequest {
    return decodeMessage(buf, DepositRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositRequest>): Generator<DepositRequestSeqFieldEvent | DepositRequestEnvelopeIdFieldEvent | DepositRequestPayloadFieldEvent | DepositRequestMailboxIdsFieldEvent | DepositRequestTtlMsFieldEvent> {
    return streamMessage(buf, DepositRequest.codec(), opts)
  }
}

export interface ChallengeRequest {
  mailboxId: Uint8Array
}

export namespace ChallengeRequest {
  let _codec: Codec<ChallengeRequest>

  export const codec = (): Codec<ChallengeRequest> => {
    if (_codec == null) {
      _codec = message<ChallengeRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.mailboxId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          mailboxId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.mailboxId = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.mailboxId`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChallengeRequestMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array
  }

  export function encode (obj: Partial<ChallengeRequest>): Uint8Array {
    return encodeMessage(obj, ChallengeRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChallengeRequest>): ChallengeRequest {
    return decodeMessage(buf, ChallengeRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChallengeRequest>): Generator<ChallengeRequestMailboxIdFieldEvent> {
    return streamMessage(buf, ChallengeRequest.codec(), opts)
  }
}

export interface FetchRequest {
  mailboxId: Uint8Array
  publicKey: Uint8Array
  nonce: Uint8Array
  signature: Uint8Array
  live: boolean
  window: number
}

export namespace FetchRequest {
  let _codec: Codec<FetchRequest>

  export const codec = (): Codec<FetchRequest> => {
    if (_codec == null) {
      _codec = message<FetchRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.mailboxId)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.nonce)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signature)
        }

        if ((obj.live != null && obj.live !== false)) {
          w.uint32(40)
          w.bool(obj.live)
        }

        if ((obj.window != null && obj.window !== 0)) {
          w.uint32(48)
          w.uint32(obj.window)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          mailboxId: uint8ArrayAlloc(0),
          publicKey: uint8ArrayAlloc(0),
          nonce: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0),
          live: false,
          window: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.mailboxId = reader.bytes()
              break
            }
            case 2: {
              obj.publicKey = reader.bytes()
              break
            }
            case 3: {
              obj.nonce = reader.bytes()
              break
            }
            case 4: {
              obj.signature = reader.bytes()
              break
            }
            case 5: {
              obj.live = reader.bool()
              break
            }
            case 6: {
              obj.window = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.mailboxId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.live`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.window`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FetchRequestMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array
  }

  export interface FetchRequestPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export interface FetchRequestNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array
  }

  export interface FetchRequestSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export interface FetchRequestLiveFieldEvent {
    field: '$.live'
    value: boolean
  }

  export interface FetchRequestWindowFieldEvent {
    field: '$.window'
    value: number
  }

  export function encode (obj: Partial<FetchRequest>): Uint8Array {
    return encodeMessage(obj, FetchRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): FetchRequest {
    return decodeMessage(buf, FetchRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): Generator<FetchRequestMailboxIdFieldEvent | FetchRequestPublicKeyFieldEvent | FetchRequestNonceFieldEvent | FetchRequestSignatureFieldEvent | FetchRequestLiveFieldEvent | FetchRequestWindowFieldEvent> {
    return streamMessage(buf, FetchRequest.codec(), opts)
  }
}

export interface AckRequest {
  seq: number
  envelopeIds: Uint8Array[]
}

export namespace AckRequest {
  let _codec: Codec<AckRequest>

  export const codec = (): Codec<AckRequest> => {
    if (_codec == null) {
      _codec = message<AckRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint32(obj.seq)
        }

        if (obj.envelopeIds != null && obj.envelopeIds.length > 0) {
          for (const value of obj.envelopeIds) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0,
          envelopeIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint32()
              break
            }
            case 2: {
              if (opts.limits?.envelopeIds != null && obj.envelopeIds.length === opts.limits.envelopeIds) {
                throw new MaxLengthError('Decode error - repeated field "envelopeIds" had too many elements')
              }

              obj.envelopeIds.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          envelopeIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              if (opts.limits?.envelopeIds != null && obj.envelopeIds === opts.limits.envelopeIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopeIds" had too many elements')
              }

              yield {
                field: `${prefix}.envelopeIds[]`,
                index: obj.envelopeIds,
                value: reader.bytes()
              }

              obj.envelopeIds++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AckRequestSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface AckRequestEnvelopeIdsFieldEvent {
    field: '$.envelopeIds[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<AckRequest>): Uint8Array {
    return encodeMessage(obj, AckRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckRequest>): AckRequest {
    return decodeMessage(buf, AckRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckRequest>): Generator<AckRequestSeqFieldEvent | AckRequestEnvelopeIdsFieldEvent> {
    return streamMessage(buf, AckRequest.codec(), opts)
  }
}

export interface StatusRequest {
  envelopeIds: Uint8Array[]
}

export namespace StatusRequest {
  let _codec: Codec<StatusRequest>

  export const codec = (): Codec<StatusRequest> => {
    if (_codec == null) {
      _codec = message<StatusRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.envelopeIds != null && obj.envelopeIds.length > 0) {
          for (const value of obj.envelopeIds) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopeIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopeIds != null && obj.envelopeIds.length === opts.limits.envelopeIds) {
                throw new MaxLengthError('Decode error - repeated field "envelopeIds" had too many elements')
              }

              obj.envelopeIds.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          envelopeIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopeIds != null && obj.envelopeIds === opts.limits.envelopeIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopeIds" had too many elements')
              }

              yield {
                field: `${prefix}.envelopeIds[]`,
                index: obj.envelopeIds,
                value: reader.bytes()
              }

              obj.envelopeIds++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StatusRequestEnvelopeIdsFieldEvent {
    field: '$.envelopeIds[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<StatusRequest>): Uint8Array {
    return encodeMessage(obj, StatusRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): StatusRequest {
    return decodeMessage(buf, StatusRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): Generator<StatusRequestEnvelopeIdsFieldEvent> {
    return streamMessage(buf, StatusRequest.codec(), opts)
  }
}

export interface MailboxRequest {
  version: number
  deposit?: DepositRequest
  challenge?: ChallengeRequest
  fetch?: FetchRequest
  ack?: AckRequest
  status?: StatusRequest
}

export namespace MailboxRequest {
  let _codec: Codec<MailboxRequest>

  export const codec = (): Codec<MailboxRequest> => {
    if (_codec == null) {
      _codec = message<MailboxRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.deposit != null) {
          w.uint32(18)
          DepositRequest.codec().encode(obj.deposit, w)
        }

        if (obj.challenge != null) {
          w.uint32(26)
          ChallengeRequest.codec().encode(obj.challenge, w)
        }

        if (obj.fetch != null) {
          w.uint32(34)
          FetchRequest.codec().encode(obj.fetch, w)
        }

        if (obj.ack != null) {
          w.uint32(42)
          AckRequest.codec().encode(obj.ack, w)
        }

        if (obj.status != null) {
          w.uint32(50)
          StatusRequest.codec().encode(obj.status, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.deposit = DepositRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 3: {
              obj.challenge = ChallengeRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.challenge
              })
              break
            }
            case 4: {
              obj.fetch = FetchRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetch
              })
              break
            }
            case 5: {
              obj.ack = AckRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ack
              })
              break
            }
            case 6: {
              obj.status = StatusRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield * DepositRequest.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 3: {
              yield * ChallengeRequest.codec().stream(reader, reader.uint32(), `${prefix}.challenge`, {
                limits: opts.limits?.challenge
              })

              break
            }
            case 4: {
              yield * FetchRequest.codec().stream(reader, reader.uint32(), `${prefix}.fetch`, {
                limits: opts.limits?.fetch
              })

              break
            }
            case 5: {
              yield * AckRequest.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                limits: opts.limits?.ack
              })

              break
            }
            case 6: {
              yield * StatusRequest.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                limits: opts.limits?.status
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MailboxRequestVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface MailboxRequestDepositSeqFieldEvent {
    field: '$.deposit.seq'
    value: number
  }

  export interface MailboxRequestDepositEnvelopeIdFieldEvent {
    field: '$.deposit.envelopeId'
    value: Uint8Array
  }

  export interface MailboxRequestDepositPayloadFieldEvent {
    field: '$.deposit.payload'
    value: Uint8Array
  }

  export interface MailboxRequestDepositMailboxIdsFieldEvent {
    field: '$.deposit.mailboxIds[]'
    index: number
    value: Uint8Array
  }

  export interface MailboxRequestDepositTtlMsFieldEvent {
    field: '$.deposit.ttlMs'
    value: number
  }

  export interface MailboxRequestChallengeMailboxIdFieldEvent {
    field: '$.challenge.mailboxId'
    value: Uint8Array
  }

  export interface MailboxRequestFetchMailboxIdFieldEvent {
    field: '$.fetch.mailboxId'
    value: Uint8Array
  }

  export interface MailboxRequestFetchPublicKeyFieldEvent {
    field: '$.fetch.publicKey'
    value: Uint8Array
  }

  export interface MailboxRequestFetchNonceFieldEvent {
    field: '$.fetch.nonce'
    value: Uint8Array
  }

  export interface MailboxRequestFetchSignatureFieldEvent {
    field: '$.fetch.signature'
    value: Uint8Array
  }

  export interface MailboxRequestFetchLiveFieldEvent {
    field: '$.fetch.live'
    value: boolean
  }

  export interface MailboxRequestFetchWindowFieldEvent {
    field: '$.fetch.window'
    value: number
  }

  export interface MailboxRequestAckSeqFieldEvent {
    field: '$.ack.seq'
    value: number
  }

  export interface MailboxRequestAckEnvelopeIdsFieldEvent {
    field: '$.ack.envelopeIds[]'
    index: number
    value: Uint8Array
  }

  export interface MailboxRequestStatusEnvelopeIdsFieldEvent {
    field: '$.status.envelopeIds[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<MailboxRequest>): Uint8Array {
    return encodeMessage(obj, MailboxRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxRequest>): MailboxRequest {
    return decodeMessage(buf, MailboxRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxRequest>): Generator<MailboxRequestVersionFieldEvent | MailboxRequestDepositSeqFieldEvent | MailboxRequestDepositEnvelopeIdFieldEvent | MailboxRequestDepositPayloadFieldEvent | MailboxRequestDepositMailboxIdsFieldEvent | MailboxRequestDepositTtlMsFieldEvent | MailboxRequestChallengeMailboxIdFieldEvent | MailboxRequestFetchMailboxIdFieldEvent | MailboxRequestFetchPublicKeyFieldEvent | MailboxRequestFetchNonceFieldEvent | MailboxRequestFetchSignatureFieldEvent | MailboxRequestFetchLiveFieldEvent | MailboxRequestFetchWindowFieldEvent | MailboxRequestAckSeqFieldEvent | MailboxRequestAckEnvelopeIdsFieldEvent | MailboxRequestStatusEnvelopeIdsFieldEvent> {
    return streamMessage(buf, MailboxRequest.codec(), opts)
  }
}

export interface DepositResult {
  seq: number
  status: number
  description: string
  expiresAt: number
}

export namespace DepositResult {
  let _codec: Codec<DepositResult>

  export const codec = (): Codec<DepositResult> => {
    if (_codec == null) {
      _codec = message<DepositResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint32(obj.seq)
        }

        if ((obj.status != null && obj.status !== 0)) {
          w.uint32(16)
          w.uint32(obj.status)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(26)
          w.string(obj.description)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0,
          status: 0,
          description: '',
          expiresAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint32()
              break
            }
            case 2: {
              obj.status = reader.uint32()
              break
            }
            case 3: {
              obj.description = reader.string()
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.description`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DepositResultSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface DepositResultStatusFieldEvent {
    field: '$.status'
    value: number
  }

  export interface DepositResultDescriptionFieldEvent {
    field: '$.description'
    value: string
  }

  export interface DepositResultExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export function encode (obj: Partial<DepositResult>): Uint8Array {
    return encodeMessage(obj, DepositResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositResult>): DepositResult {
    return decodeMessage(buf, DepositResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositResult>): Generator<DepositResultSeqFieldEvent | DepositResultStatusFieldEvent | DepositResultDescriptionFieldEvent | DepositResultExpiresAtFieldEvent> {
    return streamMessage(buf, DepositResult.codec(), opts)
  }
}

export interface DepositReply {
  results: DepositResult[]
}

export namespace DepositReply {
  let _codec: Codec<DepositReply>

  export const codec = (): Codec<DepositReply> => {
    if (_codec == null) {
      _codec = message<DepositReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.results != null && obj.results.length > 0) {
          for (const value of obj.results) {
            w.uint32(10)
            DepositResult.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          results: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.results != null && obj.results.length === opts.limits.results) {
                throw new MaxLengthError('Decode error - repeated field "results" had too many elements')
              }

              obj.results.push(DepositResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.results$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          results: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.results != null && obj.results === opts.limits.results) {
                throw new MaxLengthError('Streaming decode error - repeated field "results" had too many elements')
              }

              for (const evt of DepositResult.codec().stream(reader, reader.uint32(), `${prefix}.results[]`, {
                limits: opts.limits?.results$
              })) {
                yield {
                  ...evt,
                  index: obj.results
                }
              }

              obj.results++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DepositReplyResultsSeqFieldEvent {
    field: '$.results[].seq'
    value: number
    index: number
  }

  export interface DepositReplyResultsStatusFieldEvent {
    field: '$.results[].status'
    value: number
    index: number
  }

  export interface DepositReplyResultsDescriptionFieldEvent {
    field: '$.results[].description'
    value: string
    index: number
  }

  export interface DepositReplyResultsExpiresAtFieldEvent {
    field: '$.results[].expiresAt'
    value: number
    index: number
  }

  export function encode (obj: Partial<DepositReply>): Uint8Array {
    return encodeMessage(obj, DepositReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositReply>): DepositReply {
    return decodeMessage(buf, DepositReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositReply>): Generator<DepositReplyResultsSeqFieldEvent | DepositReplyResultsStatusFieldEvent | DepositReplyResultsDescriptionFieldEvent | DepositReplyResultsExpiresAtFieldEvent> {
    return streamMessage(buf, DepositReply.codec(), opts)
  }
}

export interface Challenge {
  nonce: Uint8Array
}

export namespace Challenge {
  let _codec: Codec<Challenge>

  export const codec = (): Codec<Challenge> => {
    if (_codec == null) {
      _codec = message<Challenge>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nonce: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nonce = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChallengeNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array
  }

  export function encode (obj: Partial<Challenge>): Uint8Array {
    return encodeMessage(obj, Challenge.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Challenge>): Challenge {
    return decodeMessage(buf, Challenge.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Challenge>): Generator<ChallengeNonceFieldEvent> {
    return streamMessage(buf, Challenge.codec(), opts)
  }
}

export interface FetchedEnvelope {
  envelopeId: Uint8Array
  payload: Uint8Array
  depositedAt: number
  expiresAt: number
}

export namespace FetchedEnvelope {
  let _codec: Codec<FetchedEnvelope>

  export const codec = (): Codec<FetchedEnvelope> => {
    if (_codec == null) {
      _codec = message<FetchedEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.envelopeId != null && obj.envelopeId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.envelopeId)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if ((obj.depositedAt != null && obj.depositedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.depositedAt)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopeId: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0),
          depositedAt: 0,
          expiresAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.envelopeId = reader.bytes()
              break
            }
            case 2: {
              obj.payload = reader.bytes()
              break
            }
            case 3: {
              obj.depositedAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.envelopeId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.depositedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FetchedEnvelopeEnvelopeIdFieldEvent {
    field: '$.envelopeId'
    value: Uint8Array
  }

  export interface FetchedEnvelopePayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export interface FetchedEnvelopeDepositedAtFieldEvent {
    field: '$.depositedAt'
    value: number
  }

  export interface FetchedEnvelopeExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export function encode (obj: Partial<FetchedEnvelope>): Uint8Array {
    return encodeMessage(obj, FetchedEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchedEnvelope>): FetchedEnvelope {
    return decodeMessage(buf, FetchedEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchedEnvelope>): Generator<FetchedEnvelopeEnvelopeIdFieldEvent | FetchedEnvelopePayloadFieldEvent | FetchedEnvelopeDepositedAtFieldEvent | FetchedEnvelopeExpiresAtFieldEvent> {
    return streamMessage(buf, FetchedEnvelope.codec(), opts)
  }
}

export interface EnvelopePage {
  envelopes: FetchedEnvelope[]
  caughtUp: boolean
}

export namespace EnvelopePage {
  let _codec: Codec<EnvelopePage>

  export const codec = (): Codec<EnvelopePage> => {
    if (_codec == null) {
      _codec = message<EnvelopePage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.envelopes != null && obj.envelopes.length > 0) {
          for (const value of obj.envelopes) {
            w.uint32(10)
            FetchedEnvelope.codec().encode(value, w)
          }
        }

        if ((obj.caughtUp != null && obj.caughtUp !== false)) {
          w.uint32(16)
          w.bool(obj.caughtUp)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopes: [],
          caughtUp: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements')
              }

              obj.envelopes.push(FetchedEnvelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.envelopes$
              }))
              break
            }
            case 2: {
              obj.caughtUp = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          envelopes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements')
              }

              for (const evt of FetchedEnvelope.codec().stream(reader, reader.uint32(), `${prefix}.envelopes[]`, {
                limits: opts.limits?.envelopes$
              })) {
                yield {
                  ...evt,
                  index: obj.envelopes
                }
              }

              obj.envelopes++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.caughtUp`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EnvelopePageEnvelopesEnvelopeIdFieldEvent {
    field: '$.envelopes[].envelopeId'
    value: Uint8Array
    index: number
  }

  export interface EnvelopePageEnvelopesPayloadFieldEvent {
    field: '$.envelopes[].payload'
    value: Uint8Array
    index: number
  }

  export interface EnvelopePageEnvelopesDepositedAtFieldEvent {
    field: '$.envelopes[].depositedAt'
    value: number
    index: number
  }

  export interface EnvelopePageEnvelopesExpiresAtFieldEvent {
    field: '$.envelopes[].expiresAt'
    value: number
    index: number
  }

  export interface EnvelopePageCaughtUpFieldEvent {
    field: '$.caughtUp'
    value: boolean
  }

  export function encode (obj: Partial<EnvelopePage>): Uint8Array {
    return encodeMessage(obj, EnvelopePage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnvelopePage>): EnvelopePage {
    return decodeMessage(buf, EnvelopePage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnvelopePage>): Generator<EnvelopePageEnvelopesEnvelopeIdFieldEvent | EnvelopePageEnvelopesPayloadFieldEvent | EnvelopePageEnvelopesDepositedAtFieldEvent | EnvelopePageEnvelopesExpiresAtFieldEvent | EnvelopePageCaughtUpFieldEvent> {
    return streamMessage(buf, EnvelopePage.codec(), opts)
  }
}

export interface AckResult {
  seq: number
}

export namespace AckResult {
  let _codec: Codec<AckResult>

  export const codec = (): Codec<AckResult> => {
    if (_codec == null) {
      _codec = message<AckResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint32(obj.seq)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AckResultSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export function encode (obj: Partial<AckResult>): Uint8Array {
    return encodeMessage(obj, AckResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckResult>): AckResult {
    return decodeMessage(buf, AckResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckResult>): Generator<AckResultSeqFieldEvent> {
    return streamMessage(buf, AckResult.codec(), opts)
  }
}

export interface EnvelopeStatus {
  envelopeId: Uint8Array
  known: boolean
  total: number
  pending: number
  expired: boolean
}

export namespace EnvelopeStatus {
  let _codec: Codec<EnvelopeStatus>

  export const codec = (): Codec<EnvelopeStatus> => {
    if (_codec == null) {
      _codec = message<EnvelopeStatus>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.envelopeId != null && obj.envelopeId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.envelopeId)
        }

        if ((obj.known != null && obj.known !== false)) {
          w.uint32(16)
          w.bool(obj.known)
        }

        if ((obj.total != null && obj.total !== 0)) {
          w.uint32(24)
          w.uint32(obj.total)
        }

        if ((obj.pending != null && obj.pending !== 0)) {
          w.uint32(32)
          w.uint32(obj.pending)
        }

        if ((obj.expired != null && obj.expired !== false)) {
          w.uint32(40)
          w.bool(obj.expired)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopeId: uint8ArrayAlloc(0),
          known: false,
          total: 0,
          pending: 0,
          expired: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.envelopeId = reader.bytes()
              break
            }
            case 2: {
              obj.known = reader.bool()
              break
            }
            case 3: {
              obj.total = reader.uint32()
              break
            }
            case 4: {
              obj.pending = reader.uint32()
              break
            }
            case 5: {
              obj.expired = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.envelopeId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.known`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.total`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.pending`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expired`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EnvelopeStatusEnvelopeIdFieldEvent {
    field: '$.envelopeId'
    value: Uint8Array
  }

  export interface EnvelopeStatusKnownFieldEvent {
    field: '$.known'
    value: boolean
  }

  export interface EnvelopeStatusTotalFieldEvent {
    field: '$.total'
    value: number
  }

  export interface EnvelopeStatusPendingFieldEvent {
    field: '$.pending'
    value: number
  }

  export interface EnvelopeStatusExpiredFieldEvent {
    field: '$.expired'
    value: boolean
  }

  export function encode (obj: Partial<EnvelopeStatus>): Uint8Array {
    return encodeMessage(obj, EnvelopeStatus.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnvelopeStatus>): EnvelopeStatus {
    return decodeMessage(buf, EnvelopeStatus.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnvelopeStatus>): Generator<EnvelopeStatusEnvelopeIdFieldEvent | EnvelopeStatusKnownFieldEvent | EnvelopeStatusTotalFieldEvent | EnvelopeStatusPendingFieldEvent | EnvelopeStatusExpiredFieldEvent> {
    return streamMessage(buf, EnvelopeStatus.codec(), opts)
  }
}

export interface StatusReply {
  statuses: EnvelopeStatus[]
}

export namespace StatusReply {
  let _codec: Codec<StatusReply>

  export const codec = (): Codec<StatusReply> => {
    if (_codec == null) {
      _codec = message<StatusReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.statuses != null && obj.statuses.length > 0) {
          for (const value of obj.statuses) {
            w.uint32(10)
            EnvelopeStatus.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          statuses: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.statuses != null && obj.statuses.length === opts.limits.statuses) {
                throw new MaxLengthError('Decode error - repeated field "statuses" had too many elements')
              }

              obj.statuses.push(EnvelopeStatus.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.statuses$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          statuses: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.statuses != null && obj.statuses === opts.limits.statuses) {
                throw new MaxLengthError('Streaming decode error - repeated field "statuses" had too many elements')
              }

              for (const evt of EnvelopeStatus.codec().stream(reader, reader.uint32(), `${prefix}.statuses[]`, {
                limits: opts.limits?.statuses$
              })) {
                yield {
                  ...evt,
                  index: obj.statuses
                }
              }

              obj.statuses++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StatusReplyStatusesEnvelopeIdFieldEvent {
    field: '$.statuses[].envelopeId'
    value: Uint8Array
    index: number
  }

  export interface StatusReplyStatusesKnownFieldEvent {
    field: '$.statuses[].known'
    value: boolean
    index: number
  }

  export interface StatusReplyStatusesTotalFieldEvent {
    field: '$.statuses[].total'
    value: number
    index: number
  }

  export interface StatusReplyStatusesPendingFieldEvent {
    field: '$.statuses[].pending'
    value: number
    index: number
  }

  export interface StatusReplyStatusesExpiredFieldEvent {
    field: '$.statuses[].expired'
    value: boolean
    index: number
  }

  export function encode (obj: Partial<StatusReply>): Uint8Array {
    return encodeMessage(obj, StatusReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusReply>): StatusReply {
    return decodeMessage(buf, StatusReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusReply>): Generator<StatusReplyStatusesEnvelopeIdFieldEvent | StatusReplyStatusesKnownFieldEvent | StatusReplyStatusesTotalFieldEvent | StatusReplyStatusesPendingFieldEvent | StatusReplyStatusesExpiredFieldEvent> {
    return streamMessage(buf, StatusReply.codec(), opts)
  }
}

export interface MailboxResponse {
  version: number
  status: number
  description: string
  deposit?: DepositReply
  challenge?: Challenge
  page?: EnvelopePage
  ack?: AckResult
  statusReply?: StatusReply
  heartbeat: boolean
}

export namespace MailboxResponse {
  let _codec: Codec<MailboxResponse>

  export const codec = (): Codec<MailboxResponse> => {
    if (_codec == null) {
      _codec = message<MailboxResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.status != null && obj.status !== 0)) {
          w.uint32(16)
          w.uint32(obj.status)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(26)
          w.string(obj.description)
        }

        if (obj.deposit != null) {
          w.uint32(34)
          DepositReply.codec().encode(obj.deposit, w)
        }

        if (obj.challenge != null) {
          w.uint32(42)
          Challenge.codec().encode(obj.challenge, w)
        }

        if (obj.page != null) {
          w.uint32(50)
          EnvelopePage.codec().encode(obj.page, w)
        }

        if (obj.ack != null) {
          w.uint32(58)
          AckResult.codec().encode(obj.ack, w)
        }

        if (obj.statusReply != null) {
          w.uint32(66)
          StatusReply.codec().encode(obj.statusReply, w)
        }

        if ((obj.heartbeat != null && obj.heartbeat !== false)) {
          w.uint32(72)
          w.bool(obj.heartbeat)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          status: 0,
          description: '',
          heartbeat: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.status = reader.uint32()
              break
            }
            case 3: {
              obj.description = reader.string()
              break
            }
            case 4: {
              obj.deposit = DepositReply.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 5: {
              obj.challenge = Challenge.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.challenge
              })
              break
            }
            case 6: {
              obj.page = EnvelopePage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.page
              })
              break
            }
            case 7: {
              obj.ack = AckResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ack
              })
              break
            }
            case 8: {
              obj.statusReply = StatusReply.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.statusReply
              })
              break
            }
            case 9: {
              obj.heartbeat = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.description`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield * DepositReply.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 5: {
              yield * Challenge.codec().stream(reader, reader.uint32(), `${prefix}.challenge`, {
                limits: opts.limits?.challenge
              })

              break
            }
            case 6: {
              yield * EnvelopePage.codec().stream(reader, reader.uint32(), `${prefix}.page`, {
                limits: opts.limits?.page
              })

              break
            }
            case 7: {
              yield * AckResult.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                limits: opts.limits?.ack
              })

              break
            }
            case 8: {
              yield * StatusReply.codec().stream(reader, reader.uint32(), `${prefix}.statusReply`, {
                limits: opts.limits?.statusReply
              })

              break
            }
            case 9: {
              yield {
                field: `${prefix}.heartbeat`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MailboxResponseVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface MailboxResponseStatusFieldEvent {
    field: '$.status'
    value: number
  }

  export interface MailboxResponseDescriptionFieldEvent {
    field: '$.description'
    value: string
  }

  export interface MailboxResponseDepositResultsSeqFieldEvent {
    field: '$.deposit.results[].seq'
    value: number
    index: number
  }

  export interface MailboxResponseDepositResultsStatusFieldEvent {
    field: '$.deposit.results[].status'
    value: number
    index: number
  }

  export interface MailboxResponseDepositResultsDescriptionFieldEvent {
    field: '$.deposit.results[].description'
    value: string
    index: number
  }

  export interface MailboxResponseDepositResultsExpiresAtFieldEvent {
    field: '$.deposit.results[].expiresAt'
    value: number
    index: number
  }

  export interface MailboxResponseChallengeNonceFieldEvent {
    field: '$.challenge.nonce'
    value: Uint8Array
  }

  export interface MailboxResponsePageEnvelopesEnvelopeIdFieldEvent {
    field: '$.page.envelopes[].envelopeId'
    value: Uint8Array
    index: number
  }

  export interface MailboxResponsePageEnvelopesPayloadFieldEvent {
    field: '$.page.envelopes[].payload'
    value: Uint8Array
    index: number
  }

  export interface MailboxResponsePageEnvelopesDepositedAtFieldEvent {
    field: '$.page.envelopes[].depositedAt'
    value: number
    index: number
  }

  export interface MailboxResponsePageEnvelopesExpiresAtFieldEvent {
    field: '$.page.envelopes[].expiresAt'
    value: number
    index: number
  }

  export interface MailboxResponsePageCaughtUpFieldEvent {
    field: '$.page.caughtUp'
    value: boolean
  }

  export interface MailboxResponseAckSeqFieldEvent {
    field: '$.ack.seq'
    value: number
  }

  export interface MailboxResponseStatusReplyStatusesEnvelopeIdFieldEvent {
    field: '$.statusReply.statuses[].envelopeId'
    value: Uint8Array
    index: number
  }

  export interface MailboxResponseStatusReplyStatusesKnownFieldEvent {
    field: '$.statusReply.statuses[].known'
    value: boolean
    index: number
  }

  export interface MailboxResponseStatusReplyStatusesTotalFieldEvent {
    field: '$.statusReply.statuses[].total'
    value: number
    index: number
  }

  export interface MailboxResponseStatusReplyStatusesPendingFieldEvent {
    field: '$.statusReply.statuses[].pending'
    value: number
    index: number
  }

  export interface MailboxResponseStatusReplyStatusesExpiredFieldEvent {
    field: '$.statusReply.statuses[].expired'
    value: boolean
    index: number
  }

  export interface MailboxResponseHeartbeatFieldEvent {
    field: '$.heartbeat'
    value: boolean
  }

  export function encode (obj: Partial<MailboxResponse>): Uint8Array {
    return encodeMessage(obj, MailboxResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxResponse>): MailboxResponse {
    return decodeMessage(buf, MailboxResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxResponse>): Generator<MailboxResponseVersionFieldEvent | MailboxResponseStatusFieldEvent | MailboxResponseDescriptionFieldEvent | MailboxResponseDepositResultsSeqFieldEvent | MailboxResponseDepositResultsStatusFieldEvent | MailboxResponseDepositResultsDescriptionFieldEvent | MailboxResponseDepositResultsExpiresAtFieldEvent | MailboxResponseChallengeNonceFieldEvent | MailboxResponsePageEnvelopesEnvelopeIdFieldEvent | MailboxResponsePageEnvelopesPayloadFieldEvent | MailboxResponsePageEnvelopesDepositedAtFieldEvent | MailboxResponsePageEnvelopesExpiresAtFieldEvent | MailboxResponsePageCaughtUpFieldEvent | MailboxResponseAckSeqFieldEvent | MailboxResponseStatusReplyStatusesEnvelopeIdFieldEvent | MailboxResponseStatusReplyStatusesKnownFieldEvent | MailboxResponseStatusReplyStatusesTotalFieldEvent | MailboxResponseStatusReplyStatusesPendingFieldEvent | MailboxResponseStatusReplyStatusesExpiredFieldEvent | MailboxResponseHeartbeatFieldEvent> {
    return streamMessage(buf, MailboxResponse.codec(), opts)
  }
}

export interface UploadedOneTimePreKey {
  id: number
  publicKey: Uint8Array
}

export namespace UploadedOneTimePreKey {
  let _codec: Codec<UploadedOneTimePreKey>

  export const codec = (): Codec<UploadedOneTimePreKey> => {
    if (_codec == null) {
      _codec = message<UploadedOneTimePreKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          publicKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.publicKey = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface UploadedOneTimePreKeyIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface UploadedOneTimePreKeyPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<UploadedOneTimePreKey>): Uint8Array {
    return encodeMessage(obj, UploadedOneTimePreKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadedOneTimePreKey>): UploadedOneTimePreKey {
    return decodeMessage(buf, UploadedOneTimePreKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadedOneTimePreKey>): Generator<UploadedOneTimePreKeyIdFieldEvent | UploadedOneTimePreKeyPublicKeyFieldEvent> {
    return streamMessage(buf, UploadedOneTimePreKey.codec(), opts)
  }
}

export interface PreKeyUploadBody {
  certificate: Uint8Array
  signedPreKey: Uint8Array
  kemLastResort: Uint8Array
  oneTimePreKeys: UploadedOneTimePreKey[]
  oneTimeKemPreKeys: Uint8Array[]
}

export namespace PreKeyUploadBody {
  let _codec: Codec<PreKeyUploadBody>

  export const codec = (): Codec<PreKeyUploadBody> => {
    if (_codec == null) {
      _codec = message<PreKeyUploadBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.certificate)
        }

        if ((obj.signedPreKey != null && obj.signedPreKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signedPreKey)
        }

        if ((obj.kemLastResort != null && obj.kemLastResort.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.kemLastResort)
        }

        if (obj.oneTimePreKeys != null && obj.oneTimePreKeys.length > 0) {
          for (const value of obj.oneTimePreKeys) {
            w.uint32(34)
            UploadedOneTimePreKey.codec().encode(value, w)
          }
        }

        if (obj.oneTimeKemPreKeys != null && obj.oneTimeKemPreKeys.length > 0) {
          for (const value of obj.oneTimeKemPreKeys) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          certificate: uint8ArrayAlloc(0),
          signedPreKey: uint8ArrayAlloc(0),
          kemLastResort: uint8ArrayAlloc(0),
          oneTimePreKeys: [],
          oneTimeKemPreKeys: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.certificate = reader.bytes()
              break
            }
            case 2: {
              obj.signedPreKey = reader.bytes()
              break
            }
            case 3: {
              obj.kemLastResort = reader.bytes()
              break
            }
            case 4: {
              if (opts.limits?.oneTimePreKeys != null && obj.oneTimePreKeys.length === opts.limits.oneTimePreKeys) {
                throw new MaxLengthError('Decode error - repeated field "oneTimePreKeys" had too many elements')
              }

              obj.oneTimePreKeys.push(UploadedOneTimePreKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.oneTimePreKeys$
              }))
              break
            }
            case 5: {
              if (opts.limits?.oneTimeKemPreKeys != null && obj.oneTimeKemPreKeys.length === opts.limits.oneTimeKemPreKeys) {
                throw new MaxLengthError('Decode error - repeated field "oneTimeKemPreKeys" had too many elements')
              }

              obj.oneTimeKemPreKeys.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          oneTimePreKeys: 0,
          oneTimeKemPreKeys: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.certificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signedPreKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.kemLastResort`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              if (opts.limits?.oneTimePreKeys != null && obj.oneTimePreKeys === opts.limits.oneTimePreKeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "oneTimePreKeys" had too many elements')
              }

              for (const evt of UploadedOneTimePreKey.codec().stream(reader, reader.uint32(), `${prefix}.oneTimePreKeys[]`, {
                limits: opts.limits?.oneTimePreKeys$
              })) {
                yield {
                  ...evt,
                  index: obj.oneTimePreKeys
                }
              }

              obj.oneTimePreKeys++

              break
            }
            case 5: {
              if (opts.limits?.oneTimeKemPreKeys != null && obj.oneTimeKemPreKeys === opts.limits.oneTimeKemPreKeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "oneTimeKemPreKeys" had too many elements')
              }

              yield {
                field: `${prefix}.oneTimeKemPreKeys[]`,
                index: obj.oneTimeKemPreKeys,
                value: reader.bytes()
              }

              obj.oneTimeKemPreKeys++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyUploadBodyCertificateFieldEvent {
    field: '$.certificate'
    value: Uint8Array
  }

  export interface PreKeyUploadBodySignedPreKeyFieldEvent {
    field: '$.signedPreKey'
    value: Uint8Array
  }

  export interface PreKeyUploadBodyKemLastResortFieldEvent {
    field: '$.kemLastResort'
    value: Uint8Array
  }

  export interface PreKeyUploadBodyOneTimePreKeysIdFieldEvent {
    field: '$.oneTimePreKeys[].id'
    value: number
    index: number
  }

  export interface PreKeyUploadBodyOneTimePreKeysPublicKeyFieldEvent {
    field: '$.oneTimePreKeys[].publicKey'
    value: Uint8Array
    index: number
  }

  export interface PreKeyUploadBodyOneTimeKemPreKeysFieldEvent {
    field: '$.oneTimeKemPreKeys[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<PreKeyUploadBody>): Uint8Array {
    return encodeMessage(obj, PreKeyUploadBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyUploadBody>): PreKeyUploadBody {
    return decodeMessage(buf, PreKeyUploadBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyUploadBody>): Generator<PreKeyUploadBodyCertificateFieldEvent | PreKeyUploadBodySignedPreKeyFieldEvent | PreKeyUploadBodyKemLastResortFieldEvent | PreKeyUploadBodyOneTimePreKeysIdFieldEvent | PreKeyUploadBodyOneTimePreKeysPublicKeyFieldEvent | PreKeyUploadBodyOneTimeKemPreKeysFieldEvent> {
    return streamMessage(buf, PreKeyUploadBody.codec(), opts)
  }
}

export interface PreKeyUpload {
  body: Uint8Array
  nonce: Uint8Array
  signature: Uint8Array
}

export namespace PreKeyUpload {
  let _codec: Codec<PreKeyUpload>

  export const codec = (): Codec<PreKeyUpload> => {
    if (_codec == null) {
      _codec = message<PreKeyUpload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.nonce)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          nonce: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.nonce = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyUploadBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface PreKeyUploadNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array
  }

  export interface PreKeyUploadSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<PreKeyUpload>): Uint8Array {
    return encodeMessage(obj, PreKeyUpload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyUpload>): PreKeyUpload {
    return decodeMessage(buf, PreKeyUpload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyUpload>): Generator<PreKeyUploadBodyFieldEvent | PreKeyUploadNonceFieldEvent | PreKeyUploadSignatureFieldEvent> {
    return streamMessage(buf, PreKeyUpload.codec(), opts)
  }
}

export interface PreKeyClaim {
  accountKey: Uint8Array
  deviceId: number
}

export namespace PreKeyClaim {
  let _codec: Codec<PreKeyClaim>

  export const codec = (): Codec<PreKeyClaim> => {
    if (_codec == null) {
      _codec = message<PreKeyClaim>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountKey != null && obj.accountKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountKey)
        }

        if ((obj.deviceId != null && obj.deviceId !== 0)) {
          w.uint32(16)
          w.uint32(obj.deviceId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountKey: uint8ArrayAlloc(0),
          deviceId: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accountKey = reader.bytes()
              break
            }
            case 2: {
              obj.deviceId = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.accountKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.deviceId`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyClaimAccountKeyFieldEvent {
    field: '$.accountKey'
    value: Uint8Array
  }

  export interface PreKeyClaimDeviceIdFieldEvent {
    field: '$.deviceId'
    value: number
  }

  export function encode (obj: Partial<PreKeyClaim>): Uint8Array {
    return encodeMessage(obj, PreKeyClaim.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyClaim>): PreKeyClaim {
    return decodeMessage(buf, PreKeyClaim.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyClaim>): Generator<PreKeyClaimAccountKeyFieldEvent | PreKeyClaimDeviceIdFieldEvent> {
    return streamMessage(buf, PreKeyClaim.codec(), opts)
  }
}

export interface PreKeyRequest {
  version: number
  challenge: boolean
  upload?: PreKeyUpload
  claim?: PreKeyClaim
}

export namespace PreKeyRequest {
  let _codec: Codec<PreKeyRequest>

  export const codec = (): Codec<PreKeyRequest> => {
    if (_codec == null) {
      _codec = message<PreKeyRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.challenge != null && obj.challenge !== false)) {
          w.uint32(16)
          w.bool(obj.challenge)
        }

        if (obj.upload != null) {
          w.uint32(26)
          PreKeyUpload.codec().encode(obj.upload, w)
        }

        if (obj.claim != null) {
          w.uint32(34)
          PreKeyClaim.codec().encode(obj.claim, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          challenge: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.challenge = reader.bool()
              break
            }
            case 3: {
              obj.upload = PreKeyUpload.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.upload
              })
              break
            }
            case 4: {
              obj.claim = PreKeyClaim.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.claim
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.challenge`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield * PreKeyUpload.codec().stream(reader, reader.uint32(), `${prefix}.upload`, {
                limits: opts.limits?.upload
              })

              break
            }
            case 4: {
              yield * PreKeyClaim.codec().stream(reader, reader.uint32(), `${prefix}.claim`, {
                limits: opts.limits?.claim
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyRequestVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface PreKeyRequestChallengeFieldEvent {
    field: '$.challenge'
    value: boolean
  }

  export interface PreKeyRequestUploadBodyFieldEvent {
    field: '$.upload.body'
    value: Uint8Array
  }

  export interface PreKeyRequestUploadNonceFieldEvent {
    field: '$.upload.nonce'
    value: Uint8Array
  }

  export interface PreKeyRequestUploadSignatureFieldEvent {
    field: '$.upload.signature'
    value: Uint8Array
  }

  export interface PreKeyRequestClaimAccountKeyFieldEvent {
    field: '$.claim.accountKey'
    value: Uint8Array
  }

  export interface PreKeyRequestClaimDeviceIdFieldEvent {
    field: '$.claim.deviceId'
    value: number
  }

  export function encode (obj: Partial<PreKeyRequest>): Uint8Array {
    return encodeMessage(obj, PreKeyRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyRequest>): PreKeyRequest {
    return decodeMessage(buf, PreKeyRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyRequest>): Generator<PreKeyRequestVersionFieldEvent | PreKeyRequestChallengeFieldEvent | PreKeyRequestUploadBodyFieldEvent | PreKeyRequestUploadNonceFieldEvent | PreKeyRequestUploadSignatureFieldEvent | PreKeyRequestClaimAccountKeyFieldEvent | PreKeyRequestClaimDeviceIdFieldEvent> {
    return streamMessage(buf, PreKeyRequest.codec(), opts)
  }
}

export interface PreKeyCounts {
  oneTime: number
  oneTimeKem: number
}

export namespace PreKeyCounts {
  let _codec: Codec<PreKeyCounts>

  export const codec = (): Codec<PreKeyCounts> => {
    if (_codec == null) {
      _codec = message<PreKeyCounts>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.oneTime != null && obj.oneTime !== 0)) {
          w.uint32(8)
          w.uint32(obj.oneTime)
        }

        if ((obj.oneTimeKem != null && obj.oneTimeKem !== 0)) {
          w.uint32(16)
          w.uint32(obj.oneTimeKem)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          oneTime: 0,
          oneTimeKem: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.oneTime = reader.uint32()
              break
            }
            case 2: {
              obj.oneTimeKem = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.oneTime`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.oneTimeKem`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyCountsOneTimeFieldEvent {
    field: '$.oneTime'
    value: number
  }

  export interface PreKeyCountsOneTimeKemFieldEvent {
    field: '$.oneTimeKem'
    value: number
  }

  export function encode (obj: Partial<PreKeyCounts>): Uint8Array {
    return encodeMessage(obj, PreKeyCounts.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyCounts>): PreKeyCounts {
    return decodeMessage(buf, PreKeyCounts.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyCounts>): Generator<PreKeyCountsOneTimeFieldEvent | PreKeyCountsOneTimeKemFieldEvent> {
    return streamMessage(buf, PreKeyCounts.codec(), opts)
  }
}

export interface PreKeyResponse {
  version: number
  status: number
  description: string
  challenge?: Challenge
  bundle?: Uint8Array
  counts?: PreKeyCounts
}

export namespace PreKeyResponse {
  let _codec: Codec<PreKeyResponse>

  export const codec = (): Codec<PreKeyResponse> => {
    if (_codec == null) {
      _codec = message<PreKeyResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.status != null && obj.status !== 0)) {
          w.uint32(16)
          w.uint32(obj.status)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(26)
          w.string(obj.description)
        }

        if (obj.challenge != null) {
          w.uint32(34)
          Challenge.codec().encode(obj.challenge, w)
        }

        if (obj.bundle != null) {
          w.uint32(42)
          w.bytes(obj.bundle)
        }

        if (obj.counts != null) {
          w.uint32(50)
          PreKeyCounts.codec().encode(obj.counts, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          status: 0,
          description: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.status = reader.uint32()
              break
            }
            case 3: {
              obj.description = reader.string()
              break
            }
            case 4: {
              obj.challenge = Challenge.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.challenge
              })
              break
            }
            case 5: {
              obj.bundle = reader.bytes()
              break
            }
            case 6: {
              obj.counts = PreKeyCounts.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.counts
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.description`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield * Challenge.codec().stream(reader, reader.uint32(), `${prefix}.challenge`, {
                limits: opts.limits?.challenge
              })

              break
            }
            case 5: {
              yield {
                field: `${prefix}.bundle`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield * PreKeyCounts.codec().stream(reader, reader.uint32(), `${prefix}.counts`, {
                limits: opts.limits?.counts
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyResponseVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface PreKeyResponseStatusFieldEvent {
    field: '$.status'
    value: number
  }

  export interface PreKeyResponseDescriptionFieldEvent {
    field: '$.description'
    value: string
  }

  export interface PreKeyResponseChallengeNonceFieldEvent {
    field: '$.challenge.nonce'
    value: Uint8Array
  }

  export interface PreKeyResponseBundleFieldEvent {
    field: '$.bundle'
    value: Uint8Array
  }

  export interface PreKeyResponseCountsOneTimeFieldEvent {
    field: '$.counts.oneTime'
    value: number
  }

  export interface PreKeyResponseCountsOneTimeKemFieldEvent {
    field: '$.counts.oneTimeKem'
    value: number
  }

  export function encode (obj: Partial<PreKeyResponse>): Uint8Array {
    return encodeMessage(obj, PreKeyResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyResponse>): PreKeyResponse {
    return decodeMessage(buf, PreKeyResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyResponse>): Generator<PreKeyResponseVersionFieldEvent | PreKeyResponseStatusFieldEvent | PreKeyResponseDescriptionFieldEvent | PreKeyResponseChallengeNonceFieldEvent | PreKeyResponseBundleFieldEvent | PreKeyResponseCountsOneTimeFieldEvent | PreKeyResponseCountsOneTimeKemFieldEvent> {
    return streamMessage(buf, PreKeyResponse.codec(), opts)
  }
}

export interface DeviceListRequest {
  version: number
  put?: Uint8Array
  get?: Uint8Array
}

export namespace DeviceListRequest {
  let _codec: Codec<DeviceListRequest>

  export const codec = (): Codec<DeviceListRequest> => {
    if (_codec == null) {
      _codec = message<DeviceListRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.put != null) {
          w.uint32(18)
          w.bytes(obj.put)
        }

        if (obj.get != null) {
          w.uint32(26)
          w.bytes(obj.get)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.put = reader.bytes()
              break
            }
            case 3: {
              obj.get = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.put`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.get`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeviceListRequestVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface DeviceListRequestPutFieldEvent {
    field: '$.put'
    value: Uint8Array
  }

  export interface DeviceListRequestGetFieldEvent {
    field: '$.get'
    value: Uint8Array
  }

  export function encode (obj: Partial<DeviceListRequest>): Uint8Array {
    return encodeMessage(obj, DeviceListRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListRequest>): DeviceListRequest {
    return decodeMessage(buf, DeviceListRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListRequest>): Generator<DeviceListRequestVersionFieldEvent | DeviceListRequestPutFieldEvent | DeviceListRequestGetFieldEvent> {
    return streamMessage(buf, DeviceListRequest.codec(), opts)
  }
}

export interface DeviceListResponse {
  version: number
  status: number
  description: string
  record?: Uint8Array
}

export namespace DeviceListResponse {
  let _codec: Codec<DeviceListResponse>

  export const codec = (): Codec<DeviceListResponse> => {
    if (_codec == null) {
      _codec = message<DeviceListResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.status != null && obj.status !== 0)) {
          w.uint32(16)
          w.uint32(obj.status)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(26)
          w.string(obj.description)
        }

        if (obj.record != null) {
          w.uint32(34)
          w.bytes(obj.record)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          status: 0,
          description: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.status = reader.uint32()
              break
            }
            case 3: {
              obj.description = reader.string()
              break
            }
            case 4: {
              obj.record = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.description`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.record`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeviceListResponseVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface DeviceListResponseStatusFieldEvent {
    field: '$.status'
    value: number
  }

  export interface DeviceListResponseDescriptionFieldEvent {
    field: '$.description'
    value: string
  }

  export interface DeviceListResponseRecordFieldEvent {
    field: '$.record'
    value: Uint8Array
  }

  export function encode (obj: Partial<DeviceListResponse>): Uint8Array {
    return encodeMessage(obj, DeviceListResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListResponse>): DeviceListResponse {
    return decodeMessage(buf, DeviceListResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListResponse>): Generator<DeviceListResponseVersionFieldEvent | DeviceListResponseStatusFieldEvent | DeviceListResponseDescriptionFieldEvent | DeviceListResponseRecordFieldEvent> {
    return streamMessage(buf, DeviceListResponse.codec(), opts)
  }
}

export interface DeliverRequest {
  version: number
  seq: number
  envelopeId: Uint8Array
  payload: Uint8Array
}

export namespace DeliverRequest {
  let _codec: Codec<DeliverRequest>

  export const codec = (): Codec<DeliverRequest> => {
    if (_codec == null) {
      _codec = message<DeliverRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(16)
          w.uint32(obj.seq)
        }

        if ((obj.envelopeId != null && obj.envelopeId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.envelopeId)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.payload)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          seq: 0,
          envelopeId: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.seq = reader.uint32()
              break
            }
            case 3: {
              obj.envelopeId = reader.bytes()
              break
            }
            case 4: {
              obj.payload = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.envelopeId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeliverRequestVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface DeliverRequestSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface DeliverRequestEnvelopeIdFieldEvent {
    field: '$.envelopeId'
    value: Uint8Array
  }

  export interface DeliverRequestPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export function encode (obj: Partial<DeliverRequest>): Uint8Array {
    return encodeMessage(obj, DeliverRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverRequest>): DeliverRequest {
    return decodeMessage(buf, DeliverRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverRequest>): Generator<DeliverRequestVersionFieldEvent | DeliverRequestSeqFieldEvent | DeliverRequestEnvelopeIdFieldEvent | DeliverRequestPayloadFieldEvent> {
    return streamMessage(buf, DeliverRequest.codec(), opts)
  }
}

export interface DeliverResponse {
  version: number
  seq: number
  status: number
  description: string
}

export namespace DeliverResponse {
  let _codec: Codec<DeliverResponse>

  export const codec = (): Codec<DeliverResponse> => {
    if (_codec == null) {
      _codec = message<DeliverResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(16)
          w.uint32(obj.seq)
        }

        if ((obj.status != null && obj.status !== 0)) {
          w.uint32(24)
          w.uint32(obj.status)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(34)
          w.string(obj.description)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          seq: 0,
          status: 0,
          description: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.seq = reader.uint32()
              break
            }
            case 3: {
              obj.status = reader.uint32()
              break
            }
            case 4: {
              obj.description = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.status`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.description`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeliverResponseVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface DeliverResponseSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface DeliverResponseStatusFieldEvent {
    field: '$.status'
    value: number
  }

  export interface DeliverResponseDescriptionFieldEvent {
    field: '$.description'
    value: string
  }

  export function encode (obj: Partial<DeliverResponse>): Uint8Array {
    return encodeMessage(obj, DeliverResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverResponse>): DeliverResponse {
    return decodeMessage(buf, DeliverResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverResponse>): Generator<DeliverResponseVersionFieldEvent | DeliverResponseSeqFieldEvent | DeliverResponseStatusFieldEvent | DeliverResponseDescriptionFieldEvent> {
    return streamMessage(buf, DeliverResponse.codec(), opts)
  }
}
