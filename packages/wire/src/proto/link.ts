import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface LinkInvite {
  accountKey: Uint8Array
  primaryPeerId: Uint8Array
  relayAddrs: string[]
  secret: Uint8Array
  expiresAt: number
}

export namespace LinkInvite {
  let _codec: Codec<LinkInvite>

  export const codec = (): Codec<LinkInvite> => {
    if (_codec == null) {
      _codec = message<LinkInvite>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountKey != null && obj.accountKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountKey)
        }

        if ((obj.primaryPeerId != null && obj.primaryPeerId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.primaryPeerId)
        }

        if (obj.relayAddrs != null && obj.relayAddrs.length > 0) {
          for (const value of obj.relayAddrs) {
            w.uint32(26)
            w.string(value)
          }
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.secret)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountKey: uint8ArrayAlloc(0),
          primaryPeerId: uint8ArrayAlloc(0),
          relayAddrs: [],
          secret: uint8ArrayAlloc(0),
          expiresAt: 0
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
              obj.primaryPeerId = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.relayAddrs != null && obj.relayAddrs.length === opts.limits.relayAddrs) {
                throw new MaxLengthError('Decode error - repeated field "relayAddrs" had too many elements')
              }

              obj.relayAddrs.push(reader.string())
              break
            }
            case 4: {
              obj.secret = reader.bytes()
              break
            }
            case 5: {
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
        const obj = {
          relayAddrs: 0
        }

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
                field: `${prefix}.primaryPeerId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.relayAddrs != null && obj.relayAddrs === opts.limits.relayAddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "relayAddrs" had too many elements')
              }

              yield {
                field: `${prefix}.relayAddrs[]`,
                index: obj.relayAddrs,
                value: reader.string()
              }

              obj.relayAddrs++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
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

  export interface LinkInviteAccountKeyFieldEvent {
    field: '$.accountKey'
    value: Uint8Array
  }

  export interface LinkInvitePrimaryPeerIdFieldEvent {
    field: '$.primaryPeerId'
    value: Uint8Array
  }

  export interface LinkInviteRelayAddrsFieldEvent {
    field: '$.relayAddrs[]'
    index: number
    value: string
  }

  export interface LinkInviteSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array
  }

  export interface LinkInviteExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export function encode (obj: Partial<LinkInvite>): Uint8Array {
    return encodeMessage(obj, LinkInvite.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkInvite>): LinkInvite {
    return decodeMessage(buf, LinkInvite.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkInvite>): Generator<LinkInviteAccountKeyFieldEvent | LinkInvitePrimaryPeerIdFieldEvent | LinkInviteRelayAddrsFieldEvent | LinkInviteSecretFieldEvent | LinkInviteExpiresAtFieldEvent> {
    return streamMessage(buf, LinkInvite.codec(), opts)
  }
}

export interface LinkMailbox {
  relayPeerId: Uint8Array
  relayAddrs: string[]
  mailboxId: Uint8Array
}

export namespace LinkMailbox {
  let _codec: Codec<LinkMailbox>

  export const codec = (): Codec<LinkMailbox> => {
    if (_codec == null) {
      _codec = message<LinkMailbox>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.relayPeerId != null && obj.relayPeerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.relayPeerId)
        }

        if (obj.relayAddrs != null && obj.relayAddrs.length > 0) {
          for (const value of obj.relayAddrs) {
            w.uint32(18)
            w.string(value)
          }
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.mailboxId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          relayPeerId: uint8ArrayAlloc(0),
          relayAddrs: [],
          mailboxId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.relayPeerId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.relayAddrs != null && obj.relayAddrs.length === opts.limits.relayAddrs) {
                throw new MaxLengthError('Decode error - repeated field "relayAddrs" had too many elements')
              }

              obj.relayAddrs.push(reader.string())
              break
            }
            case 3: {
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
        const obj = {
          relayAddrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.relayPeerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.relayAddrs != null && obj.relayAddrs === opts.limits.relayAddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "relayAddrs" had too many elements')
              }

              yield {
                field: `${prefix}.relayAddrs[]`,
                index: obj.relayAddrs,
                value: reader.string()
              }

              obj.relayAddrs++

              break
            }
            case 3: {
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

  export interface LinkMailboxRelayPeerIdFieldEvent {
    field: '$.relayPeerId'
    value: Uint8Array
  }

  export interface LinkMailboxRelayAddrsFieldEvent {
    field: '$.relayAddrs[]'
    index: number
    value: string
  }

  export interface LinkMailboxMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array
  }

  export function encode (obj: Partial<LinkMailbox>): Uint8Array {
    return encodeMessage(obj, LinkMailbox.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkMailbox>): LinkMailbox {
    return decodeMessage(buf, LinkMailbox.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkMailbox>): Generator<LinkMailboxRelayPeerIdFieldEvent | LinkMailboxRelayAddrsFieldEvent | LinkMailboxMailboxIdFieldEvent> {
    return streamMessage(buf, LinkMailbox.codec(), opts)
  }
}

export interface LinkRequestBody {
  identityKey: Uint8Array
  signingKey: Uint8Array
  mailboxes: LinkMailbox[]
}

export namespace LinkRequestBody {
  let _codec: Codec<LinkRequestBody>

  export const codec = (): Codec<LinkRequestBody> => {
    if (_codec == null) {
      _codec = message<LinkRequestBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.identityKey != null && obj.identityKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.identityKey)
        }

        if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signingKey)
        }

        if (obj.mailboxes != null && obj.mailboxes.length > 0) {
          for (const value of obj.mailboxes) {
            w.uint32(26)
            LinkMailbox.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          identityKey: uint8ArrayAlloc(0),
          signingKey: uint8ArrayAlloc(0),
          mailboxes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.identityKey = reader.bytes()
              break
            }
            case 2: {
              obj.signingKey = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.mailboxes != null && obj.mailboxes.length === opts.limits.mailboxes) {
                throw new MaxLengthError('Decode error - repeated field "mailboxes" had too many elements')
              }

              obj.mailboxes.push(LinkMailbox.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.mailboxes$
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
          mailboxes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.identityKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signingKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.mailboxes != null && obj.mailboxes === opts.limits.mailboxes) {
                throw new MaxLengthError('Streaming decode error - repeated field "mailboxes" had too many elements')
              }

              for (const evt of LinkMailbox.codec().stream(reader, reader.uint32(), `${prefix}.mailboxes[]`, {
                limits: opts.limits?.mailboxes$
              })) {
                yield {
                  ...evt,
                  index: obj.mailboxes
                }
              }

              obj.mailboxes++

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

  export interface LinkRequestBodyIdentityKeyFieldEvent {
    field: '$.identityKey'
    value: Uint8Array
  }

  export interface LinkRequestBodySigningKeyFieldEvent {
    field: '$.signingKey'
    value: Uint8Array
  }

  export interface LinkRequestBodyMailboxesRelayPeerIdFieldEvent {
    field: '$.mailboxes[].relayPeerId'
    value: Uint8Array
    index: number
  }

  export interface LinkRequestBodyMailboxesRelayAddrsFieldEvent {
    field: '$.mailboxes[].relayAddrs[]'
    index: number
    value: string
  }

  export interface LinkRequestBodyMailboxesMailboxIdFieldEvent {
    field: '$.mailboxes[].mailboxId'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<LinkRequestBody>): Uint8Array {
    return encodeMessage(obj, LinkRequestBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequestBody>): LinkRequestBody {
    return decodeMessage(buf, LinkRequestBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequestBody>): Generator<LinkRequestBodyIdentityKeyFieldEvent | LinkRequestBodySigningKeyFieldEvent | LinkRequestBodyMailboxesRelayPeerIdFieldEvent | LinkRequestBodyMailboxesRelayAddrsFieldEvent | LinkRequestBodyMailboxesMailboxIdFieldEvent> {
    return streamMessage(buf, LinkRequestBody.codec(), opts)
  }
}

export interface LinkRequest {
  body: Uint8Array
  proof: Uint8Array
}

export namespace LinkRequest {
  let _codec: Codec<LinkRequest>

  export const codec = (): Codec<LinkRequest> => {
    if (_codec == null) {
      _codec = message<LinkRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.proof != null && obj.proof.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.proof)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          proof: uint8ArrayAlloc(0)
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
              obj.proof = reader.bytes()
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
                field: `${prefix}.proof`,
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

  export interface LinkRequestBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface LinkRequestProofFieldEvent {
    field: '$.proof'
    value: Uint8Array
  }

  export function encode (obj: Partial<LinkRequest>): Uint8Array {
    return encodeMessage(obj, LinkRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequest>): LinkRequest {
    return decodeMessage(buf, LinkRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequest>): Generator<LinkRequestBodyFieldEvent | LinkRequestProofFieldEvent> {
    return streamMessage(buf, LinkRequest.codec(), opts)
  }
}

export interface LinkResponse {
  status: number
  certificate: Uint8Array
  deviceList: Uint8Array
  proof: Uint8Array
}

export namespace LinkResponse {
  let _codec: Codec<LinkResponse>

  export const codec = (): Codec<LinkResponse> => {
    if (_codec == null) {
      _codec = message<LinkResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.status != null && obj.status !== 0)) {
          w.uint32(8)
          w.uint32(obj.status)
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.certificate)
        }

        if ((obj.deviceList != null && obj.deviceList.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.deviceList)
        }

        if ((obj.proof != null && obj.proof.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.proof)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: 0,
          certificate: uint8ArrayAlloc(0),
          deviceList: uint8ArrayAlloc(0),
          proof: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = reader.uint32()
              break
            }
            case 2: {
              obj.certificate = reader.bytes()
              break
            }
            case 3: {
              obj.deviceList = reader.bytes()
              break
            }
            case 4: {
              obj.proof = reader.bytes()
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
                field: `${prefix}.status`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.certificate`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.deviceList`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.proof`,
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

  export interface LinkResponseStatusFieldEvent {
    field: '$.status'
    value: number
  }

  export interface LinkResponseCertificateFieldEvent {
    field: '$.certificate'
    value: Uint8Array
  }

  export interface LinkResponseDeviceListFieldEvent {
    field: '$.deviceList'
    value: Uint8Array
  }

  export interface LinkResponseProofFieldEvent {
    field: '$.proof'
    value: Uint8Array
  }

  export function encode (obj: Partial<LinkResponse>): Uint8Array {
    return encodeMessage(obj, LinkResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkResponse>): LinkResponse {
    return decodeMessage(buf, LinkResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkResponse>): Generator<LinkResponseStatusFieldEvent | LinkResponseCertificateFieldEvent | LinkResponseDeviceListFieldEvent | LinkResponseProofFieldEvent> {
    return streamMessage(buf, LinkResponse.codec(), opts)
  }
}
