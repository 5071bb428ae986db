import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ChainState {
  key: Uint8Array
  index: number
}

export namespace ChainState {
  let _codec: Codec<ChainState>

  export const codec = (): Codec<ChainState> => {
    if (_codec == null) {
      _codec = message<ChainState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          index: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.index = reader.uint32()
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
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
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

  export interface ChainStateKeyFieldEvent {
    field: '$.key'
    value: Uint8Array
  }

  export interface ChainStateIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export function encode (obj: Partial<ChainState>): Uint8Array {
    return encodeMessage(obj, ChainState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChainState>): ChainState {
    return decodeMessage(buf, ChainState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChainState>): Generator<ChainStateKeyFieldEvent | ChainStateIndexFieldEvent> {
    return streamMessage(buf, ChainState.codec(), opts)
  }
}

export interface SkippedKey {
  ratchetKey: Uint8Array
  index: number
  messageKey: Uint8Array
}

export namespace SkippedKey {
  let _codec: Codec<SkippedKey>

  export const codec = (): Codec<SkippedKey> => {
    if (_codec == null) {
      _codec = message<SkippedKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ratchetKey != null && obj.ratchetKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ratchetKey)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if ((obj.messageKey != null && obj.messageKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.messageKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ratchetKey: uint8ArrayAlloc(0),
          index: 0,
          messageKey: uint8ArrayAlloc(0)
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
              obj.index = reader.uint32()
              break
            }
            case 3: {
              obj.messageKey = reader.bytes()
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
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.messageKey`,
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

  export interface SkippedKeyRatchetKeyFieldEvent {
    field: '$.ratchetKey'
    value: Uint8Array
  }

  export interface SkippedKeyIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface SkippedKeyMessageKeyFieldEvent {
    field: '$.messageKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<SkippedKey>): Uint8Array {
    return encodeMessage(obj, SkippedKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedKey>): SkippedKey {
    return decodeMessage(buf, SkippedKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedKey>): Generator<SkippedKeyRatchetKeyFieldEvent | SkippedKeyIndexFieldEvent | SkippedKeyMessageKeyFieldEvent> {
    return streamMessage(buf, SkippedKey.codec(), opts)
  }
}

export interface ReceivingChain {
  ratchetKey: Uint8Array
  chain?: ChainState
}

export namespace ReceivingChain {
  let _codec: Codec<ReceivingChain>

  export const codec = (): Codec<ReceivingChain> => {
    if (_codec == null) {
      _codec = message<ReceivingChain>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ratchetKey != null && obj.ratchetKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ratchetKey)
        }

        if (obj.chain != null) {
          w.uint32(18)
          ChainState.codec().encode(obj.chain, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ratchetKey: uint8ArrayAlloc(0)
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
              obj.chain = ChainState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.chain
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
                field: `${prefix}.ratchetKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * ChainState.codec().stream(reader, reader.uint32(), `${prefix}.chain`, {
                limits: opts.limits?.chain
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

  export interface ReceivingChainRatchetKeyFieldEvent {
    field: '$.ratchetKey'
    value: Uint8Array
  }

  export interface ReceivingChainChainKeyFieldEvent {
    field: '$.chain.key'
    value: Uint8Array
  }

  export interface ReceivingChainChainIndexFieldEvent {
    field: '$.chain.index'
    value: number
  }

  export function encode (obj: Partial<ReceivingChain>): Uint8Array {
    return encodeMessage(obj, ReceivingChain.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceivingChain>): ReceivingChain {
    return decodeMessage(buf, ReceivingChain.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceivingChain>): Generator<ReceivingChainRatchetKeyFieldEvent | ReceivingChainChainKeyFieldEvent | ReceivingChainChainIndexFieldEvent> {
    return streamMessage(buf, ReceivingChain.codec(), opts)
  }
}

export interface PendingPreKey {
  signedPreKeyId: number
  oneTimePreKeyId?: number
  kemPreKeyId: number
  baseKey: Uint8Array
  kemCiphertext: Uint8Array
}

export namespace PendingPreKey {
  let _codec: Codec<PendingPreKey>

  export const codec = (): Codec<PendingPreKey> => {
    if (_codec == null) {
      _codec = message<PendingPreKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.signedPreKeyId != null && obj.signedPreKeyId !== 0)) {
          w.uint32(8)
          w.uint32(obj.signedPreKeyId)
        }

        if (obj.oneTimePreKeyId != null) {
          w.uint32(16)
          w.uint32(obj.oneTimePreKeyId)
        }

        if ((obj.kemPreKeyId != null && obj.kemPreKeyId !== 0)) {
          w.uint32(24)
          w.uint32(obj.kemPreKeyId)
        }

        if ((obj.baseKey != null && obj.baseKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.baseKey)
        }

        if ((obj.kemCiphertext != null && obj.kemCiphertext.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.kemCiphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          signedPreKeyId: 0,
          kemPreKeyId: 0,
          baseKey: uint8ArrayAlloc(0),
          kemCiphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.signedPreKeyId = reader.uint32()
              break
            }
            case 2: {
              obj.oneTimePreKeyId = reader.uint32()
              break
            }
            case 3: {
              obj.kemPreKeyId = reader.uint32()
              break
            }
            case 4: {
              obj.baseKey = reader.bytes()
              break
            }
            case 5: {
              obj.kemCiphertext = reader.bytes()
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
                field: `${prefix}.signedPreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.oneTimePreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.kemPreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.baseKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.kemCiphertext`,
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

  export interface PendingPreKeySignedPreKeyIdFieldEvent {
    field: '$.signedPreKeyId'
    value: number
  }

  export interface PendingPreKeyOneTimePreKeyIdFieldEvent {
    field: '$.oneTimePreKeyId'
    value: number
  }

  export interface PendingPreKeyKemPreKeyIdFieldEvent {
    field: '$.kemPreKeyId'
    value: number
  }

  export interface PendingPreKeyBaseKeyFieldEvent {
    field: '$.baseKey'
    value: Uint8Array
  }

  export interface PendingPreKeyKemCiphertextFieldEvent {
    field: '$.kemCiphertext'
    value: Uint8Array
  }

  export function encode (obj: Partial<PendingPreKey>): Uint8Array {
    return encodeMessage(obj, PendingPreKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PendingPreKey>): PendingPreKey {
    return decodeMessage(buf, PendingPreKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PendingPreKey>): Generator<PendingPreKeySignedPreKeyIdFieldEvent | PendingPreKeyOneTimePreKeyIdFieldEvent | PendingPreKeyKemPreKeyIdFieldEvent | PendingPreKeyBaseKeyFieldEvent | PendingPreKeyKemCiphertextFieldEvent> {
    return streamMessage(buf, PendingPreKey.codec(), opts)
  }
}

export interface SessionState {
  localIdentityKey: Uint8Array
  remoteIdentityKey: Uint8Array
  rootKey: Uint8Array
  sendingRatchetPublic: Uint8Array
  sendingRatchetSecret: Uint8Array
  sendingChain?: ChainState
  previousCounter: number
  receivingChains: ReceivingChain[]
  skippedKeys: SkippedKey[]
  pendingPreKey?: PendingPreKey
  baseKey: Uint8Array
  createdAt: number
}

export namespace SessionState {
  let _codec: Codec<SessionState>

  export const codec = (): Codec<SessionState> => {
    if (_codec == null) {
      _codec = message<SessionState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.localIdentityKey != null && obj.localIdentityKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.localIdentityKey)
        }

        if ((obj.remoteIdentityKey != null && obj.remoteIdentityKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.remoteIdentityKey)
        }

        if ((obj.rootKey != null && obj.rootKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.rootKey)
        }

        if ((obj.sendingRatchetPublic != null && obj.sendingRatchetPublic.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.sendingRatchetPublic)
        }

        if ((obj.sendingRatchetSecret != null && obj.sendingRatchetSecret.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.sendingRatchetSecret)
        }

        if (obj.sendingChain != null) {
          w.uint32(50)
          ChainState.codec().encode(obj.sendingChain, w)
        }

        if ((obj.previousCounter != null && obj.previousCounter !== 0)) {
          w.uint32(56)
          w.uint32(obj.previousCounter)
        }

        if (obj.receivingChains != null && obj.receivingChains.length > 0) {
          for (const value of obj.receivingChains) {
            w.uint32(66)
            ReceivingChain.codec().encode(value, w)
          }
        }

        if (obj.skippedKeys != null && obj.skippedKeys.length > 0) {
          for (const value of obj.skippedKeys) {
            w.uint32(74)
            SkippedKey.codec().encode(value, w)
          }
        }

        if (obj.pendingPreKey != null) {
          w.uint32(82)
          PendingPreKey.codec().encode(obj.pendingPreKey, w)
        }

        if ((obj.baseKey != null && obj.baseKey.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.baseKey)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(96)
          w.uint64Number(obj.createdAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          localIdentityKey: uint8ArrayAlloc(0),
          remoteIdentityKey: uint8ArrayAlloc(0),
          rootKey: uint8ArrayAlloc(0),
          sendingRatchetPublic: uint8ArrayAlloc(0),
          sendingRatchetSecret: uint8ArrayAlloc(0),
          previousCounter: 0,
          receivingChains: [],
          skippedKeys: [],
          baseKey: uint8ArrayAlloc(0),
          createdAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.localIdentityKey = reader.bytes()
              break
            }
            case 2: {
              obj.remoteIdentityKey = reader.bytes()
              break
            }
            case 3: {
              obj.rootKey = reader.bytes()
              break
            }
            case 4: {
              obj.sendingRatchetPublic = reader.bytes()
              break
            }
            case 5: {
              obj.sendingRatchetSecret = reader.bytes()
              break
            }
            case 6: {
              obj.sendingChain = ChainState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sendingChain
              })
              break
            }
            case 7: {
              obj.previousCounter = reader.uint32()
              break
            }
            case 8: {
              if (opts.limits?.receivingChains != null && obj.receivingChains.length === opts.limits.receivingChains) {
                throw new MaxLengthError('Decode error - repeated field "receivingChains" had too many elements')
              }

              obj.receivingChains.push(ReceivingChain.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receivingChains$
              }))
              break
            }
            case 9: {
              if (opts.limits?.skippedKeys != null && obj.skippedKeys.length === opts.limits.skippedKeys) {
                throw new MaxLengthError('Decode error - repeated field "skippedKeys" had too many elements')
              }

              obj.skippedKeys.push(SkippedKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.skippedKeys$
              }))
              break
            }
            case 10: {
              obj.pendingPreKey = PendingPreKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pendingPreKey
              })
              break
            }
            case 11: {
              obj.baseKey = reader.bytes()
              break
            }
            case 12: {
              obj.createdAt = reader.uint64Number()
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
          receivingChains: 0,
          skippedKeys: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.localIdentityKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.remoteIdentityKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.rootKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sendingRatchetPublic`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.sendingRatchetSecret`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield * ChainState.codec().stream(reader, reader.uint32(), `${prefix}.sendingChain`, {
                limits: opts.limits?.sendingChain
              })

              break
            }
            case 7: {
              yield {
                field: `${prefix}.previousCounter`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              if (opts.limits?.receivingChains != null && obj.receivingChains === opts.limits.receivingChains) {
                throw new MaxLengthError('Streaming decode error - repeated field "receivingChains" had too many elements')
              }

              for (const evt of ReceivingChain.codec().stream(reader, reader.uint32(), `${prefix}.receivingChains[]`, {
                limits: opts.limits?.receivingChains$
              })) {
                yield {
                  ...evt,
                  index: obj.receivingChains
                }
              }

              obj.receivingChains++

              break
            }
            case 9: {
              if (opts.limits?.skippedKeys != null && obj.skippedKeys === opts.limits.skippedKeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "skippedKeys" had too many elements')
              }

              for (const evt of SkippedKey.codec().stream(reader, reader.uint32(), `${prefix}.skippedKeys[]`, {
                limits: opts.limits?.skippedKeys$
              })) {
                yield {
                  ...evt,
                  index: obj.skippedKeys
                }
              }

              obj.skippedKeys++

              break
            }
            case 10: {
              yield * PendingPreKey.codec().stream(reader, reader.uint32(), `${prefix}.pendingPreKey`, {
                limits: opts.limits?.pendingPreKey
              })

              break
            }
            case 11: {
              yield {
                field: `${prefix}.baseKey`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.createdAt`,
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

  export interface SessionStateLocalIdentityKeyFieldEvent {
    field: '$.localIdentityKey'
    value: Uint8Array
  }

  export interface SessionStateRemoteIdentityKeyFieldEvent {
    field: '$.remoteIdentityKey'
    value: Uint8Array
  }

  export interface SessionStateRootKeyFieldEvent {
    field: '$.rootKey'
    value: Uint8Array
  }

  export interface SessionStateSendingRatchetPublicFieldEvent {
    field: '$.sendingRatchetPublic'
    value: Uint8Array
  }

  export interface SessionStateSendingRatchetSecretFieldEvent {
    field: '$.sendingRatchetSecret'
    value: Uint8Array
  }

  export interface SessionStateSendingChainKeyFieldEvent {
    field: '$.sendingChain.key'
    value: Uint8Array
  }

  export interface SessionStateSendingChainIndexFieldEvent {
    field: '$.sendingChain.index'
    value: number
  }

  export interface SessionStatePreviousCounterFieldEvent {
    field: '$.previousCounter'
    value: number
  }

  export interface SessionStateReceivingChainsRatchetKeyFieldEvent {
    field: '$.receivingChains[].ratchetKey'
    value: Uint8Array
    index: number
  }

  export interface SessionStateReceivingChainsChainKeyFieldEvent {
    field: '$.receivingChains[].chain.key'
    value: Uint8Array
    index: number
  }

  export interface SessionStateReceivingChainsChainIndexFieldEvent {
    field: '$.receivingChains[].chain.index'
    value: number
    index: number
  }

  export interface SessionStateSkippedKeysRatchetKeyFieldEvent {
    field: '$.skippedKeys[].ratchetKey'
    value: Uint8Array
    index: number
  }

  export interface SessionStateSkippedKeysIndexFieldEvent {
    field: '$.skippedKeys[].index'
    value: number
    index: number
  }

  export interface SessionStateSkippedKeysMessageKeyFieldEvent {
    field: '$.skippedKeys[].messageKey'
    value: Uint8Array
    index: number
  }

  export interface SessionStatePendingPreKeySignedPreKeyIdFieldEvent {
    field: '$.pendingPreKey.signedPreKeyId'
    value: number
  }

  export interface SessionStatePendingPreKeyOneTimePreKeyIdFieldEvent {
    field: '$.pendingPreKey.oneTimePreKeyId'
    value: number
  }

  export interface SessionStatePendingPreKeyKemPreKeyIdFieldEvent {
    field: '$.pendingPreKey.kemPreKeyId'
    value: number
  }

  export interface SessionStatePendingPreKeyBaseKeyFieldEvent {
    field: '$.pendingPreKey.baseKey'
    value: Uint8Array
  }

  export interface SessionStatePendingPreKeyKemCiphertextFieldEvent {
    field: '$.pendingPreKey.kemCiphertext'
    value: Uint8Array
  }

  export interface SessionStateBaseKeyFieldEvent {
    field: '$.baseKey'
    value: Uint8Array
  }

  export interface SessionStateCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export function encode (obj: Partial<SessionState>): Uint8Array {
    return encodeMessage(obj, SessionState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionState>): SessionState {
    return decodeMessage(buf, SessionState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionState>): Generator<SessionStateLocalIdentityKeyFieldEvent | SessionStateRemoteIdentityKeyFieldEvent | SessionStateRootKeyFieldEvent | SessionStateSendingRatchetPublicFieldEvent | SessionStateSendingRatchetSecretFieldEvent | SessionStateSendingChainKeyFieldEvent | SessionStateSendingChainIndexFieldEvent | SessionStatePreviousCounterFieldEvent | SessionStateReceivingChainsRatchetKeyFieldEvent | SessionStateReceivingChainsChainKeyFieldEvent | SessionStateReceivingChainsChainIndexFieldEvent | SessionStateSkippedKeysRatchetKeyFieldEvent | SessionStateSkippedKeysIndexFieldEvent | SessionStateSkippedKeysMessageKeyFieldEvent | SessionStatePendingPreKeySignedPreKeyIdFieldEvent | SessionStatePendingPreKeyOneTimePreKeyIdFieldEvent | SessionStatePendingPreKeyKemPreKeyIdFieldEvent | SessionStatePendingPreKeyBaseKeyFieldEvent | SessionStatePendingPreKeyKemCiphertextFieldEvent | SessionStateBaseKeyFieldEvent | SessionStateCreatedAtFieldEvent> {
    return streamMessage(buf, SessionState.codec(), opts)
  }
}

export interface SessionRecord {
  version: number
  current?: SessionState
  archived: SessionState[]
}

export namespace SessionRecord {
  let _codec: Codec<SessionRecord>

  export const codec = (): Codec<SessionRecord> => {
    if (_codec == null) {
      _codec = message<SessionRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.current != null) {
          w.uint32(18)
          SessionState.codec().encode(obj.current, w)
        }

        if (obj.archived != null && obj.archived.length > 0) {
          for (const value of obj.archived) {
            w.uint32(26)
            SessionState.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          archived: []
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
              obj.current = SessionState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.current
              })
              break
            }
            case 3: {
              if (opts.limits?.archived != null && obj.archived.length === opts.limits.archived) {
                throw new MaxLengthError('Decode error - repeated field "archived" had too many elements')
              }

              obj.archived.push(SessionState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.archived$
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
          archived: 0
        }

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
              yield * SessionState.codec().stream(reader, reader.uint32(), `${prefix}.current`, {
                limits: opts.limits?.current
              })

              break
            }
            case 3: {
              if (opts.limits?.archived != null && obj.archived === opts.limits.archived) {
                throw new MaxLengthError('Streaming decode error - repeated field "archived" had too many elements')
              }

              for (const evt of SessionState.codec().stream(reader, reader.uint32(), `${prefix}.archived[]`, {
                limits: opts.limits?.archived$
              })) {
                yield {
                  ...evt,
                  index: obj.archived
                }
              }

              obj.archived++

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

  export interface SessionRecordVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface SessionRecordCurrentLocalIdentityKeyFieldEvent {
    field: '$.current.localIdentityKey'
    value: Uint8Array
  }

  export interface SessionRecordCurrentRemoteIdentityKeyFieldEvent {
    field: '$.current.remoteIdentityKey'
    value: Uint8Array
  }

  export interface SessionRecordCurrentRootKeyFieldEvent {
    field: '$.current.rootKey'
    value: Uint8Array
  }

  export interface SessionRecordCurrentSendingRatchetPublicFieldEvent {
    field: '$.current.sendingRatchetPublic'
    value: Uint8Array
  }

  export interface SessionRecordCurrentSendingRatchetSecretFieldEvent {
    field: '$.current.sendingRatchetSecret'
    value: Uint8Array
  }

  export interface SessionRecordCurrentSendingChainKeyFieldEvent {
    field: '$.current.sendingChain.key'
    value: Uint8Array
  }

  export interface SessionRecordCurrentSendingChainIndexFieldEvent {
    field: '$.current.sendingChain.index'
    value: number
  }

  export interface SessionRecordCurrentPreviousCounterFieldEvent {
    field: '$.current.previousCounter'
    value: number
  }

  export interface SessionRecordCurrentReceivingChainsRatchetKeyFieldEvent {
    field: '$.current.receivingChains[].ratchetKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordCurrentReceivingChainsChainKeyFieldEvent {
    field: '$.current.receivingChains[].chain.key'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordCurrentReceivingChainsChainIndexFieldEvent {
    field: '$.current.receivingChains[].chain.index'
    value: number
    index: number
  }

  export interface SessionRecordCurrentSkippedKeysRatchetKeyFieldEvent {
    field: '$.current.skippedKeys[].ratchetKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordCurrentSkippedKeysIndexFieldEvent {
    field: '$.current.skippedKeys[].index'
    value: number
    index: number
  }

  export interface SessionRecordCurrentSkippedKeysMessageKeyFieldEvent {
    field: '$.current.skippedKeys[].messageKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordCurrentPendingPreKeySignedPreKeyIdFieldEvent {
    field: '$.current.pendingPreKey.signedPreKeyId'
    value: number
  }

  export interface SessionRecordCurrentPendingPreKeyOneTimePreKeyIdFieldEvent {
    field: '$.current.pendingPreKey.oneTimePreKeyId'
    value: number
  }

  export interface SessionRecordCurrentPendingPreKeyKemPreKeyIdFieldEvent {
    field: '$.current.pendingPreKey.kemPreKeyId'
    value: number
  }

  export interface SessionRecordCurrentPendingPreKeyBaseKeyFieldEvent {
    field: '$.current.pendingPreKey.baseKey'
    value: Uint8Array
  }

  export interface SessionRecordCurrentPendingPreKeyKemCiphertextFieldEvent {
    field: '$.current.pendingPreKey.kemCiphertext'
    value: Uint8Array
  }

  export interface SessionRecordCurrentBaseKeyFieldEvent {
    field: '$.current.baseKey'
    value: Uint8Array
  }

  export interface SessionRecordCurrentCreatedAtFieldEvent {
    field: '$.current.createdAt'
    value: number
  }

  export interface SessionRecordArchivedLocalIdentityKeyFieldEvent {
    field: '$.archived[].localIdentityKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedRemoteIdentityKeyFieldEvent {
    field: '$.archived[].remoteIdentityKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedRootKeyFieldEvent {
    field: '$.archived[].rootKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedSendingRatchetPublicFieldEvent {
    field: '$.archived[].sendingRatchetPublic'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedSendingRatchetSecretFieldEvent {
    field: '$.archived[].sendingRatchetSecret'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedSendingChainKeyFieldEvent {
    field: '$.archived[].sendingChain.key'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedSendingChainIndexFieldEvent {
    field: '$.archived[].sendingChain.index'
    value: number
    index: number
  }

  export interface SessionRecordArchivedPreviousCounterFieldEvent {
    field: '$.archived[].previousCounter'
    value: number
    index: number
  }

  export interface SessionRecordArchivedReceivingChainsRatchetKeyFieldEvent {
    field: '$.archived[].receivingChains[].ratchetKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedReceivingChainsChainKeyFieldEvent {
    field: '$.archived[].receivingChains[].chain.key'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedReceivingChainsChainIndexFieldEvent {
    field: '$.archived[].receivingChains[].chain.index'
    value: number
    index: number
  }

  export interface SessionRecordArchivedSkippedKeysRatchetKeyFieldEvent {
    field: '$.archived[].skippedKeys[].ratchetKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedSkippedKeysIndexFieldEvent {
    field: '$.archived[].skippedKeys[].index'
    value: number
    index: number
  }

  export interface SessionRecordArchivedSkippedKeysMessageKeyFieldEvent {
    field: '$.archived[].skippedKeys[].messageKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedPendingPreKeySignedPreKeyIdFieldEvent {
    field: '$.archived[].pendingPreKey.signedPreKeyId'
    value: number
    index: number
  }

  export interface SessionRecordArchivedPendingPreKeyOneTimePreKeyIdFieldEvent {
    field: '$.archived[].pendingPreKey.oneTimePreKeyId'
    value: number
    index: number
  }

  export interface SessionRecordArchivedPendingPreKeyKemPreKeyIdFieldEvent {
    field: '$.archived[].pendingPreKey.kemPreKeyId'
    value: number
    index: number
  }

  export interface SessionRecordArchivedPendingPreKeyBaseKeyFieldEvent {
    field: '$.archived[].pendingPreKey.baseKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedPendingPreKeyKemCiphertextFieldEvent {
    field: '$.archived[].pendingPreKey.kemCiphertext'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedBaseKeyFieldEvent {
    field: '$.archived[].baseKey'
    value: Uint8Array
    index: number
  }

  export interface SessionRecordArchivedCreatedAtFieldEvent {
    field: '$.archived[].createdAt'
    value: number
    index: number
  }

  export function encode (obj: Partial<SessionRecord>): Uint8Array {
    return encodeMessage(obj, SessionRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionRecord>): SessionRecord {
    return decodeMessage(buf, SessionRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionRecord>): Generator<SessionRecordVersionFieldEvent | SessionRecordCurrentLocalIdentityKeyFieldEvent | SessionRecordCurrentRemoteIdentityKeyFieldEvent | SessionRecordCurrentRootKeyFieldEvent | SessionRecordCurrentSendingRatchetPublicFieldEvent | SessionRecordCurrentSendingRatchetSecretFieldEvent | SessionRecordCurrentSendingChainKeyFieldEvent | SessionRecordCurrentSendingChainIndexFieldEvent | SessionRecordCurrentPreviousCounterFieldEvent | SessionRecordCurrentReceivingChainsRatchetKeyFieldEvent | SessionRecordCurrentReceivingChainsChainKeyFieldEvent | SessionRecordCurrentReceivingChainsChainIndexFieldEvent | SessionRecordCurrentSkippedKeysRatchetKeyFieldEvent | SessionRecordCurrentSkippedKeysIndexFieldEvent | SessionRecordCurrentSkippedKeysMessageKeyFieldEvent | SessionRecordCurrentPendingPreKeySignedPreKeyIdFieldEvent | SessionRecordCurrentPendingPreKeyOneTimePreKeyIdFieldEvent | SessionRecordCurrentPendingPreKeyKemPreKeyIdFieldEvent | SessionRecordCurrentPendingPreKeyBaseKeyFieldEvent | SessionRecordCurrentPendingPreKeyKemCiphertextFieldEvent | SessionRecordCurrentBaseKeyFieldEvent | SessionRecordCurrentCreatedAtFieldEvent | SessionRecordArchivedLocalIdentityKeyFieldEvent | SessionRecordArchivedRemoteIdentityKeyFieldEvent | SessionRecordArchivedRootKeyFieldEvent | SessionRecordArchivedSendingRatchetPublicFieldEvent | SessionRecordArchivedSendingRatchetSecretFieldEvent | SessionRecordArchivedSendingChainKeyFieldEvent | SessionRecordArchivedSendingChainIndexFieldEvent | SessionRecordArchivedPreviousCounterFieldEvent | SessionRecordArchivedReceivingChainsRatchetKeyFieldEvent | SessionRecordArchivedReceivingChainsChainKeyFieldEvent | SessionRecordArchivedReceivingChainsChainIndexFieldEvent | SessionRecordArchivedSkippedKeysRatchetKeyFieldEvent | SessionRecordArchivedSkippedKeysIndexFieldEvent | SessionRecordArchivedSkippedKeysMessageKeyFieldEvent | SessionRecordArchivedPendingPreKeySignedPreKeyIdFieldEvent | SessionRecordArchivedPendingPreKeyOneTimePreKeyIdFieldEvent | SessionRecordArchivedPendingPreKeyKemPreKeyIdFieldEvent | SessionRecordArchivedPendingPreKeyBaseKeyFieldEvent | SessionRecordArchivedPendingPreKeyKemCiphertextFieldEvent | SessionRecordArchivedBaseKeyFieldEvent | SessionRecordArchivedCreatedAtFieldEvent> {
    return streamMessage(buf, SessionRecord.codec(), opts)
  }
}
