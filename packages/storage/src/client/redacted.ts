/**
 * Records with secrets, as this store hands them out: key pairs, mailboxes and the account print no
 * secret bytes through `toString`, `toJSON` or Node's `inspect` (the same behaviour as @ferry/crypto's
 * RedactedKeyPair). The bytes stay readable by name (`pair.secretKey`), which makes every use visible.
 */
import type { AccountMailbox, AccountRecord, KeyPair, PreKeyCounters, SignedDeviceList } from './types.js'

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

export class StoredKeyPair implements KeyPair {
  constructor(
    readonly publicKey: Uint8Array,
    readonly secretKey: Uint8Array,
  ) {}

  toString(): string {
    return 'KeyPair [secret redacted]'
  }

  toJSON(): { publicKey: string; secretKey: string } {
    return { publicKey: `${this.publicKey.byteLength} bytes`, secretKey: '[redacted]' }
  }

  [INSPECT](): string {
    return this.toString()
  }
}

export class StoredMailbox implements AccountMailbox {
  constructor(
    readonly relayPeerId: Uint8Array,
    readonly relayAddrs: readonly string[],
    readonly mailboxKey: Uint8Array,
    readonly mailboxId: Uint8Array,
  ) {}

  toString(): string {
    return 'Mailbox [key redacted]'
  }

  toJSON(): { relayAddrs: readonly string[]; mailboxKey: string } {
    return { relayAddrs: this.relayAddrs, mailboxKey: '[redacted]' }
  }

  [INSPECT](): string {
    return this.toString()
  }
}

export class StoredAccount implements AccountRecord {
  readonly accountKey: Uint8Array
  readonly accountSecret?: Uint8Array
  readonly deviceId: number
  readonly identityKeyPair: StoredKeyPair
  readonly signingKeyPair: StoredKeyPair
  readonly certificate: Uint8Array
  readonly peerPrivateKey: Uint8Array
  readonly mailboxes: readonly StoredMailbox[]
  readonly deviceList?: SignedDeviceList
  readonly preKeys: PreKeyCounters

  constructor(fields: {
    accountKey: Uint8Array
    accountSecret: Uint8Array | undefined
    deviceId: number
    identityKeyPair: StoredKeyPair
    signingKeyPair: StoredKeyPair
    certificate: Uint8Array
    peerPrivateKey: Uint8Array
    mailboxes: StoredMailbox[]
    deviceList: SignedDeviceList | undefined
    preKeys: PreKeyCounters
  }) {
    this.accountKey = fields.accountKey
    if (fields.accountSecret !== undefined) {
      this.accountSecret = fields.accountSecret
    }
    this.deviceId = fields.deviceId
    this.identityKeyPair = fields.identityKeyPair
    this.signingKeyPair = fields.signingKeyPair
    this.certificate = fields.certificate
    this.peerPrivateKey = fields.peerPrivateKey
    this.mailboxes = fields.mailboxes
    if (fields.deviceList !== undefined) {
      this.deviceList = fields.deviceList
    }
    this.preKeys = fields.preKeys
  }

  toString(): string {
    return `Account [device ${this.deviceId}, secrets redacted]`
  }

  toJSON(): { deviceId: number; primary: boolean; secrets: string } {
    return { deviceId: this.deviceId, primary: this.accountSecret !== undefined, secrets: '[redacted]' }
  }

  [INSPECT](): string {
    return this.toString()
  }
}
