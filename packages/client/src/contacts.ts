/**
 * Contacts and who a call names: adding a contact (its device list fetched from its relays and
 * verified), listing them, resolving an account ID, invite link or contact name to a contact (and, for
 * a conversation, a group ID or name too), the safety number of a contact, and accepting a contact's
 * changed identity keys (releasing the messages held meanwhile).
 *
 * Owns: contact records and name resolution. Must not know: how messages are sent.
 */
import { type CryptoContext, constantTimeEqual, parseInvite, safetyNumber } from '@ferry/crypto'
import type { ClientStore, ContactRecord, DeviceAddress, GroupRecord } from '@ferry/storage'
import type { AbortOptions } from './api-types.js'
import type { DeviceState } from './device-state.js'
import type { Directory } from './directory.js'
import { InvalidArgumentError, UnknownContactError } from './errors.js'
import { groupIdOf } from './groups/views.js'
import { relayAddrsOf } from './identity.js'
import { IDENTITY_HOLD, type Inbound } from './inbound.js'
import type { StateQueue } from './state-queue.js'
import { type Contact, contactOf } from './views.js'

export interface ContactsInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly state: DeviceState
  readonly directory: Directory
  readonly inbound: Pick<Inbound, 'receive'>
  /** A group by ID or name (UnknownGroupError otherwise), for conversations. */
  readonly group: (ref: string) => Promise<GroupRecord>
}

export class Contacts {
  readonly #init: ContactsInit

  constructor(init: ContactsInit) {
    this.#init = init
  }

  /** Adds (or renames) a contact from an account ID or an invite link; fetches its device list. */
  async add(idOrInvite: string, options: { name?: string } & AbortOptions): Promise<Contact> {
    const { context, directory, store } = this.#init
    const account = this.#init.state.requireAccount()
    const invite = parseInvite(idOrInvite)
    if (constantTimeEqual(invite.accountKey, account.accountKey)) {
      throw new InvalidArgumentError('that is this account')
    }
    const existing = await store.contacts.get(invite.accountKey)
    const relays = [...new Set([...(existing?.relays ?? []), ...invite.relays])]
    const searched = relays.length > 0 ? relays : relayAddrsOf(account)
    const list = await directory
      .fetch(invite.accountKey, searched, existing?.deviceList?.version ?? 0, options)
      .catch(() => undefined)
    await this.#init.queue.run(async (unit) => {
      const current = (await unit.contacts.get(invite.accountKey)) ?? {
        accountKey: invite.accountKey,
        addedAt: context.now(),
        relays,
      }
      const named = {
        ...current,
        relays,
        ...(options.name === undefined ? {} : { name: options.name }),
      }
      await unit.contacts.put(named)
      if (list !== undefined) {
        await directory.acceptForContact(unit, named, list.bytes)
      }
    })
    const stored = await store.contacts.get(invite.accountKey)
    if (stored === undefined) {
      throw new UnknownContactError('the contact could not be stored')
    }
    return this.#view(stored)
  }

  async list(): Promise<Contact[]> {
    const out: Contact[] = []
    for (const contact of await this.#init.store.contacts.list()) {
      out.push(await this.#view(contact))
    }
    return out
  }

  /** A contact by account ID, invite link, or name. */
  async get(who: string): Promise<Contact> {
    return this.#view(await this.record(who))
  }

  /** The stored contact named by an account ID, an invite link, or a contact's name. */
  async record(who: string): Promise<ContactRecord> {
    const accountKey = await this.#accountKeyOf(who)
    const contact = await this.#init.store.contacts.get(accountKey)
    if (contact === undefined) {
      throw new UnknownContactError(`not a contact: ${shorten(who)}`)
    }
    return contact
  }

  /** The conversation named by an account ID, invite, group ID, contact name or group name. */
  async conversationOf(who: string): Promise<Uint8Array> {
    const groupId = groupIdOf(who)
    if (groupId !== undefined && (await this.#init.store.groups.get(groupId)) !== undefined) {
      return groupId
    }
    try {
      return await this.#accountKeyOf(who)
    } catch (err) {
      if (!(err instanceof UnknownContactError)) {
        throw err
      }
      return (await this.#init.group(who).catch(() => Promise.reject(err))).groupId
    }
  }

  /** The safety number of this account and a contact: 60 digits and a QR payload. */
  async safetyNumber(who: string): Promise<{ digits: string; qr: Uint8Array }> {
    const contact = await this.record(who)
    return safetyNumber(
      this.#init.context,
      { accountKey: this.#init.state.requireAccount().accountKey },
      { accountKey: contact.accountKey },
    )
  }

  /** Accepts a contact's changed identity keys; the messages held because of the change are received. */
  async approveIdentity(who: string): Promise<void> {
    const contact = await this.record(who)
    const list = await this.#init.directory.contactList(contact).catch(() => undefined)
    const devices = list?.devices ?? []
    const held: Array<{ address: DeviceAddress; envelopes: Uint8Array[] }> = []
    await this.#init.queue.run(async (unit) => {
      for (const device of devices) {
        const address = { accountKey: contact.accountKey, deviceId: device.certificate.deviceId }
        const known = await unit.crypto.identities.getIdentity(address)
        if (known !== undefined && !constantTimeEqual(known, device.certificate.identityKey)) {
          await unit.crypto.identities.approveIdentity(address, device.certificate.identityKey)
          await unit.crypto.sessions.deleteSession(address)
        }
        held.push({ address, envelopes: await unit.held.take(address, IDENTITY_HOLD) })
      }
    })
    for (const { envelopes } of held) {
      for (const envelope of envelopes) {
        await this.#init.inbound.receive(this.#init.context.provider.randomBytes(16), envelope, {
          held: true,
        })
      }
    }
  }

  /** The account key named by an account ID, an invite link, or a contact's name. */
  async #accountKeyOf(who: string): Promise<Uint8Array> {
    try {
      return parseInvite(who).accountKey
    } catch {
      const byName = (await this.#init.store.contacts.list()).find((c) => c.name === who)
      if (byName === undefined) {
        throw new UnknownContactError(`not an account ID, an invite or a contact's name: ${shorten(who)}`)
      }
      return byName.accountKey
    }
  }

  async #view(record: ContactRecord): Promise<Contact> {
    return contactOf(record, await this.#init.directory.known(record.accountKey, record.deviceList?.signed))
  }
}

/** What an error message repeats of a name the caller gave (never more than 80 characters). */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}
