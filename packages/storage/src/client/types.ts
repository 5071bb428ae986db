/**
 * The records of the client stores and the shapes of their views. The crypto store shapes repeat
 * @ferry/crypto's interfaces (packages/crypto/src/stores.ts) structurally, because storage may not
 * import crypto; a type-level test checks that they still fit.
 */

// ------------------------------------------------------------------------------ shared shapes

/** A device of an account: its 32-byte Ed25519 account key and its device number (u32). */
export interface DeviceAddress {
  readonly accountKey: Uint8Array
  readonly deviceId: number
}

export interface KeyPair {
  readonly publicKey: Uint8Array
  readonly secretKey: Uint8Array
}

/** A signed device list (framed Signed(DeviceListBody)) and the version it carries. */
export interface SignedDeviceList {
  readonly signed: Uint8Array
  readonly version: number
}

// ------------------------------------------------------------------------------ crypto stores

export type IdentityChange = 'new' | 'unchanged' | 'changed'

export interface IdentityStoreView {
  getIdentity(address: DeviceAddress): Promise<Uint8Array | undefined>
  /** Trust on first use: 'new' saves, 'unchanged' does nothing, 'changed' saves nothing. */
  saveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<IdentityChange>
  approveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<void>
}

export interface SessionStoreView {
  loadSession(address: DeviceAddress): Promise<Uint8Array | undefined>
  storeSession(address: DeviceAddress, record: Uint8Array): Promise<void>
  deleteSession(address: DeviceAddress): Promise<void>
}

export interface PreKeyStoreView {
  loadSignedPreKey(id: number): Promise<KeyPair | undefined>
  storeSignedPreKey(id: number, keyPair: KeyPair): Promise<void>
  loadKemPreKey(id: number): Promise<{ keyPair: KeyPair; lastResort: boolean } | undefined>
  storeKemPreKey(id: number, keyPair: KeyPair, lastResort: boolean): Promise<void>
  /** Deletes a one-time KEM pre-key; a last-resort key is left in place. */
  removeKemPreKey(id: number): Promise<void>
  loadOneTimePreKey(id: number): Promise<KeyPair | undefined>
  storeOneTimePreKey(id: number, keyPair: KeyPair): Promise<void>
  removeOneTimePreKey(id: number): Promise<void>
  /** False when this (KEM key, signed key, base key) triple was recorded before: a replay. */
  markLastResortUse(kemPreKeyId: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<boolean>
}

export interface SenderKeyStoreView {
  loadSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<Uint8Array | undefined>
  storeSenderKey(sender: DeviceAddress, distributionId: Uint8Array, record: Uint8Array): Promise<void>
  deleteSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<void>
}

/** What @ferry/crypto calls CryptoStores. */
export interface CryptoStoreViews {
  readonly identities: IdentityStoreView
  readonly sessions: SessionStoreView
  readonly preKeys: PreKeyStoreView
  readonly senderKeys: SenderKeyStoreView
}

// ------------------------------------------------------------------------------ account

/** One of this device's mailboxes: on which relay, and the key that proves ownership of it. */
export interface AccountMailbox {
  /** The relay's PeerId as multihash bytes. */
  readonly relayPeerId: Uint8Array
  readonly relayAddrs: readonly string[]
  /** Protobuf bytes of the libp2p Ed25519 private key of this mailbox. Secret. */
  readonly mailboxKey: Uint8Array
  readonly mailboxId: Uint8Array
}

export interface PreKeyCounters {
  /** The ID the next one-time X25519 pre-key gets. */
  readonly nextOneTimeId: number
  /** The ID the next ML-KEM pre-key gets. */
  readonly nextKemId: number
  /** The current signed pre-key and when it was made (for rotation). */
  readonly signedPreKeyId: number
  readonly signedPreKeyCreatedAt: number
}

/**
 * This device's own identity. Secrets are plain bytes here (the client wraps them in its own
 * redacting types); the record this store returns prints none of them: its `toString`, `toJSON` and
 * Node's `inspect` are redacted.
 */
export interface AccountRecord {
  readonly accountKey: Uint8Array
  /** The account's Ed25519 secret key: only on the primary device. Secret. */
  readonly accountSecret?: Uint8Array
  readonly deviceId: number
  readonly identityKeyPair: KeyPair
  readonly signingKeyPair: KeyPair
  /** Framed Signed(DeviceCertificateBody). */
  readonly certificate: Uint8Array
  /** Protobuf bytes of the device's libp2p private key. Secret. */
  readonly peerPrivateKey: Uint8Array
  readonly mailboxes: readonly AccountMailbox[]
  /** The account's device list as last signed or accepted. */
  readonly deviceList?: SignedDeviceList
  readonly preKeys: PreKeyCounters
}

// ------------------------------------------------------------------------------ contacts

export interface ContactRecord {
  readonly accountKey: Uint8Array
  readonly name?: string
  readonly addedAt: number
  /** Relay multiaddrs from the invite, used until a device list is known. */
  readonly relays: readonly string[]
  /** The contact's device list: the highest verified version seen. */
  readonly deviceList?: SignedDeviceList
  /** When the user compared safety numbers. */
  readonly verifiedAt?: number
}

// ------------------------------------------------------------------------------ groups

export interface GroupMemberRecord {
  readonly accountKey: Uint8Array
  readonly admin: boolean
}

export interface GroupKeyRecord {
  /** Random per key epoch; names the key in group envelopes. */
  readonly keyId: number
  /** The 32-byte envelope key. Secret. */
  readonly key: Uint8Array
}

export interface GroupRecord {
  /** 16 random bytes. */
  readonly groupId: Uint8Array
  readonly name: string
  /** Strictly increasing with every membership change. */
  readonly revision: number
  readonly members: readonly GroupMemberRecord[]
  /** Envelope keys, newest first, at most MAX_GROUP_KEYS. */
  readonly keys: readonly GroupKeyRecord[]
  readonly createdAt: number
  /** This account left or was removed: nothing is sent or accepted any more. */
  readonly left: boolean
  /** Devices known to hold this device's current sender key for the group. */
  readonly distributedTo: readonly DeviceAddress[]
}

// ------------------------------------------------------------------------------ messages

export type MessageDirection = 'in' | 'out'
/** Per recipient device of an outgoing message; only ever moves forward in this order. */
export type DeliveryStatus = 'pending' | 'stored' | 'delivered' | 'read'

export interface RecipientStatus {
  readonly device: DeviceAddress
  readonly status: DeliveryStatus
}

export interface MessageRecord {
  readonly messageId: Uint8Array
  /** The peer's 32-byte account key, or a 16-byte group ID. */
  readonly conversation: Uint8Array
  readonly direction: MessageDirection
  readonly sender: DeviceAddress
  readonly text: string
  /** The sender's clock (may be skewed). */
  readonly sentAt: number
  /** This device's clock; history is ordered by (receivedAt, messageId). */
  readonly receivedAt: number
  /** Outgoing messages: one entry per recipient device. Empty for incoming ones. */
  readonly recipients: readonly RecipientStatus[]
}

/** A position in a conversation's history: any message record is one. */
export interface HistoryPosition {
  readonly receivedAt: number
  readonly messageId: Uint8Array
}

export interface HistoryOptions {
  /** At most this many messages (clamped to MAX_HISTORY_PAGE). */
  readonly limit: number
  /** Only messages strictly older than this position (the first message of the previous page). */
  readonly before?: HistoryPosition
}

// ------------------------------------------------------------------------------ outbox

export type OutboxState = 'pending' | 'stored' | 'delivered'

export interface OutboxMailbox {
  readonly relayPeerId: Uint8Array
  readonly relayAddrs: readonly string[]
  readonly mailboxId: Uint8Array
}

export interface OutboxEntry {
  readonly messageId: Uint8Array
  readonly recipient: DeviceAddress
  readonly envelopeId: Uint8Array
  /** The sealed envelope, produced once: every retry resends these exact bytes. */
  readonly envelope: Uint8Array
  readonly mailboxes: readonly OutboxMailbox[]
  readonly state: OutboxState
  readonly attempts: number
  readonly nextAttemptAt: number
  readonly createdAt: number
}

export type OutboxUpdate = Partial<Pick<OutboxEntry, 'state' | 'attempts' | 'nextAttemptAt' | 'mailboxes'>>

export interface PendingOptions {
  readonly limit: number
  /** Only entries whose nextAttemptAt is at or before this time. */
  readonly dueBy?: number
}

// ------------------------------------------------------------------------------ events

/** An event as appended in a unit: its cursor is assigned when the unit commits. */
export interface EventDraft {
  readonly type: string
  readonly payload: Uint8Array
}

export interface StoredEvent extends EventDraft {
  /** Strictly increasing across commits and restarts; never reused. Starts at 1. */
  readonly cursor: number
}

// ------------------------------------------------------------------------------ results

export interface PruneResult {
  readonly removed: number
  /** True when more entries are due: call again. */
  readonly more: boolean
}

export interface CommitResult {
  /** The unit's events with their cursors, in append order. Tell listeners only now. */
  readonly events: readonly StoredEvent[]
}

/**
 * For a write keyed by an ID the caller has just drawn at random (16 bytes from the CSPRNG): no record
 * under it can exist, so the write does not look up a previous one (a database read saved). Never pass
 * it for an ID that came from elsewhere (a peer, a stored record).
 */
export interface FreshOptions {
  readonly fresh?: boolean
}
