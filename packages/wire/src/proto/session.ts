import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface RatchetHeader {
  ratchetKey: Uint8Array
  counter: number
  previousCounter: number
}

export namespace RatchetHeader {
  let _codec: Codec<RatchetHeader>

  export const codec = (): Codec<RatchetHeader> => {
    if (_codec == null) {
      _codec = message<RatchetHeader>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ratchetKey != null && obj.ratchetKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ratchetKey)
        }

        if ((obj.counter != null && obj.counter !== 0)) {
          w.uint32(21)
          w.fixed32(obj.counter)
        }

        if ((obj.previousCounter != null && obj.previousCounter !== 0)) {
          w.uint32(29)
          w.fixed32(obj.previousCounter)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ratchetKey: uint8ArrayAlloc(0),
          counter: 0,
          previousCounter: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ratchetKey = reader.bytes()
              break
            }
            case 2: {
              obj.counter = reader.fixed32()
              break
            }
            case 3: {
              obj.previousCounter = reader.fixed32()
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
                field: `${prefix}.ratchetKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.counter`,
                value: reader.fixed32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.previousCounter`,
                value: reader.fixed32()
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

  export interface RatchetHeaderRatchetKeyFieldEvent {
    field: '$.ratchetKey'
    value: Uint8Array
  }

  export interface RatchetHeaderCounterFieldEvent {
    field: '$.counter'
    value: number
  }

  export interface RatchetHeaderPreviousCounterFieldEvent {
    field: '$.previousCounter'
    value: number
  }

  export function encode (obj: Partial<RatchetHeader>): Uint8Array {
    return encodeMessage(obj, RatchetHeader.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetHeader>): RatchetHeader {
    return decodeMessage(buf, RatchetHeader.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetHeader>): Generator<RatchetHeaderRatchetKeyFieldEvent | RatchetHeaderCounterFieldEvent | RatchetHeaderPreviousCounterFieldEvent> {
    return streamMessage(buf, RatchetHeader.codec(), opts)
  }
}

export interface RatchetMessage {
  header: Uint8Array
  ciphertext: Uint8Array
}

export namespace RatchetMessage {
  let _codec: Codec<RatchetMessage>

  export const codec = (): Codec<RatchetMessage> => {
    if (_codec == null) {
      _codec = message<RatchetMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.header != null && obj.header.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.header)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          header: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.header = reader.bytes()
              break
            }
            case 2: {
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
                field: `${prefix}.header`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
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

  export interface RatchetMessageHeaderFieldEvent {
    field: '$.header'
    value: Uint8Array
  }

  export interface RatchetMessageCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array
  }

  export function encode (obj: Partial<RatchetMessage>): Uint8Array {
    return encodeMessage(obj, RatchetMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetMessage>): RatchetMessage {
    return decodeMessage(buf, RatchetMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetMessage>): Generator<RatchetMessageHeaderFieldEvent | RatchetMessageCiphertextFieldEvent> {
    return streamMessage(buf, RatchetMessage.codec(), opts)
  }
}

export interface PreKeyMessage {
  identityKey: Uint8Array
  baseKey: Uint8Array
  signedPreKeyId: number
  oneTimePreKeyId?: number
  kemPreKeyId: number
  kemCiphertext: Uint8Array
  message: Uint8Array
}

export namespace PreKeyMessage {
  let _codec: Codec<PreKeyMessage>

  export const codec = (): Codec<PreKeyMessage> => {
    if (_codec == null) {
      _codec = message<PreKeyMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.identityKey != null && obj.identityKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.identityKey)
        }

        if ((obj.baseKey != null && obj.baseKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.baseKey)
        }

        if ((obj.signedPreKeyId != null && obj.signedPreKeyId !== 0)) {
          w.uint32(24)
          w.uint32(obj.signedPreKeyId)
        }

        if (obj.oneTimePreKeyId != null) {
          w.uint32(32)
          w.uint32(obj.oneTimePreKeyId)
        }

        if ((obj.kemPreKeyId != null && obj.kemPreKeyId !== 0)) {
          w.uint32(40)
          w.uint32(obj.kemPreKeyId)
        }

        if ((obj.kemCiphertext != null && obj.kemCiphertext.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.kemCiphertext)
        }

        if ((obj.message != null && obj.message.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          identityKey: uint8ArrayAlloc(0),
          baseKey: uint8ArrayAlloc(0),
          signedPreKeyId: 0,
          kemPreKeyId: 0,
          kemCiphertext: uint8ArrayAlloc(0),
          message: uint8ArrayAlloc(0)
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
              obj.baseKey = reader.bytes()
              break
            }
            case 3: {
              obj.signedPreKeyId = reader.uint32()
              break
            }
            case 4: {
              obj.oneTimePreKeyId = reader.uint32()
              break
            }
            case 5: {
              obj.kemPreKeyId = reader.uint32()
              break
            }
            case 6: {
              obj.kemCiphertext = reader.bytes()
              break
            }
            case 7: {
              obj.message = reader.bytes()
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
                field: `${prefix}.identityKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.baseKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signedPreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.oneTimePreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.kemPreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.kemCiphertext`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.message`,
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

  export interface PreKeyMessageIdentityKeyFieldEvent {
    field: '$.identityKey'
    value: Uint8Array
  }

  export interface PreKeyMessageBaseKeyFieldEvent {
    field: '$.baseKey'
    value: Uint8Array
  }

  export interface PreKeyMessageSignedPreKeyIdFieldEvent {
    field: '$.signedPreKeyId'
    value: number
  }

  export interface PreKeyMessageOneTimePreKeyIdFieldEvent {
    field: '$.oneTimePreKeyId'
    value: number
  }

  export interface PreKeyMessageKemPreKeyIdFieldEvent {
    field: '$.kemPreKeyId'
    value: number
  }

  export interface PreKeyMessageKemCiphertextFieldEvent {
    field: '$.kemCiphertext'
    value: Uint8Array
  }

  export interface PreKeyMessageMessageFieldEvent {
    field: '$.message'
    value: Uint8Array
  }

  export function encode (obj: Partial<PreKeyMessage>): Uint8Array {
    return encodeMessage(obj, PreKeyMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyMessage>): PreKeyMessage {
    return decodeMessage(buf, PreKeyMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyMessage>): Generator<PreKeyMessageIdentityKeyFieldEvent | PreKeyMessageBaseKeyFieldEvent | PreKeyMessageSignedPreKeyIdFieldEvent | PreKeyMessageOneTimePreKeyIdFieldEvent | PreKeyMessageKemPreKeyIdFieldEvent | PreKeyMessageKemCiphertextFieldEvent | PreKeyMessageMessageFieldEvent> {
    return streamMessage(buf, PreKeyMessage.codec(), opts)
  }
}
