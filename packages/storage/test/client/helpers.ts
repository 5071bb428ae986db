/**
 * Test support for the client stores: deterministic IDs and addresses, record builders, a spy and
 * fault injector on `db.batch`, and temp directories for classic-level.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryLevel } from 'memory-level'
import type {
  AccountRecord,
  ContactRecord,
  Database,
  DeviceAddress,
  MessageRecord,
  OutboxEntry,
} from '../../src/index.js'

/** `length` bytes: a tag byte, then `n` big-endian at the end. */
export function bytes(length: number, n: number, tag = 0xa0): Uint8Array {
  const out = new Uint8Array(length)
  out[0] = tag
  new DataView(out.buffer).setUint32(length - 4, n)
  return out
}

export const id = (n: number): Uint8Array => bytes(16, n, 0x1d)
export const accountKey = (n: number): Uint8Array => bytes(32, n, 0xac)
export const address = (account: number, deviceId = 1): DeviceAddress => ({
  accountKey: accountKey(account),
  deviceId,
})
export const groupId = (n: number): Uint8Array => bytes(16, n, 0x6e)

export function message(n: number, fields: Partial<MessageRecord> = {}): MessageRecord {
  return {
    messageId: id(n),
    conversation: accountKey(1),
    direction: 'in',
    sender: address(1, 1),
    text: `message ${n}`,
    sentAt: 1_000 + n,
    receivedAt: 2_000 + n,
    recipients: [],
    ...fields,
  }
}

export function outboxEntry(
  n: number,
  recipient: DeviceAddress,
  fields: Partial<OutboxEntry> = {},
): OutboxEntry {
  return {
    messageId: id(n),
    recipient,
    envelopeId: bytes(16, n, 0xee),
    envelope: new Uint8Array(100).fill(n & 0xff),
    mailboxes: [
      { relayPeerId: bytes(38, 1, 0x00), relayAddrs: ['/ip4/127.0.0.1/tcp/4001'], mailboxId: bytes(32, n) },
    ],
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 5_000 + n,
    createdAt: 4_000,
    ...fields,
  }
}

export function contact(n: number, fields: Partial<ContactRecord> = {}): ContactRecord {
  return {
    accountKey: accountKey(n),
    name: `contact ${n}`,
    addedAt: 3_000,
    relays: ['/dns4/relay.example/tcp/443/wss'],
    ...fields,
  }
}

/** An account whose secret fields are recognisable byte runs (0x5a...), for redaction checks. */
export function account(fields: Partial<AccountRecord> = {}): AccountRecord {
  return {
    accountKey: accountKey(7),
    accountSecret: new Uint8Array(32).fill(0x5a),
    deviceId: 1,
    identityKeyPair: { publicKey: new Uint8Array(32).fill(1), secretKey: new Uint8Array(32).fill(0x5b) },
    signingKeyPair: { publicKey: new Uint8Array(32).fill(2), secretKey: new Uint8Array(32).fill(0x5c) },
    certificate: new Uint8Array(200).fill(3),
    peerPrivateKey: new Uint8Array(68).fill(0x5d),
    mailboxes: [
      {
        relayPeerId: bytes(38, 9, 0x00),
        relayAddrs: ['/ip4/127.0.0.1/tcp/4001', '/ip4/127.0.0.1/tcp/4002/ws'],
        mailboxKey: new Uint8Array(68).fill(0x5e),
        mailboxId: bytes(32, 9),
      },
    ],
    deviceList: { signed: new Uint8Array(300).fill(4), version: 3 },
    preKeys: {
      nextOneTimeId: 101,
      nextKemId: 51,
      signedPreKeyId: 2,
      signedPreKeyCreatedAt: 1_700_000_000_000,
    },
    ...fields,
  }
}

export function memoryDb(): Database {
  return new MemoryLevel()
}

export interface BatchSpy {
  /** The options of every array-form `db.batch` call, in order. */
  calls: Array<{ operations: number; options: unknown }>
  /** Chained batches opened (`db.batch()` without arguments). */
  chained: number
  /** Fails the next this many array batches before anything is written. */
  failNext: number
}

/** Wraps `db.batch`: records every call, and rejects the next `failNext` like a full disk would. */
export function spyBatches(db: Database): BatchSpy {
  const spy: BatchSpy = { calls: [], chained: 0, failNext: 0 }
  const original = db.batch.bind(db) as (...args: unknown[]) => unknown
  const patched = (...args: unknown[]): unknown => {
    if (args.length === 0) {
      spy.chained++
      return original()
    }
    spy.calls.push({ operations: (args[0] as unknown[]).length, options: args[1] })
    if (spy.failNext > 0) {
      spy.failNext--
      return Promise.reject(
        Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }),
      )
    }
    return original(...args)
  }
  Object.defineProperty(db, 'batch', { value: patched, configurable: true, writable: true })
  return spy
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ferry-client-store-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
