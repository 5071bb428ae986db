/**
 * Device lists: this account's own and its contacts'. Fetches them from relays, verifies them
 * (account signature, strictly newer version: FAULTS 32, 34), keeps the newest in the contact record,
 * and turns them into the devices a message must reach.
 *
 * Owns: which devices an account has, and where each can be reached. Must not know: sessions or
 * delivery.
 */
import {
  type CryptoContext,
  InvalidSignatureError,
  StaleRecordError,
  toHex,
  type VerifiedDeviceList,
  verifyDeviceList,
} from '@ferry/crypto'
import type { ClientStore, ClientUnit, ContactRecord, DeviceAddress, OutboxMailbox } from '@ferry/storage'
import { equalBytes } from '@ferry/wire'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { DEVICE_LIST_REFRESH_MS, MAX_DEPOSIT_RELAYS } from './constants.js'
import { DeviceListUnavailableError } from './errors.js'
import { peerIdFromBytes } from './identity.js'
import type { Log } from './log.js'
import type { Network } from './network.js'

/** A device a message must reach: who it is, the key it is sealed to, where it can be found. */
export interface DeviceTarget {
  readonly address: DeviceAddress
  readonly identityKey: Uint8Array
  readonly peerId: PeerId
  readonly mailboxes: readonly OutboxMailbox[]
}

/** One device as a map key: its account key in hex and its device number. */
export function deviceKey(address: DeviceAddress): string {
  return `${toHex(address.accountKey)}.${address.deviceId}`
}

export function targetsOf(list: VerifiedDeviceList): DeviceTarget[] {
  return list.devices.map((device) => ({
    address: { accountKey: list.accountKey, deviceId: device.certificate.deviceId },
    identityKey: device.certificate.identityKey,
    peerId: peerIdFromBytes(device.certificate.peerId),
    mailboxes: device.mailboxes.slice(0, MAX_DEPOSIT_RELAYS).map((m) => ({
      relayPeerId: m.relayPeerId,
      relayAddrs: [...m.relayAddrs],
      mailboxId: m.mailboxId,
    })),
  }))
}

export interface DirectoryInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly network: () => Network | undefined
  readonly log: Log
}

export type AcceptOutcome = 'accepted' | 'stale' | 'invalid'

export class Directory {
  readonly #init: DirectoryInit
  /** Verified lists by account key (hex): checked once, used for every message. */
  readonly #verified = new Map<string, VerifiedDeviceList>()
  /** When each account's list was last fetched from relays. */
  readonly #fetchedAt = new Map<string, number>()

  constructor(init: DirectoryInit) {
    this.#init = init
  }

  /** The verified device list recorded for an account (own or contact), if any. */
  async known(
    accountKey: Uint8Array,
    signed: Uint8Array | undefined,
  ): Promise<VerifiedDeviceList | undefined> {
    if (signed === undefined) {
      return undefined
    }
    const key = toHex(accountKey)
    const cached = this.#verified.get(key)
    // the same bytes read again from the store are not verified again
    if (cached !== undefined && (cached.bytes === signed || equalBytes(cached.bytes, signed))) {
      return cached
    }
    const list = await verifyDeviceList(this.#init.context, signed, { accountKey })
    this.#verified.set(key, list)
    return list
  }

  /**
   * A contact's devices: the recorded list, fetched again from relays when missing, older than
   * DEVICE_LIST_REFRESH_MS, or when `refresh` asks for it.
   */
  async contactList(
    contact: ContactRecord,
    options: { refresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<VerifiedDeviceList> {
    const key = toHex(contact.accountKey)
    const now = this.#init.context.now()
    const stale = now - (this.#fetchedAt.get(key) ?? 0) > DEVICE_LIST_REFRESH_MS
    let list = await this.known(contact.accountKey, contact.deviceList?.signed)
    if (list === undefined || stale || options.refresh === true) {
      const fetched = await this.fetch(
        contact.accountKey,
        relaysOf(contact, list),
        list?.listVersion ?? 0,
        options,
      )
      if (fetched !== undefined) {
        list = fetched
      }
    }
    if (list === undefined) {
      throw new DeviceListUnavailableError('no device list could be found for this account on its relays')
    }
    return list
  }

  /**
   * Asks each relay for the account's list and returns the newest valid one that is newer than
   * `knownVersion` (a relay can withhold a list, never forge one). Unreachable relays are skipped.
   */
  async fetch(
    accountKey: Uint8Array,
    relays: readonly string[],
    knownVersion: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<VerifiedDeviceList | undefined> {
    const network = this.#init.network()
    if (network === undefined) {
      return undefined
    }
    const found = await Promise.all(
      relays.map(async (addr) => {
        try {
          const bytes = await network.deviceLists.get(multiaddr(addr), accountKey, options)
          return bytes === undefined
            ? undefined
            : await verifyDeviceList(this.#init.context, bytes, { accountKey, knownVersion })
        } catch (err) {
          if (!(err instanceof StaleRecordError)) {
            this.#init.log('device list from %s refused or unreachable: %s', addr, (err as Error).message)
          }
          return undefined
        }
      }),
    )
    this.#fetchedAt.set(toHex(accountKey), this.#init.context.now())
    let best: VerifiedDeviceList | undefined
    for (const list of found) {
      if (list !== undefined && (best === undefined || list.listVersion > best.listVersion)) {
        best = list
      }
    }
    if (best !== undefined) {
      this.#verified.set(toHex(accountKey), best)
    }
    return best
  }

  /**
   * Records a device list for a contact inside a unit of work when it verifies under the contact's
   * account key and is newer than the recorded one. Sessions with devices that left the list are
   * deleted (FAULTS 35: nothing new is encrypted to a removed device).
   */
  async acceptForContact(
    unit: ClientUnit,
    contact: ContactRecord,
    signed: Uint8Array,
  ): Promise<AcceptOutcome> {
    const known = await this.known(contact.accountKey, contact.deviceList?.signed).catch(() => undefined)
    let list: VerifiedDeviceList
    try {
      list = await verifyDeviceList(this.#init.context, signed, {
        accountKey: contact.accountKey,
        knownVersion: known?.listVersion ?? 0,
      })
    } catch (err) {
      if (err instanceof StaleRecordError) {
        return 'stale'
      }
      if (err instanceof InvalidSignatureError || (err as Error).name !== undefined) {
        this.#init.log('device list refused: %s', (err as Error).message)
        return 'invalid'
      }
      throw err
    }
    if (known !== undefined) {
      const kept = new Set(list.devices.map((d) => d.certificate.deviceId))
      for (const device of known.devices) {
        if (!kept.has(device.certificate.deviceId)) {
          await unit.crypto.sessions.deleteSession({
            accountKey: contact.accountKey,
            deviceId: device.certificate.deviceId,
          })
        }
      }
    }
    await unit.contacts.put({ ...contact, deviceList: { signed: list.bytes, version: list.listVersion } })
    this.#verified.set(toHex(contact.accountKey), list)
    return 'accepted'
  }

  /** True when this account's list was fetched from relays less than DEVICE_LIST_REFRESH_MS ago. */
  fetchedRecently(accountKey: Uint8Array): boolean {
    return this.#init.context.now() - (this.#fetchedAt.get(toHex(accountKey)) ?? 0) <= DEVICE_LIST_REFRESH_MS
  }

  /** The verified list last seen for an account in this process, if any. */
  cached(accountKey: Uint8Array): VerifiedDeviceList | undefined {
    return this.#verified.get(toHex(accountKey))
  }

  /** Remembers a verified list (after it was committed elsewhere, e.g. this account's own). */
  remember(list: VerifiedDeviceList): void {
    this.#verified.set(toHex(list.accountKey), list)
  }

  /** The PeerId of a device of a known account, for direct delivery. */
  async peerIdOf(address: DeviceAddress): Promise<PeerId | undefined> {
    const list = this.#verified.get(toHex(address.accountKey))
    const device = list?.devices.find((d) => d.certificate.deviceId === address.deviceId)
    return device === undefined ? undefined : peerIdFromBytes(device.certificate.peerId)
  }
}

/** Where to look for a contact's list: the relays its devices list, then the invite's relays. */
function relaysOf(contact: ContactRecord, list: VerifiedDeviceList | undefined): string[] {
  const out = new Set<string>()
  for (const device of list?.devices ?? []) {
    for (const mailbox of device.mailboxes) {
      for (const addr of mailbox.relayAddrs) {
        out.add(addr)
      }
    }
  }
  for (const addr of contact.relays) {
    out.add(addr)
  }
  return [...out]
}
