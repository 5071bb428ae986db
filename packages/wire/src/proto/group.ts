import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SenderKeyMessageBody {
  distributionId: Uint8Array
  chainId: number
  iteration: number
  ciphertext: Uint8Array
}

export namespace SenderKeyMessageBody {
  let _codec: Codec<SenderKeyMessageBody>

  export const codec = (): Codec<SenderKeyMessageBody> => {
    if (_codec == null) {
      _codec = message<SenderKeyMessageBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.distributionId != null && obj.distributionId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.distributionId)
        }

        if ((obj.chainId != null && obj.chainId !== 0)) {
          w.uint32(21)
          w.fixed32(obj.chainId)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(29)
          w.fixed32(obj.iteration)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          distributionId: uint8ArrayAlloc(0),
          chainId: 0,
          iteration: 0,
          ciphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.distributionId = reader.bytes()
              break
            }
            case 2: {
              obj.chainId = reader.fixed32()
              break
            }
            case 3: {
              obj.iteration = reader.fixed32()
              break
            }
            case 4: {
              obj.ciphertext = reader.bytes()
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
                field: `${prefix}.distributionId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.chainId`,
                value: reader.fixed32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.iteration`,
                value: reader.fixed32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ciphertext`,
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

  export interface SenderKeyMessageBodyDistributionIdFieldEvent {
    field: '$.distributionId'
    value: Uint8Array
  }

  export interface SenderKeyMessageBodyChainIdFieldEvent {
    field: '$.chainId'
    value: number
  }

  export interface SenderKeyMessageBodyIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface SenderKeyMessageBodyCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array
  }

  export function encode (obj: Partial<SenderKeyMessageBody>): Uint8Array {
    return encodeMessage(obj, SenderKeyMessageBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyMessageBody>): SenderKeyMessageBody {
    return decodeMessage(buf, SenderKeyMessageBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyMessageBody>): Generator<SenderKeyMessageBodyDistributionIdFieldEvent | SenderKeyMessageBodyChainIdFieldEvent | SenderKeyMessageBodyIterationFieldEvent | SenderKeyMessageBodyCiphertextFieldEvent> {
    return streamMessage(buf, SenderKeyMessageBody.codec(), opts)
  }
}

export interface SenderKeyMessage {
  body: Uint8Array
  signature: Uint8Array
}

export namespace SenderKeyMessage {
  let _codec: Codec<SenderKeyMessage>

  export const codec = (): Codec<SenderKeyMessage> => {
    if (_codec == null) {
      _codec = message<SenderKeyMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
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

  export interface SenderKeyMessageBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface SenderKeyMessageSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<SenderKeyMessage>): Uint8Array {
    return encodeMessage(obj, SenderKeyMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyMessage>): SenderKeyMessage {
    return decodeMessage(buf, SenderKeyMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyMessage>): Generator<SenderKeyMessageBodyFieldEvent | SenderKeyMessageSignatureFieldEvent> {
    return streamMessage(buf, SenderKeyMessage.codec(), opts)
  }
}

export interface SenderKeyDistribution {
  distributionId: Uint8Array
  chainId: number
  iteration: number
  chainKey: Uint8Array
  signingKey: Uint8Array
}

export namespace SenderKeyDistribution {
  let _codec: Codec<SenderKeyDistribution>

  export const codec = (): Codec<SenderKeyDistribution> => {
    if (_codec == null) {
      _codec = message<SenderKeyDistribution>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.distributionId != null && obj.distributionId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.distributionId)
        }

        if ((obj.chainId != null && obj.chainId !== 0)) {
          w.uint32(16)
          w.uint32(obj.chainId)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(24)
          w.uint32(obj.iteration)
        }

        if ((obj.chainKey != null && obj.chainKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.chainKey)
        }

        if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.signingKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          distributionId: uint8ArrayAlloc(0),
          chainId: 0,
          iteration: 0,
          chainKey: uint8ArrayAlloc(0),
          signingKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.distributionId = reader.bytes()
              break
            }
            case 2: {
              obj.chainId = reader.uint32()
              break
            }
            case 3: {
              obj.iteration = reader.uint32()
              break
            }
            case 4: {
              obj.chainKey = reader.bytes()
              break
            }
            case 5: {
              obj.signingKey = reader.bytes()
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
                field: `${prefix}.distributionId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.chainId`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.iteration`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.chainKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signingKey`,
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

  export interface SenderKeyDistributionDistributionIdFieldEvent {
    field: '$.distributionId'
    value: Uint8Array
  }

  export interface SenderKeyDistributionChainIdFieldEvent {
    field: '$.chainId'
    value: number
  }

  export interface SenderKeyDistributionIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface SenderKeyDistributionChainKeyFieldEvent {
    field: '$.chainKey'
    value: Uint8Array
  }

  export interface SenderKeyDistributionSigningKeyFieldEvent {
    field: '$.signingKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<SenderKeyDistribution>): Uint8Array {
    return encodeMessage(obj, SenderKeyDistribution.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyDistribution>): SenderKeyDistribution {
    return decodeMessage(buf, SenderKeyDistribution.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyDistribution>): Generator<SenderKeyDistributionDistributionIdFieldEvent | SenderKeyDistributionChainIdFieldEvent | SenderKeyDistributionIterationFieldEvent | SenderKeyDistributionChainKeyFieldEvent | SenderKeyDistributionSigningKeyFieldEvent> {
    return streamMessage(buf, SenderKeyDistribution.codec(), opts)
  }
}

export interface GroupEnvelope {
  envelopeId: Uint8Array
  keyId: number
  nonce: Uint8Array
  ciphertext: Uint8Array
}

export namespace GroupEnvelope {
  let _codec: Codec<GroupEnvelope>

  export const codec = (): Codec<GroupEnvelope> => {
    if (_codec == null) {
      _codec = message<GroupEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.envelopeId != null && obj.envelopeId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.envelopeId)
        }

        if ((obj.keyId != null && obj.keyId !== 0)) {
          w.uint32(21)
          w.fixed32(obj.keyId)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.nonce)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopeId: uint8ArrayAlloc(0),
          keyId: 0,
          nonce: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
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
              obj.keyId = reader.fixed32()
              break
            }
            case 3: {
              obj.nonce = reader.bytes()
              break
            }
            case 4: {
              obj.ciphertext = reader.bytes()
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
                field: `${prefix}.keyId`,
                value: reader.fixed32()
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
                field: `${prefix}.ciphertext`,
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

  export interface GroupEnvelopeEnvelopeIdFieldEvent {
    field: '$.envelopeId'
    value: Uint8Array
  }

  export interface GroupEnvelopeKeyIdFieldEvent {
    field: '$.keyId'
    value: number
  }

  export interface GroupEnvelopeNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array
  }

  export interface GroupEnvelopeCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupEnvelope>): Uint8Array {
    return encodeMessage(obj, GroupEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): GroupEnvelope {
    return decodeMessage(buf, GroupEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): Generator<GroupEnvelopeEnvelopeIdFieldEvent | GroupEnvelopeKeyIdFieldEvent | GroupEnvelopeNonceFieldEvent | GroupEnvelopeCiphertextFieldEvent> {
    return streamMessage(buf, GroupEnvelope.codec(), opts)
  }
}
