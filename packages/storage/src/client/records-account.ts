/**
 * Stored formats of the account record (this device's identity, keys, mailboxes, own device list and
 * pre-key counters) and of contact records. Decoded accounts and mailboxes are redacting objects.
 */
import { MAILBOX_ID_BYTES } from '@ferry/wire'
import { ByteReader } from '../binary.js'
import { InvalidRequestError } from '../errors.js'
import { checkCount, RecordWriter, readCount, readOptional, readString, readStrings } from './codec.js'
import {
  ACCOUNT_KEY_BYTES,
  CLIENT_RECORD_VERSION,
  MAX_CONTACT_NAME_BYTES,
  MAX_KEY_BYTES,
  MAX_SMALL_RECORD_BYTES,
  MAX_STORED_ADDR_BYTES,
  MAX_STORED_DEVICE_LIST_BYTES,
  MAX_STORED_MAILBOXES,
  MAX_STORED_PEER_ID_BYTES,
  MAX_STORED_RELAY_ADDRS,
} from './constants.js'
import { readKeyPair, writeKeyPair } from './records-crypto.js'
import { StoredAccount, StoredMailbox } from './redacted.js'
import type { AccountRecord, ContactRecord, SignedDeviceList } from './types.js'

function writeDeviceList(w: RecordWriter, list: SignedDeviceList): void {
  w.blob(list.signed, MAX_STORED_DEVICE_LIST_BYTES, 'a device list').u64(
    list.version,
    'a device-list version',
  )
}

function readDeviceList(r: ByteReader): SignedDeviceList {
  return { signed: r.blob(MAX_STORED_DEVICE_LIST_BYTES), version: r.u64() }
}

export function encodeAccount(a: AccountRecord): Uint8Array {
  if (typeof a !== 'object' || a === null) {
    throw new InvalidRequestError('an account record is missing')
  }
  const w = new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .fixed(a.accountKey, ACCOUNT_KEY_BYTES, 'the account key')
    .optional(a.accountSecret, (w, s) => w.blob(s, MAX_KEY_BYTES, 'the account secret'))
  if (!Number.isInteger(a.deviceId) || a.deviceId < 0 || a.deviceId > 0xffffffff) {
    throw new InvalidRequestError('the device ID must be a u32')
  }
  w.u32(a.deviceId)
  writeKeyPair(w, a.identityKeyPair)
  writeKeyPair(w, a.signingKeyPair)
  w.blob(a.certificate, MAX_SMALL_RECORD_BYTES, 'the certificate')
  w.blob(a.peerPrivateKey, MAX_SMALL_RECORD_BYTES, 'the libp2p private key')
  checkCount(a.mailboxes, MAX_STORED_MAILBOXES, 'mailboxes')
  w.u32(a.mailboxes.length)
  for (const m of a.mailboxes) {
    w.blob(m.relayPeerId, MAX_STORED_PEER_ID_BYTES, 'a relay PeerId')
      .strings(m.relayAddrs, MAX_STORED_RELAY_ADDRS, MAX_STORED_ADDR_BYTES, 'relay addresses')
      .blob(m.mailboxKey, MAX_SMALL_RECORD_BYTES, 'a mailbox key')
      .fixed(m.mailboxId, MAILBOX_ID_BYTES, 'a mailbox ID')
  }
  w.optional(a.deviceList, writeDeviceList)
  const p = a.preKeys
  if (typeof p !== 'object' || p === null) {
    throw new InvalidRequestError('pre-key counters are missing')
  }
  for (const [n, what] of [
    [p.nextOneTimeId, 'nextOneTimeId'],
    [p.nextKemId, 'nextKemId'],
    [p.signedPreKeyId, 'signedPreKeyId'],
  ] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new InvalidRequestError(`${what} must be a u32`)
    }
    w.u32(n)
  }
  return w.u64(p.signedPreKeyCreatedAt, 'signedPreKeyCreatedAt').finish()
}

export function decodeAccount(bytes: Uint8Array): StoredAccount {
  const r = new ByteReader(bytes, 'account')
  r.version(CLIENT_RECORD_VERSION)
  const accountKey = r.bytes(ACCOUNT_KEY_BYTES)
  const accountSecret = readOptional(r, () => r.blob(MAX_KEY_BYTES))
  const deviceId = r.u32()
  const identityKeyPair = readKeyPair(r)
  const signingKeyPair = readKeyPair(r)
  const certificate = r.blob(MAX_SMALL_RECORD_BYTES)
  const peerPrivateKey = r.blob(MAX_SMALL_RECORD_BYTES)
  const mailboxes: StoredMailbox[] = []
  for (let i = readCount(r, MAX_STORED_MAILBOXES); i > 0; i--) {
    mailboxes.push(
      new StoredMailbox(
        r.blob(MAX_STORED_PEER_ID_BYTES),
        readStrings(r, MAX_STORED_RELAY_ADDRS, MAX_STORED_ADDR_BYTES),
        r.blob(MAX_SMALL_RECORD_BYTES),
        r.bytes(MAILBOX_ID_BYTES),
      ),
    )
  }
  const deviceList = readOptional(r, () => readDeviceList(r))
  const preKeys = {
    nextOneTimeId: r.u32(),
    nextKemId: r.u32(),
    signedPreKeyId: r.u32(),
    signedPreKeyCreatedAt: r.u64(),
  }
  r.end()
  return new StoredAccount({
    accountKey,
    accountSecret,
    deviceId,
    identityKeyPair,
    signingKeyPair,
    certificate,
    peerPrivateKey,
    mailboxes,
    deviceList,
    preKeys,
  })
}

export function encodeContact(c: ContactRecord): Uint8Array {
  if (typeof c !== 'object' || c === null) {
    throw new InvalidRequestError('a contact record is missing')
  }
  return new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .fixed(c.accountKey, ACCOUNT_KEY_BYTES, "a contact's account key")
    .optional(c.name, (w, name) => w.string(name, MAX_CONTACT_NAME_BYTES, 'a contact name'))
    .u64(c.addedAt, 'addedAt')
    .strings(c.relays, MAX_STORED_RELAY_ADDRS, MAX_STORED_ADDR_BYTES, "a contact's relays")
    .optional(c.deviceList, writeDeviceList)
    .optional(c.verifiedAt, (w, at) => w.u64(at, 'verifiedAt'))
    .finish()
}

export function decodeContact(bytes: Uint8Array): ContactRecord {
  const r = new ByteReader(bytes, 'contact')
  r.version(CLIENT_RECORD_VERSION)
  const accountKey = r.bytes(ACCOUNT_KEY_BYTES)
  const name = readOptional(r, () => readString(r, MAX_CONTACT_NAME_BYTES))
  const addedAt = r.u64()
  const relays = readStrings(r, MAX_STORED_RELAY_ADDRS, MAX_STORED_ADDR_BYTES)
  const deviceList = readOptional(r, () => readDeviceList(r))
  const verifiedAt = readOptional(r, () => r.u64())
  r.end()
  return {
    accountKey,
    ...(name === undefined ? {} : { name }),
    addedAt,
    relays,
    ...(deviceList === undefined ? {} : { deviceList }),
    ...(verifiedAt === undefined ? {} : { verifiedAt }),
  }
}
