import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Signed {
  body: Uint8Array
  signature: Uint8Array
}

export namespace Signed {
  let _codec: Codec<Signed>

  export const codec = (): Codec<Signed> => {
    if (_codec == null) {
      _codec = message<Signed>((obj, w, opts = {}) => {
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

  export interface SignedBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface SignedSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<Signed>): Uint8Array {
    return encodeMessage(obj, Signed.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Signed>): Signed {
    return decodeMessage(buf, Signed.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Signed>): Generator<SignedBodyFieldEvent | SignedSignatureFieldEvent> {
    return streamMessage(buf, Signed.codec(), opts)
  }
}

export interface DeviceCertificateBody {
  accountKey: Uint8Array
  deviceId: number
  signingKey: Uint8Array
  identityKey: Uint8Array
  peerId: Uint8Array
  createdAt: number
}

export namespace DeviceCertificateBody {
  let _codec: Codec<DeviceCertificateBody>

  export const codec = (): Codec<DeviceCertificateBody> => {
    if (_codec == null) {
      _codec = message<DeviceCertificateBody>((obj, w, opts = {}) => {
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

        if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signingKey)
        }

        if ((obj.identityKey != null && obj.identityKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.identityKey)
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.peerId)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.createdAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountKey: uint8ArrayAlloc(0),
          deviceId: 0,
          signingKey: uint8ArrayAlloc(0),
          identityKey: uint8ArrayAlloc(0),
          peerId: uint8ArrayAlloc(0),
          createdAt: 0
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
            case 3: {
              obj.signingKey = reader.bytes()
              break
            }
            case 4: {
              obj.identityKey = reader.bytes()
              break
            }
            case 5: {
              obj.peerId = reader.bytes()
              break
            }
            case 6: {
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
            case 3: {
              yield {
                field: `${prefix}.signingKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.identityKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
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

  export interface DeviceCertificateBodyAccountKeyFieldEvent {
    field: '$.accountKey'
    value: Uint8Array
  }

  export interface DeviceCertificateBodyDeviceIdFieldEvent {
    field: '$.deviceId'
    value: number
  }

  export interface DeviceCertificateBodySigningKeyFieldEvent {
    field: '$.signingKey'
    value: Uint8Array
  }

  export interface DeviceCertificateBodyIdentityKeyFieldEvent {
    field: '$.identityKey'
    value: Uint8Array
  }

  export interface DeviceCertificateBodyPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array
  }

  export interface DeviceCertificateBodyCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export function encode (obj: Partial<DeviceCertificateBody>): Uint8Array {
    return encodeMessage(obj, DeviceCertificateBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceCertificateBody>): DeviceCertificateBody {
    return decodeMessage(buf, DeviceCertificateBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceCertificateBody>): Generator<DeviceCertificateBodyAccountKeyFieldEvent | DeviceCertificateBodyDeviceIdFieldEvent | DeviceCertificateBodySigningKeyFieldEvent | DeviceCertificateBodyIdentityKeyFieldEvent | DeviceCertificateBodyPeerIdFieldEvent | DeviceCertificateBodyCreatedAtFieldEvent> {
    return streamMessage(buf, DeviceCertificateBody.codec(), opts)
  }
}

export interface Mailbox {
  relayPeerId: Uint8Array
  relayAddrs: string[]
  mailboxId: Uint8Array
}

export namespace Mailbox {
  let _codec: Codec<Mailbox>

  export const codec = (): Codec<Mailbox> => {
    if (_codec == null) {
      _codec = message<Mailbox>((obj, w, opts = {}) => {
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

  export interface MailboxRelayPeerIdFieldEvent {
    field: '$.relayPeerId'
    value: Uint8Array
  }

  export interface MailboxRelayAddrsFieldEvent {
    field: '$.relayAddrs[]'
    index: number
    value: string
  }

  export interface MailboxMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array
  }

  export function encode (obj: Partial<Mailbox>): Uint8Array {
    return encodeMessage(obj, Mailbox.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Mailbox>): Mailbox {
    return decodeMessage(buf, Mailbox.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Mailbox>): Generator<MailboxRelayPeerIdFieldEvent | MailboxRelayAddrsFieldEvent | MailboxMailboxIdFieldEvent> {
    return streamMessage(buf, Mailbox.codec(), opts)
  }
}

export interface DeviceEntry {
  certificate: Uint8Array
  mailboxes: Mailbox[]
}

export namespace DeviceEntry {
  let _codec: Codec<DeviceEntry>

  export const codec = (): Codec<DeviceEntry> => {
    if (_codec == null) {
      _codec = message<DeviceEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.certificate)
        }

        if (obj.mailboxes != null && obj.mailboxes.length > 0) {
          for (const value of obj.mailboxes) {
            w.uint32(18)
            Mailbox.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          certificate: uint8ArrayAlloc(0),
          mailboxes: []
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
              if (opts.limits?.mailboxes != null && obj.mailboxes.length === opts.limits.mailboxes) {
                throw new MaxLengthError('Decode error - repeated field "mailboxes" had too many elements')
              }

              obj.mailboxes.push(Mailbox.codec().decode(reader, reader.uint32(), {
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
                field: `${prefix}.certificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.mailboxes != null && obj.mailboxes === opts.limits.mailboxes) {
                throw new MaxLengthError('Streaming decode error - repeated field "mailboxes" had too many elements')
              }

              for (const evt of Mailbox.codec().stream(reader, reader.uint32(), `${prefix}.mailboxes[]`, {
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

  export interface DeviceEntryCertificateFieldEvent {
    field: '$.certificate'
    value: Uint8Array
  }

  export interface DeviceEntryMailboxesRelayPeerIdFieldEvent {
    field: '$.mailboxes[].relayPeerId'
    value: Uint8Array
    index: number
  }

  export interface DeviceEntryMailboxesRelayAddrsFieldEvent {
    field: '$.mailboxes[].relayAddrs[]'
    index: number
    value: string
  }

  export interface DeviceEntryMailboxesMailboxIdFieldEvent {
    field: '$.mailboxes[].mailboxId'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<DeviceEntry>): Uint8Array {
    return encodeMessage(obj, DeviceEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceEntry>): DeviceEntry {
    return decodeMessage(buf, DeviceEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceEntry>): Generator<DeviceEntryCertificateFieldEvent | DeviceEntryMailboxesRelayPeerIdFieldEvent | DeviceEntryMailboxesRelayAddrsFieldEvent | DeviceEntryMailboxesMailboxIdFieldEvent> {
    return streamMessage(buf, DeviceEntry.codec(), opts)
  }
}

export interface DeviceListBody {
  accountKey: Uint8Array
  listVersion: number
  issuedAt: number
  devices: DeviceEntry[]
}

export namespace DeviceListBody {
  let _codec: Codec<DeviceListBody>

  export const codec = (): Codec<DeviceListBody> => {
    if (_codec == null) {
      _codec = message<DeviceListBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountKey != null && obj.accountKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountKey)
        }

        if ((obj.listVersion != null && obj.listVersion !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.listVersion)
        }

        if ((obj.issuedAt != null && obj.issuedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.issuedAt)
        }

        if (obj.devices != null && obj.devices.length > 0) {
          for (const value of obj.devices) {
            w.uint32(34)
            DeviceEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountKey: uint8ArrayAlloc(0),
          listVersion: 0,
          issuedAt: 0,
          devices: []
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
              obj.listVersion = reader.uint64Number()
              break
            }
            case 3: {
              obj.issuedAt = reader.uint64Number()
              break
            }
            case 4: {
              if (opts.limits?.devices != null && obj.devices.length === opts.limits.devices) {
                throw new MaxLengthError('Decode error - repeated field "devices" had too many elements')
              }

              obj.devices.push(DeviceEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.devices$
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
          devices: 0
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
                field: `${prefix}.listVersion`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.issuedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              if (opts.limits?.devices != null && obj.devices === opts.limits.devices) {
                throw new MaxLengthError('Streaming decode error - repeated field "devices" had too many elements')
              }

              for (const evt of DeviceEntry.codec().stream(reader, reader.uint32(), `${prefix}.devices[]`, {
                limits: opts.limits?.devices$
              })) {
                yield {
                  ...evt,
                  index: obj.devices
                }
              }

              obj.devices++

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

  export interface DeviceListBodyAccountKeyFieldEvent {
    field: '$.accountKey'
    value: Uint8Array
  }

  export interface DeviceListBodyListVersionFieldEvent {
    field: '$.listVersion'
    value: number
  }

  export interface DeviceListBodyIssuedAtFieldEvent {
    field: '$.issuedAt'
    value: number
  }

  export interface DeviceListBodyDevicesCertificateFieldEvent {
    field: '$.devices[].certificate'
    value: Uint8Array
    index: number
  }

  export interface DeviceListBodyDevicesMailboxesRelayPeerIdFieldEvent {
    field: '$.devices[].mailboxes[].relayPeerId'
    value: Uint8Array
    index: number
  }

  export interface DeviceListBodyDevicesMailboxesRelayAddrsFieldEvent {
    field: '$.devices[].mailboxes[].relayAddrs[]'
    index: number
    value: string
  }

  export interface DeviceListBodyDevicesMailboxesMailboxIdFieldEvent {
    field: '$.devices[].mailboxes[].mailboxId'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<DeviceListBody>): Uint8Array {
    return encodeMessage(obj, DeviceListBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListBody>): DeviceListBody {
    return decodeMessage(buf, DeviceListBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceListBody>): Generator<DeviceListBodyAccountKeyFieldEvent | DeviceListBodyListVersionFieldEvent | DeviceListBodyIssuedAtFieldEvent | DeviceListBodyDevicesCertificateFieldEvent | DeviceListBodyDevicesMailboxesRelayPeerIdFieldEvent | DeviceListBodyDevicesMailboxesRelayAddrsFieldEvent | DeviceListBodyDevicesMailboxesMailboxIdFieldEvent> {
    return streamMessage(buf, DeviceListBody.codec(), opts)
  }
}

export enum PreKeyKind {
  PRE_KEY_KIND_UNSPECIFIED = 'PRE_KEY_KIND_UNSPECIFIED',
  SIGNED_X25519 = 'SIGNED_X25519',
  KEM_LAST_RESORT = 'KEM_LAST_RESORT',
  KEM_ONE_TIME = 'KEM_ONE_TIME'
}

enum __PreKeyKindValues {
  PRE_KEY_KIND_UNSPECIFIED = 0,
  SIGNED_X25519 = 1,
  KEM_LAST_RESORT = 2,
  KEM_ONE_TIME = 3
}

export namespace PreKeyKind {
  export const codec = (): Codec<PreKeyKind> => {
    return enumeration<PreKeyKind>(__PreKeyKindValues)
  }
}

export interface PreKeyBody {
  kind: PreKeyKind
  id: number
  publicKey: Uint8Array
  createdAt: number
}

export namespace PreKeyBody {
  let _codec: Codec<PreKeyBody>

  export const codec = (): Codec<PreKeyBody> => {
    if (_codec == null) {
      _codec = message<PreKeyBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __PreKeyKindValues[obj.kind] !== 0) {
          w.uint32(8)
          PreKeyKind.codec().encode(obj.kind, w)
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(16)
          w.uint32(obj.id)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.publicKey)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.createdAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: PreKeyKind.PRE_KEY_KIND_UNSPECIFIED,
          id: 0,
          publicKey: uint8ArrayAlloc(0),
          createdAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = PreKeyKind.codec().decode(reader)
              break
            }
            case 2: {
              obj.id = reader.uint32()
              break
            }
            case 3: {
              obj.publicKey = reader.bytes()
              break
            }
            case 4: {
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
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.kind`,
                value: PreKeyKind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
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

  export interface PreKeyBodyKindFieldEvent {
    field: '$.kind'
    value: PreKeyKind
  }

  export interface PreKeyBodyIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface PreKeyBodyPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export interface PreKeyBodyCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export function encode (obj: Partial<PreKeyBody>): Uint8Array {
    return encodeMessage(obj, PreKeyBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyBody>): PreKeyBody {
    return decodeMessage(buf, PreKeyBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyBody>): Generator<PreKeyBodyKindFieldEvent | PreKeyBodyIdFieldEvent | PreKeyBodyPublicKeyFieldEvent | PreKeyBodyCreatedAtFieldEvent> {
    return streamMessage(buf, PreKeyBody.codec(), opts)
  }
}

export interface OneTimePreKey {
  id: number
  publicKey: Uint8Array
}

export namespace OneTimePreKey {
  let _codec: Codec<OneTimePreKey>

  export const codec = (): Codec<OneTimePreKey> => {
    if (_codec == null) {
      _codec = message<OneTimePreKey>((obj, w, opts = {}) => {
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

  export interface OneTimePreKeyIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface OneTimePreKeyPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<OneTimePreKey>): Uint8Array {
    return encodeMessage(obj, OneTimePreKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OneTimePreKey>): OneTimePreKey {
    return decodeMessage(buf, OneTimePreKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OneTimePreKey>): Generator<OneTimePreKeyIdFieldEvent | OneTimePreKeyPublicKeyFieldEvent> {
    return streamMessage(buf, OneTimePreKey.codec(), opts)
  }
}

export interface PreKeyBundle {
  deviceCertificate: Uint8Array
  signedPreKey: Uint8Array
  kemPreKey: Uint8Array
  oneTimePreKey?: OneTimePreKey
}

export namespace PreKeyBundle {
  let _codec: Codec<PreKeyBundle>

  export const codec = (): Codec<PreKeyBundle> => {
    if (_codec == null) {
      _codec = message<PreKeyBundle>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceCertificate)
        }

        if ((obj.signedPreKey != null && obj.signedPreKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signedPreKey)
        }

        if ((obj.kemPreKey != null && obj.kemPreKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.kemPreKey)
        }

        if (obj.oneTimePreKey != null) {
          w.uint32(34)
          OneTimePreKey.codec().encode(obj.oneTimePreKey, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceCertificate: uint8ArrayAlloc(0),
          signedPreKey: uint8ArrayAlloc(0),
          kemPreKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceCertificate = reader.bytes()
              break
            }
            case 2: {
              obj.signedPreKey = reader.bytes()
              break
            }
            case 3: {
              obj.kemPreKey = reader.bytes()
              break
            }
            case 4: {
              obj.oneTimePreKey = OneTimePreKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.oneTimePreKey
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
                field: `${prefix}.deviceCertificate`,
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
                field: `${prefix}.kemPreKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield * OneTimePreKey.codec().stream(reader, reader.uint32(), `${prefix}.oneTimePreKey`, {
                limits: opts.limits?.oneTimePreKey
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

  export interface PreKeyBundleDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array
  }

  export interface PreKeyBundleSignedPreKeyFieldEvent {
    field: '$.signedPreKey'
    value: Uint8Array
  }

  export interface PreKeyBundleKemPreKeyFieldEvent {
    field: '$.kemPreKey'
    value: Uint8Array
  }

  export interface PreKeyBundleOneTimePreKeyIdFieldEvent {
    field: '$.oneTimePreKey.id'
    value: number
  }

  export interface PreKeyBundleOneTimePreKeyPublicKeyFieldEvent {
    field: '$.oneTimePreKey.publicKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<PreKeyBundle>): Uint8Array {
    return encodeMessage(obj, PreKeyBundle.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyBundle>): PreKeyBundle {
    return decodeMessage(buf, PreKeyBundle.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyBundle>): Generator<PreKeyBundleDeviceCertificateFieldEvent | PreKeyBundleSignedPreKeyFieldEvent | PreKeyBundleKemPreKeyFieldEvent | PreKeyBundleOneTimePreKeyIdFieldEvent | PreKeyBundleOneTimePreKeyPublicKeyFieldEvent> {
    return streamMessage(buf, PreKeyBundle.codec(), opts)
  }
}
