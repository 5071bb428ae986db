/**
 * The stored format of group records (versioned like every client record). Envelope keys are secret:
 * decoded records print none of them.
 */

import { MAX_GROUP_MEMBERS } from '@ferry/wire'
import { ByteReader } from '../binary.js'
import { InvalidRequestError } from '../errors.js'
import { checkCount, RecordWriter, readBool, readCount, readString } from './codec.js'
import {
  ACCOUNT_KEY_BYTES,
  CLIENT_ID_BYTES,
  CLIENT_RECORD_VERSION,
  MAX_CONTACT_NAME_BYTES,
  MAX_GROUP_DEVICES,
  MAX_GROUP_KEYS,
} from './constants.js'
import type { DeviceAddress, GroupRecord } from './types.js'

const GROUP_KEY_BYTES = 32
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

export function encodeGroup(g: GroupRecord): Uint8Array {
  if (typeof g !== 'object' || g === null) {
    throw new InvalidRequestError('a group record is missing')
  }
  checkCount(g.members, MAX_GROUP_MEMBERS, 'group members')
  checkCount(g.keys, MAX_GROUP_KEYS, 'group keys')
  checkCount(g.distributedTo, MAX_GROUP_DEVICES, 'group devices')
  const w = new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .fixed(g.groupId, CLIENT_ID_BYTES, 'a group ID')
    .string(g.name, MAX_CONTACT_NAME_BYTES, 'a group name')
    .u64(g.revision, 'a group revision')
    .u64(g.createdAt, 'createdAt')
    .bool(g.left)
    .u32(g.members.length)
  for (const m of g.members) {
    w.fixed(m.accountKey, ACCOUNT_KEY_BYTES, "a member's account key").bool(m.admin)
  }
  w.u32(g.keys.length)
  for (const k of g.keys) {
    w.u32(k.keyId).fixed(k.key, GROUP_KEY_BYTES, 'a group envelope key')
  }
  w.u32(g.distributedTo.length)
  for (const d of g.distributedTo) {
    w.fixed(d.accountKey, ACCOUNT_KEY_BYTES, 'an account key').u32(d.deviceId)
  }
  return w.finish()
}

export function decodeGroup(bytes: Uint8Array): GroupRecord {
  const r = new ByteReader(bytes, 'group')
  r.version(CLIENT_RECORD_VERSION)
  const groupId = r.bytes(CLIENT_ID_BYTES)
  const name = readString(r, MAX_CONTACT_NAME_BYTES)
  const revision = r.u64()
  const createdAt = r.u64()
  const left = readBool(r)
  const members = Array.from({ length: readCount(r, MAX_GROUP_MEMBERS) }, () => ({
    accountKey: r.bytes(ACCOUNT_KEY_BYTES),
    admin: readBool(r),
  }))
  const keys = Array.from({ length: readCount(r, MAX_GROUP_KEYS) }, () => ({
    keyId: r.u32(),
    key: r.bytes(GROUP_KEY_BYTES),
  }))
  const distributedTo: DeviceAddress[] = Array.from({ length: readCount(r, MAX_GROUP_DEVICES) }, () => ({
    accountKey: r.bytes(ACCOUNT_KEY_BYTES),
    deviceId: r.u32(),
  }))
  r.end()
  const record = { groupId, name, revision, members, keys, createdAt, left, distributedTo }
  Object.defineProperties(record, {
    toJSON: { value: () => ({ name, revision, members: members.length, keys: '[redacted]' }) },
    [INSPECT]: { value: () => `Group [${members.length} members, keys redacted]` },
  })
  return record
}
