import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Text {
  body: string
  groupId?: Uint8Array
  quoteId?: Uint8Array
}

export namespace Text {
  let _codec: Codec<Text>

  export const codec = (): Codec<Text> => {
    if (_codec == null) {
      _codec = message<Text>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body !== '')) {
          w.uint32(10)
          w.string(obj.body)
        }

        if (obj.groupId != null) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if (obj.quoteId != null) {
          w.uint32(26)
          w.bytes(obj.quoteId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.string()
              break
            }
            case 2: {
              obj.groupId = reader.bytes()
              break
            }
            case 3: {
              obj.quoteId = reader.bytes()
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
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.quoteId`,
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

  export interface TextBodyFieldEvent {
    field: '$.body'
    value: string
  }

  export interface TextGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export interface TextQuoteIdFieldEvent {
    field: '$.quoteId'
    value: Uint8Array
  }

  export function encode (obj: Partial<Text>): Uint8Array {
    return encodeMessage(obj, Text.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Text>): Text {
    return decodeMessage(buf, Text.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Text>): Generator<TextBodyFieldEvent | TextGroupIdFieldEvent | TextQuoteIdFieldEvent> {
    return streamMessage(buf, Text.codec(), opts)
  }
}

export enum ReceiptType {
  RECEIPT_TYPE_UNSPECIFIED = 'RECEIPT_TYPE_UNSPECIFIED',
  DELIVERED = 'DELIVERED',
  READ = 'READ'
}

enum __ReceiptTypeValues {
  RECEIPT_TYPE_UNSPECIFIED = 0,
  DELIVERED = 1,
  READ = 2
}

export namespace ReceiptType {
  export const codec = (): Codec<ReceiptType> => {
    return enumeration<ReceiptType>(__ReceiptTypeValues)
  }
}

export interface Receipt {
  type: ReceiptType
  messageIds: Uint8Array[]
}

export namespace Receipt {
  let _codec: Codec<Receipt>

  export const codec = (): Codec<Receipt> => {
    if (_codec == null) {
      _codec = message<Receipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __ReceiptTypeValues[obj.type] !== 0) {
          w.uint32(8)
          ReceiptType.codec().encode(obj.type, w)
        }

        if (obj.messageIds != null && obj.messageIds.length > 0) {
          for (const value of obj.messageIds) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: ReceiptType.RECEIPT_TYPE_UNSPECIFIED,
          messageIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = ReceiptType.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements')
              }

              obj.messageIds.push(reader.bytes())
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
          messageIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: ReceiptType.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements')
              }

              yield {
                field: `${prefix}.messageIds[]`,
                index: obj.messageIds,
                value: reader.bytes()
              }

              obj.messageIds++

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

  export interface ReceiptTypeFieldEvent {
    field: '$.type'
    value: ReceiptType
  }

  export interface ReceiptMessageIdsFieldEvent {
    field: '$.messageIds[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<Receipt>): Uint8Array {
    return encodeMessage(obj, Receipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Receipt {
    return decodeMessage(buf, Receipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Generator<ReceiptTypeFieldEvent | ReceiptMessageIdsFieldEvent> {
    return streamMessage(buf, Receipt.codec(), opts)
  }
}

export enum TypingAction {
  TYPING_ACTION_UNSPECIFIED = 'TYPING_ACTION_UNSPECIFIED',
  STARTED = 'STARTED',
  STOPPED = 'STOPPED'
}

enum __TypingActionValues {
  TYPING_ACTION_UNSPECIFIED = 0,
  STARTED = 1,
  STOPPED = 2
}

export namespace TypingAction {
  export const codec = (): Codec<TypingAction> => {
    return enumeration<TypingAction>(__TypingActionValues)
  }
}

export interface Typing {
  action: TypingAction
  groupId?: Uint8Array
}

export namespace Typing {
  let _codec: Codec<Typing>

  export const codec = (): Codec<Typing> => {
    if (_codec == null) {
      _codec = message<Typing>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.action != null && __TypingActionValues[obj.action] !== 0) {
          w.uint32(8)
          TypingAction.codec().encode(obj.action, w)
        }

        if (obj.groupId != null) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          action: TypingAction.TYPING_ACTION_UNSPECIFIED
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.action = TypingAction.codec().decode(reader)
              break
            }
            case 2: {
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
                field: `${prefix}.action`,
                value: TypingAction.codec().decode(reader)
              }
              break
            }
            case 2: {
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

  export interface TypingActionFieldEvent {
    field: '$.action'
    value: TypingAction
  }

  export interface TypingGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export function encode (obj: Partial<Typing>): Uint8Array {
    return encodeMessage(obj, Typing.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Typing {
    return decodeMessage(buf, Typing.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Generator<TypingActionFieldEvent | TypingGroupIdFieldEvent> {
    return streamMessage(buf, Typing.codec(), opts)
  }
}

export interface SyncTranscript {
  destination?: Uint8Array
  groupId?: Uint8Array
  messageId: Uint8Array
  sentAt: number
  text?: Text
}

export namespace SyncTranscript {
  let _codec: Codec<SyncTranscript>

  export const codec = (): Codec<SyncTranscript> => {
    if (_codec == null) {
      _codec = message<SyncTranscript>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.destination != null) {
          w.uint32(10)
          w.bytes(obj.destination)
        }

        if (obj.groupId != null) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.messageId)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.sentAt)
        }

        if (obj.text != null) {
          w.uint32(42)
          Text.codec().encode(obj.text, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: uint8ArrayAlloc(0),
          sentAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.destination = reader.bytes()
              break
            }
            case 2: {
              obj.groupId = reader.bytes()
              break
            }
            case 3: {
              obj.messageId = reader.bytes()
              break
            }
            case 4: {
              obj.sentAt = reader.uint64Number()
              break
            }
            case 5: {
              obj.text = Text.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.text
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
                field: `${prefix}.destination`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield * Text.codec().stream(reader, reader.uint32(), `${prefix}.text`, {
                limits: opts.limits?.text
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

  export interface SyncTranscriptDestinationFieldEvent {
    field: '$.destination'
    value: Uint8Array
  }

  export interface SyncTranscriptGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export interface SyncTranscriptMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array
  }

  export interface SyncTranscriptSentAtFieldEvent {
    field: '$.sentAt'
    value: number
  }

  export interface SyncTranscriptTextBodyFieldEvent {
    field: '$.text.body'
    value: string
  }

  export interface SyncTranscriptTextGroupIdFieldEvent {
    field: '$.text.groupId'
    value: Uint8Array
  }

  export interface SyncTranscriptTextQuoteIdFieldEvent {
    field: '$.text.quoteId'
    value: Uint8Array
  }

  export function encode (obj: Partial<SyncTranscript>): Uint8Array {
    return encodeMessage(obj, SyncTranscript.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncTranscript>): SyncTranscript {
    return decodeMessage(buf, SyncTranscript.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncTranscript>): Generator<SyncTranscriptDestinationFieldEvent | SyncTranscriptGroupIdFieldEvent | SyncTranscriptMessageIdFieldEvent | SyncTranscriptSentAtFieldEvent | SyncTranscriptTextBodyFieldEvent | SyncTranscriptTextGroupIdFieldEvent | SyncTranscriptTextQuoteIdFieldEvent> {
    return streamMessage(buf, SyncTranscript.codec(), opts)
  }
}

export interface ReadMark {
  sender: Uint8Array
  messageId: Uint8Array
}

export namespace ReadMark {
  let _codec: Codec<ReadMark>

  export const codec = (): Codec<ReadMark> => {
    if (_codec == null) {
      _codec = message<ReadMark>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.sender != null && obj.sender.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.sender)
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.messageId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          sender: uint8ArrayAlloc(0),
          messageId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.sender = reader.bytes()
              break
            }
            case 2: {
              obj.messageId = reader.bytes()
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
                field: `${prefix}.sender`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.messageId`,
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

  export interface ReadMarkSenderFieldEvent {
    field: '$.sender'
    value: Uint8Array
  }

  export interface ReadMarkMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array
  }

  export function encode (obj: Partial<ReadMark>): Uint8Array {
    return encodeMessage(obj, ReadMark.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadMark>): ReadMark {
    return decodeMessage(buf, ReadMark.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadMark>): Generator<ReadMarkSenderFieldEvent | ReadMarkMessageIdFieldEvent> {
    return streamMessage(buf, ReadMark.codec(), opts)
  }
}

export interface SyncRead {
  reads: ReadMark[]
}

export namespace SyncRead {
  let _codec: Codec<SyncRead>

  export const codec = (): Codec<SyncRead> => {
    if (_codec == null) {
      _codec = message<SyncRead>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.reads != null && obj.reads.length > 0) {
          for (const value of obj.reads) {
            w.uint32(10)
            ReadMark.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          reads: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.reads != null && obj.reads.length === opts.limits.reads) {
                throw new MaxLengthError('Decode error - repeated field "reads" had too many elements')
              }

              obj.reads.push(ReadMark.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reads$
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
          reads: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.reads != null && obj.reads === opts.limits.reads) {
                throw new MaxLengthError('Streaming decode error - repeated field "reads" had too many elements')
              }

              for (const evt of ReadMark.codec().stream(reader, reader.uint32(), `${prefix}.reads[]`, {
                limits: opts.limits?.reads$
              })) {
                yield {
                  ...evt,
                  index: obj.reads
                }
              }

              obj.reads++

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

  export interface SyncReadReadsSenderFieldEvent {
    field: '$.reads[].sender'
    value: Uint8Array
    index: number
  }

  export interface SyncReadReadsMessageIdFieldEvent {
    field: '$.reads[].messageId'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<SyncRead>): Uint8Array {
    return encodeMessage(obj, SyncRead.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRead>): SyncRead {
    return decodeMessage(buf, SyncRead.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRead>): Generator<SyncReadReadsSenderFieldEvent | SyncReadReadsMessageIdFieldEvent> {
    return streamMessage(buf, SyncRead.codec(), opts)
  }
}

export interface DeviceListUpdate {
  deviceList: Uint8Array
}

export namespace DeviceListUpdate {
  let _codec: Codec<DeviceListUpdate>

  export const codec = (): Codec<DeviceListUpdate> => {
    if (_codec == null) {
      _codec = message<DeviceListUpdate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceList != null && obj.deviceList.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceList)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceList: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceList = reader.bytes()
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
                field: `${prefix}.deviceList`,
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

  export interface DeviceListUpdateDeviceListFieldEvent {
    field: '$.deviceList'
    value: Uint8Array
  }

  export function encode (obj: Partial<DeviceListUpdate>): Uint8Array {
    return encodeMessage(obj, DeviceListUpdate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListUpdate>): DeviceListUpdate {
    return decodeMessage(buf, DeviceListUpdate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListUpdate>): Generator<DeviceListUpdateDeviceListFieldEvent> {
    return streamMessage(buf, DeviceListUpdate.codec(), opts)
  }
}

export interface GroupMember {
  accountKey: Uint8Array
  admin: boolean
}

export namespace GroupMember {
  let _codec: Codec<GroupMember>

  export const codec = (): Codec<GroupMember> => {
    if (_codec == null) {
      _codec = message<GroupMember>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountKey != null && obj.accountKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountKey)
        }

        if ((obj.admin != null && obj.admin !== false)) {
          w.uint32(16)
          w.bool(obj.admin)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountKey: uint8ArrayAlloc(0),
          admin: false
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
              obj.admin = reader.bool()
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
                field: `${prefix}.admin`,
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

  export interface GroupMemberAccountKeyFieldEvent {
    field: '$.accountKey'
    value: Uint8Array
  }

  export interface GroupMemberAdminFieldEvent {
    field: '$.admin'
    value: boolean
  }

  export function encode (obj: Partial<GroupMember>): Uint8Array {
    return encodeMessage(obj, GroupMember.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMember>): GroupMember {
    return decodeMessage(buf, GroupMember.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMember>): Generator<GroupMemberAccountKeyFieldEvent | GroupMemberAdminFieldEvent> {
    return streamMessage(buf, GroupMember.codec(), opts)
  }
}

export enum GroupAction {
  GROUP_ACTION_UNSPECIFIED = 'GROUP_ACTION_UNSPECIFIED',
  CREATE = 'CREATE',
  ADD = 'ADD',
  REMOVE = 'REMOVE',
  LEAVE = 'LEAVE',
  RENAME = 'RENAME',
  SET_ADMIN = 'SET_ADMIN'
}

enum __GroupActionValues {
  GROUP_ACTION_UNSPECIFIED = 0,
  CREATE = 1,
  ADD = 2,
  REMOVE = 3,
  LEAVE = 4,
  RENAME = 5,
  SET_ADMIN = 6
}

export namespace GroupAction {
  export const codec = (): Codec<GroupAction> => {
    return enumeration<GroupAction>(__GroupActionValues)
  }
}

export interface GroupControl {
  groupId: Uint8Array
  revision: number
  action: GroupAction
  name: string
  members: GroupMember[]
  subjects: Uint8Array[]
  envelopeKey?: Uint8Array
  envelopeKeyId?: number
}

export namespace GroupControl {
  let _codec: Codec<GroupControl>

  export const codec = (): Codec<GroupControl> => {
    if (_codec == null) {
      _codec = message<GroupControl>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.groupId)
        }

        if ((obj.revision != null && obj.revision !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.revision)
        }

        if (obj.action != null && __GroupActionValues[obj.action] !== 0) {
          w.uint32(24)
          GroupAction.codec().encode(obj.action, w)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(34)
          w.string(obj.name)
        }

        if (obj.members != null && obj.members.length > 0) {
          for (const value of obj.members) {
            w.uint32(42)
            GroupMember.codec().encode(value, w)
          }
        }

        if (obj.subjects != null && obj.subjects.length > 0) {
          for (const value of obj.subjects) {
            w.uint32(50)
            w.bytes(value)
          }
        }

        if (obj.envelopeKey != null) {
          w.uint32(58)
          w.bytes(obj.envelopeKey)
        }

        if (obj.envelopeKeyId != null) {
          w.uint32(69)
          w.fixed32(obj.envelopeKeyId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          groupId: uint8ArrayAlloc(0),
          revision: 0,
          action: GroupAction.GROUP_ACTION_UNSPECIFIED,
          name: '',
          members: [],
          subjects: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.groupId = reader.bytes()
              break
            }
            case 2: {
              obj.revision = reader.uint64Number()
              break
            }
            case 3: {
              obj.action = GroupAction.codec().decode(reader)
              break
            }
            case 4: {
              obj.name = reader.string()
              break
            }
            case 5: {
              if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                throw new MaxLengthError('Decode error - repeated field "members" had too many elements')
              }

              obj.members.push(GroupMember.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.members$
              }))
              break
            }
            case 6: {
              if (opts.limits?.subjects != null && obj.subjects.length === opts.limits.subjects) {
                throw new MaxLengthError('Decode error - repeated field "subjects" had too many elements')
              }

              obj.subjects.push(reader.bytes())
              break
            }
            case 7: {
              obj.envelopeKey = reader.bytes()
              break
            }
            case 8: {
              obj.envelopeKeyId = reader.fixed32()
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
          members: 0,
          subjects: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.revision`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.action`,
                value: GroupAction.codec().decode(reader)
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 5: {
              if (opts.limits?.members != null && obj.members === opts.limits.members) {
                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements')
              }

              for (const evt of GroupMember.codec().stream(reader, reader.uint32(), `${prefix}.members[]`, {
                limits: opts.limits?.members$
              })) {
                yield {
                  ...evt,
                  index: obj.members
                }
              }

              obj.members++

              break
            }
            case 6: {
              if (opts.limits?.subjects != null && obj.subjects === opts.limits.subjects) {
                throw new MaxLengthError('Streaming decode error - repeated field "subjects" had too many elements')
              }

              yield {
                field: `${prefix}.subjects[]`,
                index: obj.subjects,
                value: reader.bytes()
              }

              obj.subjects++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.envelopeKey`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.envelopeKeyId`,
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

  export interface GroupControlGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export interface GroupControlRevisionFieldEvent {
    field: '$.revision'
    value: number
  }

  export interface GroupControlActionFieldEvent {
    field: '$.action'
    value: GroupAction
  }

  export interface GroupControlNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface GroupControlMembersAccountKeyFieldEvent {
    field: '$.members[].accountKey'
    value: Uint8Array
    index: number
  }

  export interface GroupControlMembersAdminFieldEvent {
    field: '$.members[].admin'
    value: boolean
    index: number
  }

  export interface GroupControlSubjectsFieldEvent {
    field: '$.subjects[]'
    index: number
    value: Uint8Array
  }

  export interface GroupControlEnvelopeKeyFieldEvent {
    field: '$.envelopeKey'
    value: Uint8Array
  }

  export interface GroupControlEnvelopeKeyIdFieldEvent {
    field: '$.envelopeKeyId'
    value: number
  }

  export function encode (obj: Partial<GroupControl>): Uint8Array {
    return encodeMessage(obj, GroupControl.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupControl>): GroupControl {
    return decodeMessage(buf, GroupControl.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupControl>): Generator<GroupControlGroupIdFieldEvent | GroupControlRevisionFieldEvent | GroupControlActionFieldEvent | GroupControlNameFieldEvent | GroupControlMembersAccountKeyFieldEvent | GroupControlMembersAdminFieldEvent | GroupControlSubjectsFieldEvent | GroupControlEnvelopeKeyFieldEvent | GroupControlEnvelopeKeyIdFieldEvent> {
    return streamMessage(buf, GroupControl.codec(), opts)
  }
}

export interface RetryRequest {
  messageIds: Uint8Array[]
}

export namespace RetryRequest {
  let _codec: Codec<RetryRequest>

  export const codec = (): Codec<RetryRequest> => {
    if (_codec == null) {
      _codec = message<RetryRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.messageIds != null && obj.messageIds.length > 0) {
          for (const value of obj.messageIds) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements')
              }

              obj.messageIds.push(reader.bytes())
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
          messageIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements')
              }

              yield {
                field: `${prefix}.messageIds[]`,
                index: obj.messageIds,
                value: reader.bytes()
              }

              obj.messageIds++

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

  export interface RetryRequestMessageIdsFieldEvent {
    field: '$.messageIds[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<RetryRequest>): Uint8Array {
    return encodeMessage(obj, RetryRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RetryRequest>): RetryRequest {
    return decodeMessage(buf, RetryRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RetryRequest>): Generator<RetryRequestMessageIdsFieldEvent> {
    return streamMessage(buf, RetryRequest.codec(), opts)
  }
}

export interface Content {
  messageId: Uint8Array
  sentAt: number
  text?: Text
  receipt?: Receipt
  typing?: Typing
  syncTranscript?: SyncTranscript
  syncRead?: SyncRead
  deviceListUpdate?: DeviceListUpdate
  groupControl?: GroupControl
  senderKeyDistribution?: Uint8Array
  retryRequest?: RetryRequest
  nullMessage?: boolean
}

export namespace Content {
  let _codec: Codec<Content>

  export const codec = (): Codec<Content> => {
    if (_codec == null) {
      _codec = message<Content>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.messageId)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.sentAt)
        }

        if (obj.text != null) {
          w.uint32(26)
          Text.codec().encode(obj.text, w)
        }

        if (obj.receipt != null) {
          w.uint32(34)
          Receipt.codec().encode(obj.receipt, w)
        }

        if (obj.typing != null) {
          w.uint32(42)
          Typing.codec().encode(obj.typing, w)
        }

        if (obj.syncTranscript != null) {
          w.uint32(50)
          SyncTranscript.codec().encode(obj.syncTranscript, w)
        }

        if (obj.syncRead != null) {
          w.uint32(58)
          SyncRead.codec().encode(obj.syncRead, w)
        }

        if (obj.deviceListUpdate != null) {
          w.uint32(66)
          DeviceListUpdate.codec().encode(obj.deviceListUpdate, w)
        }

        if (obj.groupControl != null) {
          w.uint32(74)
          GroupControl.codec().encode(obj.groupControl, w)
        }

        if (obj.senderKeyDistribution != null) {
          w.uint32(82)
          w.bytes(obj.senderKeyDistribution)
        }

        if (obj.retryRequest != null) {
          w.uint32(90)
          RetryRequest.codec().encode(obj.retryRequest, w)
        }

        if (obj.nullMessage != null) {
          w.uint32(96)
          w.bool(obj.nullMessage)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: uint8ArrayAlloc(0),
          sentAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageId = reader.bytes()
              break
            }
            case 2: {
              obj.sentAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.text = Text.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.text
              })
              break
            }
            case 4: {
              obj.receipt = Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipt
              })
              break
            }
            case 5: {
              obj.typing = Typing.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.typing
              })
              break
            }
            case 6: {
              obj.syncTranscript = SyncTranscript.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.syncTranscript
              })
              break
            }
            case 7: {
              obj.syncRead = SyncRead.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.syncRead
              })
              break
            }
            case 8: {
              obj.deviceListUpdate = DeviceListUpdate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deviceListUpdate
              })
              break
            }
            case 9: {
              obj.groupControl = GroupControl.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.groupControl
              })
              break
            }
            case 10: {
              obj.senderKeyDistribution = reader.bytes()
              break
            }
            case 11: {
              obj.retryRequest = RetryRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.retryRequest
              })
              break
            }
            case 12: {
              obj.nullMessage = reader.bool()
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
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield * Text.codec().stream(reader, reader.uint32(), `${prefix}.text`, {
                limits: opts.limits?.text
              })

              break
            }
            case 4: {
              yield * Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipt`, {
                limits: opts.limits?.receipt
              })

              break
            }
            case 5: {
              yield * Typing.codec().stream(reader, reader.uint32(), `${prefix}.typing`, {
                limits: opts.limits?.typing
              })

              break
            }
            case 6: {
              yield * SyncTranscript.codec().stream(reader, reader.uint32(), `${prefix}.syncTranscript`, {
                limits: opts.limits?.syncTranscript
              })

              break
            }
            case 7: {
              yield * SyncRead.codec().stream(reader, reader.uint32(), `${prefix}.syncRead`, {
                limits: opts.limits?.syncRead
              })

              break
            }
            case 8: {
              yield * DeviceListUpdate.codec().stream(reader, reader.uint32(), `${prefix}.deviceListUpdate`, {
                limits: opts.limits?.deviceListUpdate
              })

              break
            }
            case 9: {
              yield * GroupControl.codec().stream(reader, reader.uint32(), `${prefix}.groupControl`, {
                limits: opts.limits?.groupControl
              })

              break
            }
            case 10: {
              yield {
                field: `${prefix}.senderKeyDistribution`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield * RetryRequest.codec().stream(reader, reader.uint32(), `${prefix}.retryRequest`, {
                limits: opts.limits?.retryRequest
              })

              break
            }
            case 12: {
              yield {
                field: `${prefix}.nullMessage`,
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

  export interface ContentMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array
  }

  export interface ContentSentAtFieldEvent {
    field: '$.sentAt'
    value: number
  }

  export interface ContentTextBodyFieldEvent {
    field: '$.text.body'
    value: string
  }

  export interface ContentTextGroupIdFieldEvent {
    field: '$.text.groupId'
    value: Uint8Array
  }

  export interface ContentTextQuoteIdFieldEvent {
    field: '$.text.quoteId'
    value: Uint8Array
  }

  export interface ContentReceiptTypeFieldEvent {
    field: '$.receipt.type'
    value: ReceiptType
  }

  export interface ContentReceiptMessageIdsFieldEvent {
    field: '$.receipt.messageIds[]'
    index: number
    value: Uint8Array
  }

  export interface ContentTypingActionFieldEvent {
    field: '$.typing.action'
    value: TypingAction
  }

  export interface ContentTypingGroupIdFieldEvent {
    field: '$.typing.groupId'
    value: Uint8Array
  }

  export interface ContentSyncTranscriptDestinationFieldEvent {
    field: '$.syncTranscript.destination'
    value: Uint8Array
  }

  export interface ContentSyncTranscriptGroupIdFieldEvent {
    field: '$.syncTranscript.groupId'
    value: Uint8Array
  }

  export interface ContentSyncTranscriptMessageIdFieldEvent {
    field: '$.syncTranscript.messageId'
    value: Uint8Array
  }

  export interface ContentSyncTranscriptSentAtFieldEvent {
    field: '$.syncTranscript.sentAt'
    value: number
  }

  export interface ContentSyncTranscriptTextBodyFieldEvent {
    field: '$.syncTranscript.text.body'
    value: string
  }

  export interface ContentSyncTranscriptTextGroupIdFieldEvent {
    field: '$.syncTranscript.text.groupId'
    value: Uint8Array
  }

  export interface ContentSyncTranscriptTextQuoteIdFieldEvent {
    field: '$.syncTranscript.text.quoteId'
    value: Uint8Array
  }

  export interface ContentSyncReadReadsSenderFieldEvent {
    field: '$.syncRead.reads[].sender'
    value: Uint8Array
    index: number
  }

  export interface ContentSyncReadReadsMessageIdFieldEvent {
    field: '$.syncRead.reads[].messageId'
    value: Uint8Array
    index: number
  }

  export interface ContentDeviceListUpdateDeviceListFieldEvent {
    field: '$.deviceListUpdate.deviceList'
    value: Uint8Array
  }

  export interface ContentGroupControlGroupIdFieldEvent {
    field: '$.groupControl.groupId'
    value: Uint8Array
  }

  export interface ContentGroupControlRevisionFieldEvent {
    field: '$.groupControl.revision'
    value: number
  }

  export interface ContentGroupControlActionFieldEvent {
    field: '$.groupControl.action'
    value: GroupAction
  }

  export interface ContentGroupControlNameFieldEvent {
    field: '$.groupControl.name'
    value: string
  }

  export interface ContentGroupControlMembersAccountKeyFieldEvent {
    field: '$.groupControl.members[].accountKey'
    value: Uint8Array
    index: number
  }

  export interface ContentGroupControlMembersAdminFieldEvent {
    field: '$.groupControl.members[].admin'
    value: boolean
    index: number
  }

  export interface ContentGroupControlSubjectsFieldEvent {
    field: '$.groupControl.subjects[]'
    index: number
    value: Uint8Array
  }

  export interface ContentGroupControlEnvelopeKeyFieldEvent {
    field: '$.groupControl.envelopeKey'
    value: Uint8Array
  }

  export interface ContentGroupControlEnvelopeKeyIdFieldEvent {
    field: '$.groupControl.envelopeKeyId'
    value: number
  }

  export interface ContentSenderKeyDistributionFieldEvent {
    field: '$.senderKeyDistribution'
    value: Uint8Array
  }

  export interface ContentRetryRequestMessageIdsFieldEvent {
    field: '$.retryRequest.messageIds[]'
    index: number
    value: Uint8Array
  }

  export interface ContentNullMessageFieldEvent {
    field: '$.nullMessage'
    value: boolean
  }

  export function encode (obj: Partial<Content>): Uint8Array {
    return encodeMessage(obj, Content.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Content {
    return decodeMessage(buf, Content.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Generator<ContentMessageIdFieldEvent | ContentSentAtFieldEvent | ContentTextBodyFieldEvent | ContentTextGroupIdFieldEvent | ContentTextQuoteIdFieldEvent | ContentReceiptTypeFieldEvent | ContentReceiptMessageIdsFieldEvent | ContentTypingActionFieldEvent | ContentTypingGroupIdFieldEvent | ContentSyncTranscriptDestinationFieldEvent | ContentSyncTranscriptGroupIdFieldEvent | ContentSyncTranscriptMessageIdFieldEvent | ContentSyncTranscriptSentAtFieldEvent | ContentSyncTranscriptTextBodyFieldEvent | ContentSyncTranscriptTextGroupIdFieldEvent | ContentSyncTranscriptTextQuoteIdFieldEvent | ContentSyncReadReadsSenderFieldEvent | ContentSyncReadReadsMessageIdFieldEvent | ContentDeviceListUpdateDeviceListFieldEvent | ContentGroupControlGroupIdFieldEvent | ContentGroupControlRevisionFieldEvent | ContentGroupControlActionFieldEvent | ContentGroupControlNameFieldEvent | ContentGroupControlMembersAccountKeyFieldEvent | ContentGroupControlMembersAdminFieldEvent | ContentGroupControlSubjectsFieldEvent | ContentGroupControlEnvelopeKeyFieldEvent | ContentGroupControlEnvelopeKeyIdFieldEvent | ContentSenderKeyDistributionFieldEvent | ContentRetryRequestMessageIdsFieldEvent | ContentNullMessageFieldEvent> {
    return streamMessage(buf, Content.codec(), opts)
  }
}
