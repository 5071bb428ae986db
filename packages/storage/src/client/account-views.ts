/**
 * The account record (one per device) and the contacts, keyed by account key. Readers work on the
 * database or on a unit; writers only on a unit.
 */
import { upperBound } from '../database.js'
import { type ClientKeys, TAG } from './keys.js'
import { decodeAccount, decodeContact, encodeAccount, encodeContact } from './records-account.js'
import type { StoredAccount } from './redacted.js'
import type { Sink, Source } from './source.js'
import type { AccountRecord, ContactRecord } from './types.js'

export class AccountReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  /** This device's account, or undefined before one was created or joined. */
  async get(): Promise<StoredAccount | undefined> {
    const stored = await this.source.get(this.keys.account())
    return stored === undefined ? undefined : decodeAccount(stored)
  }
}

export class AccountView extends AccountReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /** Replaces the account record. */
  async put(account: AccountRecord): Promise<void> {
    this.store.put(this.keys.account(), encodeAccount(account))
  }
}

export class ContactsReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  async get(accountKey: Uint8Array): Promise<ContactRecord | undefined> {
    const stored = await this.source.get(this.keys.contact(accountKey))
    return stored === undefined ? undefined : decodeContact(stored)
  }

  /** Every contact, ordered by account key. */
  async list(): Promise<ContactRecord[]> {
    const prefix = this.keys.prefix(TAG.contact)
    const out: ContactRecord[] = []
    for await (const [, value] of this.source.entries({ gte: prefix, lt: upperBound(prefix) })) {
      out.push(decodeContact(value))
    }
    return out
  }
}

export class ContactsView extends ContactsReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /** Adds or replaces the contact with this account key. */
  async put(contact: ContactRecord): Promise<void> {
    const value = encodeContact(contact)
    this.store.put(this.keys.contact(contact.accountKey), value)
  }

  async delete(accountKey: Uint8Array): Promise<void> {
    this.store.del(this.keys.contact(accountKey))
  }
}
