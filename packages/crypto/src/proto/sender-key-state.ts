import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface StoredSenderKeyRecord {
  version: number
  states: StoredSenderKeyState[]
}

export namespace StoredSenderKeyRecord {
  let _codec: Codec<StoredSenderKeyRecord>

  export const codec = (): Codec<StoredSenderKeyRecord> => {
    if (_codec == null) {
      _codec = message<StoredSenderKeyRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.states != null && obj.states.length > 0) {
          for (const value of obj.states) {
            w.uint32(18)
            StoredSenderKeyState.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          states: []
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
              if (opts.limits?.states != null && obj.states.length === opts.limits.states) {
                throw new MaxLengthError('Decode error - repeated field "states" had too many elements')
              }

              obj.states.push(StoredSenderKeyState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.states$
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
          states: 0
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
              if (opts.limits?.states != null && obj.states === opts.limits.states) {
                throw new MaxLengthError('Streaming decode error - repeated field "states" had too many elements')
              }

              for (const evt of StoredSenderKeyState.codec().stream(reader, reader.uint32(), `${prefix}.states[]`, {
                limits: opts.limits?.states$
              })) {
                yield {
                  ...evt,
                  index: obj.states
                }
              }

              obj.states++

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

  export interface StoredSenderKeyRecordVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface StoredSenderKeyRecordStatesChainIdFieldEvent {
    field: '$.states[].chainId'
    value: number
    index: number
  }

  export interface StoredSenderKeyRecordStatesIterationFieldEvent {
    field: '$.states[].iteration'
    value: number
    index: number
  }

  export interface StoredSenderKeyRecordStatesChainKeyFieldEvent {
    field: '$.states[].chainKey'
    value: Uint8Array
    index: number
  }

  export interface StoredSenderKeyRecordStatesSigningPublicKeyFieldEvent {
    field: '$.states[].signingPublicKey'
    value: Uint8Array
    index: number
  }

  export interface StoredSenderKeyRecordStatesSigningSecretKeyFieldEvent {
    field: '$.states[].signingSecretKey'
    value: Uint8Array
    index: number
  }

  export interface StoredSenderKeyRecordStatesSkippedIterationFieldEvent {
    field: '$.states[].skipped[].iteration'
    value: number
    index: number
  }

  export interface StoredSenderKeyRecordStatesSkippedSeedFieldEvent {
    field: '$.states[].skipped[].seed'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<StoredSenderKeyRecord>): Uint8Array {
    return encodeMessage(obj, StoredSenderKeyRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredSenderKeyRecord>): StoredSenderKeyRecord {
    return decodeMessage(buf, StoredSenderKeyRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredSenderKeyRecord>): Generator<StoredSenderKeyRecordVersionFieldEvent | StoredSenderKeyRecordStatesChainIdFieldEvent | StoredSenderKeyRecordStatesIterationFieldEvent | StoredSenderKeyRecordStatesChainKeyFieldEvent | StoredSenderKeyRecordStatesSigningPublicKeyFieldEvent | StoredSenderKeyRecordStatesSigningSecretKeyFieldEvent | StoredSenderKeyRecordStatesSkippedIterationFieldEvent | StoredSenderKeyRecordStatesSkippedSeedFieldEvent> {
    return streamMessage(buf, StoredSenderKeyRecord.codec(), opts)
  }
}

export interface StoredSenderKeyState {
  chainId: number
  iteration: number
  chainKey: Uint8Array
  signingPublicKey: Uint8Array
  signingSecretKey?: Uint8Array
  skipped: StoredSkippedMessageKey[]
}

export namespace StoredSenderKeyState {
  let _codec: Codec<StoredSenderKeyState>

  export const codec = (): Codec<StoredSenderKeyState> => {
    if (_codec == null) {
      _codec = message<StoredSenderKeyState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.chainId != null && obj.chainId !== 0)) {
          w.uint32(8)
          w.uint32(obj.chainId)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(16)
          w.uint32(obj.iteration)
        }

        if ((obj.chainKey != null && obj.chainKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.chainKey)
        }

        if ((obj.signingPublicKey != null && obj.signingPublicKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signingPublicKey)
        }

        if (obj.signingSecretKey != null) {
          w.uint32(42)
          w.bytes(obj.signingSecretKey)
        }

        if (obj.skipped != null && obj.skipped.length > 0) {
          for (const value of obj.skipped) {
            w.uint32(50)
            StoredSkippedMessageKey.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chainId: 0,
          iteration: 0,
          chainKey: uint8ArrayAlloc(0),
          signingPublicKey: uint8ArrayAlloc(0),
          skipped: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.chainId = reader.uint32()
              break
            }
            case 2: {
              obj.iteration = reader.uint32()
              break
            }
            case 3: {
              obj.chainKey = reader.bytes()
              break
            }
            case 4: {
              obj.signingPublicKey = reader.bytes()
              break
            }
            case 5: {
              obj.signingSecretKey = reader.bytes()
              break
            }
            case 6: {
              if (opts.limits?.skipped != null && obj.skipped.length === opts.limits.skipped) {
                throw new MaxLengthError('Decode error - repeated field "skipped" had too many elements')
              }

              obj.skipped.push(StoredSkippedMessageKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.skipped$
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
          skipped: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.chainId`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.iteration`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.chainKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signingPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signingSecretKey`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              if (opts.limits?.skipped != null && obj.skipped === opts.limits.skipped) {
                throw new MaxLengthError('Streaming decode error - repeated field "skipped" had too many elements')
              }

              for (const evt of StoredSkippedMessageKey.codec().stream(reader, reader.uint32(), `${prefix}.skipped[]`, {
                limits: opts.limits?.skipped$
              })) {
                yield {
                  ...evt,
                  index: obj.skipped
                }
              }

              obj.skipped++

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

  export interface StoredSenderKeyStateChainIdFieldEvent {
    field: '$.chainId'
    value: number
  }

  export interface StoredSenderKeyStateIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface StoredSenderKeyStateChainKeyFieldEvent {
    field: '$.chainKey'
    value: Uint8Array
  }

  export interface StoredSenderKeyStateSigningPublicKeyFieldEvent {
    field: '$.signingPublicKey'
    value: Uint8Array
  }

  export interface StoredSenderKeyStateSigningSecretKeyFieldEvent {
    field: '$.signingSecretKey'
    value: Uint8Array
  }

  export interface StoredSenderKeyStateSkippedIterationFieldEvent {
    field: '$.skipped[].iteration'
    value: number
    index: number
  }

  export interface StoredSenderKeyStateSkippedSeedFieldEvent {
    field: '$.skipped[].seed'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<StoredSenderKeyState>): Uint8Array {
    return encodeMessage(obj, StoredSenderKeyState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredSenderKeyState>): StoredSenderKeyState {
    return decodeMessage(buf, StoredSenderKeyState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredSenderKeyState>): Generator<StoredSenderKeyStateChainIdFieldEvent | StoredSenderKeyStateIterationFieldEvent | StoredSenderKeyStateChainKeyFieldEvent | StoredSenderKeyStateSigningPublicKeyFieldEvent | StoredSenderKeyStateSigningSecretKeyFieldEvent | StoredSenderKeyStateSkippedIterationFieldEvent | StoredSenderKeyStateSkippedSeedFieldEvent> {
    return streamMessage(buf, StoredSenderKeyState.codec(), opts)
  }
}

export interface StoredSkippedMessageKey {
  iteration: number
  seed: Uint8Array
}

export namespace StoredSkippedMessageKey {
  let _codec: Codec<StoredSkippedMessageKey>

  export const codec = (): Codec<StoredSkippedMessageKey> => {
    if (_codec == null) {
      _codec = message<StoredSkippedMessageKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(8)
          w.uint32(obj.iteration)
        }

        if ((obj.seed != null && obj.seed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.seed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          iteration: 0,
          seed: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.iteration = reader.uint32()
              break
            }
            case 2: {
              obj.seed = reader.bytes()
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
                field: `${prefix}.iteration`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seed`,
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

  export interface StoredSkippedMessageKeyIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface StoredSkippedMessageKeySeedFieldEvent {
    field: '$.seed'
    value: Uint8Array
  }

  export function encode (obj: Partial<StoredSkippedMessageKey>): Uint8Array {
    return encodeMessage(obj, StoredSkippedMessageKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredSkippedMessageKey>): StoredSkippedMessageKey {
    return decodeMessage(buf, StoredSkippedMessageKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredSkippedMessageKey>): Generator<StoredSkippedMessageKeyIterationFieldEvent | StoredSkippedMessageKeySeedFieldEvent> {
    return streamMessage(buf, StoredSkippedMessageKey.codec(), opts)
  }
}
