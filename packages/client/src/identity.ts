/**
 * This device's identity: creating a primary account, turning the stored account record into the
 * keys the crypto and transport layers use, and the conversions between Ferry's byte identifiers and
 * libp2p's PeerIds and multiaddrs.
 *
 * Owns: what a fresh account consists of (account key, device keys, certificate, libp2p key, one
 * mailbox key per relay, the first device list, the first pre-keys). Must not know: delivery.
 */
import {
  AccountKeyPair,
  accountIdFromKey,
  type CryptoContext,
  createLocalDevice,
  formatInvite,
  issueDeviceList,
  type LocalDevice,
} from '@ferry/crypto'
import type { AccountMailbox, AccountRecord } from '@ferry/storage'
import { mailboxIdFor } from '@ferry/transport'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromMultihash, peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { PRIMARY_DEVICE_ID } from './constants.js'
import { InvalidArgumentError } from './errors.js'

/** What the user sees of their own account. */
export interface AccountInfo {
  /** The shareable account ID (`ferry1…`, with a checksum). */
  readonly accountId: string
  readonly deviceId: number
  /** An invite link naming this account and its relays. */
  readonly invite: string
  /** This device's relays (multiaddrs). */
  readonly relays: readonly string[]
  /** True on the primary device, which holds the account key and manages devices. */
  readonly primary: boolean
  /** This device's libp2p PeerId. */
  readonly peerId: string
}

/** A relay as a device lists it: its PeerId and its addresses. */
export interface RelayAddress {
  readonly peerId: PeerId
  readonly addrs: readonly string[]
}

/** Parses relay multiaddrs (each ending in /p2p/<relay PeerId>), grouped by relay. */
export function parseRelays(addrs: readonly string[]): RelayAddress[] {
  const byPeer = new Map<string, { peerId: PeerId; addrs: string[] }>()
  for (const text of addrs) {
    let peer: string | undefined
    try {
      peer = multiaddr(text)
        .getComponents()
        .findLast((c) => c.name === 'p2p')?.value
    } catch (err) {
      throw new InvalidArgumentError(`not a multiaddr: ${text} (${(err as Error).message})`)
    }
    if (peer === undefined) {
      throw new InvalidArgumentError(`a relay address must end in /p2p/<relay peer id>: ${text}`)
    }
    const entry = byPeer.get(peer) ?? { peerId: peerIdFromString(peer), addrs: [] }
    entry.addrs.push(text)
    byPeer.set(peer, entry)
  }
  return [...byPeer.values()]
}

export function peerIdFromBytes(bytes: Uint8Array): PeerId {
  return peerIdFromMultihash(Digest.decode(bytes))
}

/** A new mailbox on each relay: a fresh Ed25519 key used for nothing else, and its mailbox ID. */
export async function newMailboxes(relays: readonly RelayAddress[]): Promise<AccountMailbox[]> {
  return Promise.all(
    relays.map(async (relay) => {
      const key = await generateKeyPair('Ed25519')
      return {
        relayPeerId: relay.peerId.toMultihash().bytes,
        relayAddrs: [...relay.addrs],
        mailboxKey: privateKeyToProtobuf(key),
        mailboxId: await mailboxIdFor(key.publicKey.raw, relay.peerId),
      }
    }),
  )
}

export interface NewDevice {
  readonly local: LocalDevice
  readonly peerKey: PrivateKey
  readonly mailboxes: AccountMailbox[]
}

/** Fresh device keys, libp2p key and mailboxes, certified by `account` as device `deviceId`. */
export async function newDevice(
  ctx: CryptoContext,
  account: AccountKeyPair,
  deviceId: number,
  relays: readonly RelayAddress[],
): Promise<NewDevice> {
  const peerKey = await generateKeyPair('Ed25519')
  const local = await createLocalDevice(ctx, account, {
    deviceId,
    peerId: peerIdFromPrivateKey(peerKey).toMultihash().bytes,
  })
  return { local, peerKey, mailboxes: await newMailboxes(relays) }
}

/** The account record of a new primary device with its first device list (version 1). */
export async function newPrimaryAccount(
  ctx: CryptoContext,
  relays: readonly RelayAddress[],
): Promise<AccountRecord> {
  const account = await AccountKeyPair.generate(ctx.provider)
  const device = await newDevice(ctx, account, PRIMARY_DEVICE_ID, relays)
  const deviceList = await issueDeviceList(ctx, account, {
    listVersion: 1,
    devices: [{ certificate: device.local.certificate, mailboxes: device.mailboxes.map(publicMailbox) }],
  })
  return {
    accountKey: account.publicKey,
    accountSecret: account.secret.bytes,
    deviceId: PRIMARY_DEVICE_ID,
    identityKeyPair: device.local.identityKeyPair,
    signingKeyPair: device.local.signingKeyPair,
    certificate: device.local.certificate,
    peerPrivateKey: privateKeyToProtobuf(device.peerKey),
    mailboxes: device.mailboxes,
    deviceList: { signed: deviceList, version: 1 },
    preKeys: { nextOneTimeId: 1, nextKemId: 1, signedPreKeyId: 0, signedPreKeyCreatedAt: 0 },
  }
}

/** A mailbox as it appears in a device list: no key. */
export function publicMailbox(mailbox: AccountMailbox): {
  relayPeerId: Uint8Array
  relayAddrs: string[]
  mailboxId: Uint8Array
} {
  return {
    relayPeerId: mailbox.relayPeerId,
    relayAddrs: [...mailbox.relayAddrs],
    mailboxId: mailbox.mailboxId,
  }
}

export function localDeviceOf(record: AccountRecord): LocalDevice {
  return {
    address: { accountKey: record.accountKey, deviceId: record.deviceId },
    identityKeyPair: record.identityKeyPair,
    signingKeyPair: record.signingKeyPair,
    certificate: record.certificate,
  }
}

export function peerKeyOf(record: AccountRecord): PrivateKey {
  return privateKeyFromProtobuf(record.peerPrivateKey)
}

export function mailboxKeyOf(mailbox: AccountMailbox): PrivateKey {
  return privateKeyFromProtobuf(mailbox.mailboxKey)
}

export async function accountKeyPairOf(
  ctx: CryptoContext,
  record: AccountRecord,
): Promise<AccountKeyPair | undefined> {
  return record.accountSecret === undefined
    ? undefined
    : AccountKeyPair.fromSecret(ctx.provider, record.accountSecret)
}

export function relayAddrsOf(record: AccountRecord): string[] {
  return record.mailboxes.flatMap((m) => m.relayAddrs)
}

export function accountInfoOf(record: AccountRecord): AccountInfo {
  const relays = relayAddrsOf(record)
  return {
    accountId: accountIdFromKey(record.accountKey),
    deviceId: record.deviceId,
    invite: formatInvite({ accountKey: record.accountKey, relays }),
    relays,
    primary: record.accountSecret !== undefined,
    peerId: peerIdFromPrivateKey(peerKeyOf(record)).toString(),
  }
}
