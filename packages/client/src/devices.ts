/**
 * This account's devices: creating the account with this device as its primary, linking a new
 * device (the pairing code and the primary's side, or this device joining), listing and removing
 * devices, and every new version of the account's device list: signed by the primary, committed,
 * published on this device's relays and announced to contacts and this account's other devices.
 *
 * Owns: the account record's creation and this account's device list. Must not know: how messages
 * are sent or received beyond handing an announcement to the outbox.
 */
import {
  type CryptoContext,
  generateDeviceKeys,
  issueDeviceCertificate,
  issueDeviceList,
  type VerifiedDeviceList,
  verifyDeviceList,
} from '@ferry/crypto'
import type { AccountRecord, ClientStore, DeviceAddress } from '@ferry/storage'
import { Content, pad, type pb } from '@ferry/wire'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createHost as platformCreateHost } from '#platform'
import type { AbortOptions, MessengerInit } from './api-types.js'
import { MESSAGE_ID_BYTES } from './constants.js'
import type { Courier } from './courier.js'
import type { DeviceState } from './device-state.js'
import { type DeviceTarget, type Directory, targetsOf } from './directory.js'
import {
  AccountExistsError,
  DeviceListUnavailableError,
  InvalidArgumentError,
  NotPrimaryError,
  NotStartedError,
} from './errors.js'
import { appendEvent } from './event-log.js'
import type { GroupReceiver } from './groups/receive.js'
import {
  type AccountInfo,
  accountInfoOf,
  accountKeyPairOf,
  newMailboxes,
  newPrimaryAccount,
  parseRelays,
  peerIdFromBytes,
  publicMailbox,
  relayAddrsOf,
} from './identity.js'
import {
  acceptLinkResponse,
  decodePairingCode,
  type LinkRequestSeen,
  linkRequest,
  Pairings,
} from './linking.js'
import type { Log } from './log.js'
import { Network } from './network.js'
import type { Outbound } from './outbound.js'
import type { StateQueue } from './state-queue.js'

export interface DevicesInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly state: DeviceState
  readonly directory: Directory
  readonly outbound: Pick<Outbound, 'claimBundles' | 'prepare'>
  readonly courier: Pick<Courier, 'kick'>
  /** Group sender keys rotate when a device leaves this account (FAULTS 35). */
  readonly groups: () => Pick<GroupReceiver, 'devicesRemoved'>
  /** How a device that is joining an account reaches the primary (the messenger's options). */
  readonly host: Pick<MessengerInit, 'createHost' | 'listen' | 'logger'>
  readonly log: Log
}

export class Devices {
  readonly #init: DevicesInit
  readonly #pairings: Pairings

  constructor(init: DevicesInit) {
    this.#init = init
    this.#pairings = new Pairings(init.context)
  }

  /** A new account with this device as its primary, using the given relays (multiaddrs). */
  async createAccount(relays: readonly string[]): Promise<AccountInfo> {
    if (this.#init.state.account !== undefined) {
      throw new AccountExistsError('this device already has an account')
    }
    if (relays.length === 0) {
      throw new InvalidArgumentError('an account needs at least one relay')
    }
    const record = await newPrimaryAccount(this.#init.context, parseRelays(relays))
    return this.#adopt(record)
  }

  /** This account's devices, from its device list. */
  async list(): Promise<Array<{ deviceId: number; current: boolean; createdAt: number }>> {
    const account = this.#init.state.requireAccount()
    const list = await this.#init.directory.known(account.accountKey, account.deviceList?.signed)
    return (list?.devices ?? []).map((d) => ({
      deviceId: d.certificate.deviceId,
      current: d.certificate.deviceId === account.deviceId,
      createdAt: d.certificate.createdAt,
    }))
  }

  /** On the primary: a pairing code and a promise that settles when a device has linked with it. */
  createPairing(options: { approve?: (request: { deviceId: number }) => Promise<boolean> } & AbortOptions): {
    code: string
    completed: Promise<{ deviceId: number }>
  } {
    const account = this.#init.state.requireAccount()
    const network = this.#init.state.requireStarted()
    if (account.accountSecret === undefined) {
      throw new NotPrimaryError('only the primary device can link devices')
    }
    return this.#pairings.open(
      {
        accountKey: account.accountKey,
        primaryPeerId: network.peerId.toMultihash().bytes,
        relayAddrs: relayAddrsOf(account),
      },
      async () =>
        options.approve === undefined ? true : options.approve({ deviceId: this.#nextDeviceId() }),
      async (request) => this.#addDevice(request),
      options.signal,
    )
  }

  /** Answers a link request that reached this device's host (`/ferry/link/1`). */
  handleLinkRequest(request: Uint8Array, peers: { requester: PeerId; primary: PeerId }): Promise<Uint8Array> {
    return this.#pairings.handle(request, peers)
  }

  /** Refuses every pairing code still waiting (the messenger stops). */
  closePairings(): void {
    this.#pairings.closeAll()
  }

  /** On a fresh device: joins the account of the primary that showed `code`. */
  async link(code: string, options: AbortOptions): Promise<AccountInfo> {
    const { context, host: hostInit } = this.#init
    if (this.#init.state.account !== undefined) {
      throw new AccountExistsError('this device already has an account')
    }
    const invite = decodePairingCode(code, context.now())
    const relays = parseRelays(invite.relayAddrs)
    const peerKey = await generateKeyPair('Ed25519')
    const keys = await generateDeviceKeys(context.provider)
    const mailboxes = await newMailboxes(relays)
    const createHost = hostInit.createHost ?? platformCreateHost
    const host = await createHost({
      privateKey: peerKey,
      listen: hostInit.listen,
      relays: [],
      onEnvelope: async () => {
        throw new NotStartedError('not linked yet')
      },
      onLinkRequest: (request, peers) => this.#pairings.handle(request, peers),
      logger: hostInit.logger,
    })
    try {
      const network = new Network(host)
      const primary = peerIdFromBytes(invite.primaryPeerId)
      const newKeys = {
        identityKey: keys.identityKeyPair.publicKey,
        signingKey: keys.signingKeyPair.publicKey,
        mailboxes: mailboxes.map(publicMailbox),
      }
      const request = await linkRequest(context, invite, newKeys, host.peerId, primary)
      const targets = invite.relayAddrs.map((a) => multiaddr(`${a}/p2p-circuit/p2p/${primary}`))
      const response = await network.link.request(targets, request, options)
      const accepted = await acceptLinkResponse(context, invite, newKeys, host.peerId, primary, response)
      const info = await this.#adopt({
        accountKey: invite.accountKey,
        deviceId: accepted.certificate.deviceId,
        identityKeyPair: keys.identityKeyPair,
        signingKeyPair: keys.signingKeyPair,
        certificate: accepted.certificate.bytes,
        peerPrivateKey: privateKeyToProtobuf(peerKey),
        mailboxes,
        deviceList: { signed: accepted.deviceList.bytes, version: accepted.deviceList.listVersion },
        preKeys: { nextOneTimeId: 1, nextKemId: 1, signedPreKeyId: 0, signedPreKeyCreatedAt: 0 },
      })
      this.#init.directory.remember(accepted.deviceList)
      return info
    } finally {
      await Promise.resolve(host.stop()).catch(() => {})
    }
  }

  /** On the primary: a new device-list version without the device, published and announced. */
  async remove(deviceId: number, options: AbortOptions): Promise<void> {
    const account = this.#init.state.requireAccount()
    if (deviceId === account.deviceId) {
      throw new InvalidArgumentError('the primary device cannot remove itself')
    }
    const list = await this.#ownList()
    if (!list.devices.some((d) => d.certificate.deviceId === deviceId)) {
      throw new InvalidArgumentError(`this account has no device ${deviceId}`)
    }
    await this.#commitOwnList(
      list.devices
        .filter((d) => d.certificate.deviceId !== deviceId)
        .map((d) => ({ certificate: d.certificate.bytes, mailboxes: d.mailboxes })),
      list.listVersion + 1,
      { accountKey: account.accountKey, deviceId },
    )
    await this.#announce(options)
  }

  /** This account's other devices (never this one), from the device list last seen in this process. */
  ownTargets(): DeviceTarget[] {
    const account = this.#init.state.requireAccount()
    const list = this.#init.directory.cached(account.accountKey)
    return list === undefined ? [] : targetsOf(list).filter((t) => t.address.deviceId !== account.deviceId)
  }

  /** Puts a signed device list of this account on the relays of each of this device's mailboxes. */
  async publishList(
    network: Network,
    account: AccountRecord,
    signed: Uint8Array,
    options: AbortOptions = {},
  ): Promise<void> {
    await Promise.all(
      account.mailboxes.map((m) =>
        network.deviceLists
          .put(
            m.relayAddrs.map((a) => multiaddr(a)),
            signed,
            options,
          )
          .catch((err: unknown) =>
            this.#init.log('publishing the device list failed: %s', (err as Error).message),
          ),
      ),
    )
  }

  /** Commits the account record of a device that has none yet, and makes it this device's. */
  async #adopt(record: AccountRecord): Promise<AccountInfo> {
    await this.#init.queue.run(async (unit) => {
      if ((await unit.account.get()) !== undefined) {
        throw new AccountExistsError('this device already has an account')
      }
      await unit.account.put(record)
    })
    const account = (await this.#init.store.account.get()) ?? record
    this.#init.state.account = account
    return accountInfoOf(account)
  }

  async #ownList(): Promise<VerifiedDeviceList> {
    const account = this.#init.state.requireAccount()
    const list = await this.#init.directory.known(account.accountKey, account.deviceList?.signed)
    if (list === undefined) {
      throw new DeviceListUnavailableError('this device has no device list for its own account')
    }
    return list
  }

  #nextDeviceId(): number {
    const list = this.#init.directory.cached(this.#init.state.requireAccount().accountKey)
    return Math.max(0, ...(list?.devices.map((d) => d.certificate.deviceId) ?? [])) + 1
  }

  /** The primary's side of linking: certify the device, sign and commit the new list, announce it. */
  async #addDevice(
    request: LinkRequestSeen,
  ): Promise<{ certificate: Uint8Array; deviceList: Uint8Array; deviceId: number }> {
    const account = this.#init.state.requireAccount()
    const accountKeyPair = await accountKeyPairOf(this.#init.context, account)
    if (accountKeyPair === undefined) {
      throw new NotPrimaryError('only the primary device can link devices')
    }
    const list = await this.#ownList()
    const deviceId = this.#nextDeviceId()
    const certificate = await issueDeviceCertificate(this.#init.context, accountKeyPair, {
      deviceId,
      signingKey: request.body.signingKey,
      identityKey: request.body.identityKey,
      peerId: request.requester.toMultihash().bytes,
    })
    const signed = await this.#commitOwnList(
      [
        ...list.devices.map((d) => ({ certificate: d.certificate.bytes, mailboxes: d.mailboxes })),
        { certificate, mailboxes: request.body.mailboxes },
      ],
      list.listVersion + 1,
    )
    this.#announce().catch((err: unknown) => {
      this.#init.log('announcing the new device list failed: %s', (err as Error).message)
    })
    return { certificate, deviceList: signed, deviceId }
  }

  /** Signs, commits and publishes a new version of this account's device list (primary only). */
  async #commitOwnList(
    devices: Array<{ certificate: Uint8Array; mailboxes: readonly pb.Mailbox[] }>,
    listVersion: number,
    removed?: DeviceAddress,
  ): Promise<Uint8Array> {
    const { context, state } = this.#init
    const account = state.requireAccount()
    const accountKeyPair = await accountKeyPairOf(context, account)
    if (accountKeyPair === undefined) {
      throw new NotPrimaryError('only the primary device manages devices')
    }
    const signed = await issueDeviceList(context, accountKeyPair, {
      listVersion,
      devices: devices.map((d) => ({ certificate: d.certificate, mailboxes: [...d.mailboxes] })),
    })
    const verified = await verifyDeviceList(context, signed, { accountKey: account.accountKey })
    await this.#init.queue.run(async (unit) => {
      const current = (await unit.account.get()) ?? account
      await unit.account.put({ ...current, deviceList: { signed, version: listVersion } })
      if (removed !== undefined) {
        await unit.crypto.sessions.deleteSession(removed)
        // FAULTS 35: group sender keys rotate, so the removed device reads nothing new
        await this.#init.groups().devicesRemoved(unit, account.accountKey)
      }
      await appendEvent(unit, {
        type: 'device-list',
        account: account.accountKey,
        version: listVersion,
        devices: verified.devices.map((d) => d.certificate.deviceId),
      })
    })
    state.account = (await this.#init.store.account.get()) ?? state.account
    this.#init.directory.remember(verified)
    const network = state.network
    if (network !== undefined) {
      await this.publishList(network, account, signed)
    }
    return signed
  }

  /** Sends this account's current device list to every contact's devices and this account's other devices. */
  async #announce(options: AbortOptions = {}): Promise<void> {
    const { context, directory, outbound, state } = this.#init
    const account = state.requireAccount()
    if (account.deviceList === undefined || state.network === undefined) {
      return
    }
    const targets: DeviceTarget[] = [...this.ownTargets()]
    for (const contact of await this.#init.store.contacts.list()) {
      const list = await directory
        .known(contact.accountKey, contact.deviceList?.signed)
        .catch(() => undefined)
      if (list !== undefined) {
        targets.push(...targetsOf(list))
      }
    }
    if (targets.length === 0) {
      return
    }
    const bundles = await outbound.claimBundles(targets, options)
    const id = context.provider.randomBytes(MESSAGE_ID_BYTES)
    const plaintext = pad(
      Content.encode({
        messageId: id,
        sentAt: context.now(),
        deviceListUpdate: { deviceList: account.deviceList.signed },
      }),
    )
    await this.#init.queue.run((unit) => outbound.prepare(unit, id, targets, plaintext, bundles))
    this.#init.courier.kick()
  }
}
