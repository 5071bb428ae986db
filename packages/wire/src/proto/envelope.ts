import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum MessageType {
  MESSAGE_TYPE_UNSPECIFIED = 'MESSAGE_TYPE_UNSPECIFIED',
  PRE_KEY = 'PRE_KEY',
  RATCHET = 'RATCHET',
  SENDER_KEY = 'SENDER_KEY'
}

enum __MessageTypeValues {
  MESSAGE_TYPE_UNSPECIFIED = 0,
  PRE_KEY = 1,
  RATCHET = 2,
  SENDER_KEY = 3
}

export namespace MessageType {
  export const codec = (): Codec<MessageType> => {
    return enumeration<MessageType>(__MessageTypeValues)
  }
}

export interface SealedEnvelope {
  ephemeralKey: Uint8Array
  encryptedStatic: Uint8Array
  ciphertext: Uint8Array
}

export namespace SealedEnvelope {
  let _codec: Codec<SealedEnvelope>

  export const codec = (): Codec<SealedEnvelope> => {
    if (_codec == null) {
      _codec = message<SealedEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ephemeralKey != null && obj.ephemeralKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ephemeralKey)
        }

        if ((obj.encryptedStatic != null && obj.encryptedStatic.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.encryptedStatic)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ephemeralKey: uint8ArrayAlloc(0),
          encryptedStatic: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ephemeralKey = reader.bytes()
              break
            }
            case 2: {
              obj.encryptedStatic = reader.bytes()
              break
            }
            case 3: {
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
                field: `${prefix}.ephemeralKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.encryptedStatic`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
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

  export interface SealedEnvelopeEphemeralKeyFieldEvent {
    field: '$.ephemeralKey'
    value: Uint8Array
  }

  export interface SealedEnvelopeEncryptedStaticFieldEvent {
    field: '$.encryptedStatic'
    value: Uint8Array
  }

  export interface SealedEnvelopeCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array
  }

  export function encode (obj: Partial<SealedEnvelope>): Uint8Array {
    return encodeMessage(obj, SealedEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedEnvelope>): SealedEnvelope {
    return decodeMessage(buf, SealedEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedEnvelope>): Generator<SealedEnvelopeEphemeralKeyFieldEvent | SealedEnvelopeEncryptedStaticFieldEvent | SealedEnvelopeCiphertextFieldEvent> {
    return streamMessage(buf, SealedEnvelope.codec(), opts)
  }
}

export interface SealedContent {
  senderCertificate: Uint8Array
  type: MessageType
  message: Uint8Array
  groupId?: Uint8Array
}

export namespace SealedContent {
  let _codec: Codec<SealedContent>

  export const codec = (): Codec<SealedContent> => {
    if (_codec == null) {
      _codec = message<SealedContent>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.senderCertificate != null && obj.senderCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.senderCertificate)
        }

        if (obj.type != null && __MessageTypeValues[obj.type] !== 0) {
          w.uint32(16)
          MessageType.codec().encode(obj.type, w)
        }

        if ((obj.message != null && obj.message.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.message)
        }

        if (obj.groupId != null) {
          w.uint32(34)
          w.bytes(obj.groupId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          senderCertificate: uint8ArrayAlloc(0),
          type: MessageType.MESSAGE_TYPE_UNSPECIFIED,
          message: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.senderCertificate = reader.bytes()
              break
            }
            case 2: {
              obj.type = MessageType.codec().decode(reader)
              break
            }
            case 3: {
              obj.message = reader.bytes()
              break
            }
            case 4: {
              obj.groupId = reader.bytes()
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
                field: `${prefix}.senderCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.type`,
                value: MessageType.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.message`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.groupId`,
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

  export interface SealedContentSenderCertificateFieldEvent {
    field: '$.senderCertificate'
    value: Uint8Array
  }

  export interface SealedContentTypeFieldEvent {
    field: '$.type'
    value: MessageType
  }

  export interface SealedContentMessageFieldEvent {
    field: '$.message'
    value: Uint8Array
  }

  export interface SealedContentGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export function encode (obj: Partial<SealedContent>): Uint8Array {
    return encodeMessage(obj, SealedContent.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedContent>): SealedContent {
    return decodeMessage(buf, SealedContent.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedContent>): Generator<SealedContentSenderCertificateFieldEvent | SealedContentTypeFieldEvent | SealedContentMessageFieldEvent | SealedContentGroupIdFieldEvent> {
    return streamMessage(buf, SealedContent.codec(), opts)
  }
}
