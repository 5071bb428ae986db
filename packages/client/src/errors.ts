/**
 * Errors of the messenger core. Callers branch on `err.name`.
 */

export class MessengerError extends Error {
  override readonly name: string = 'MessengerError'
}

/** This device has no account yet: create one or link this device to an existing account. */
export class NoAccountError extends MessengerError {
  override readonly name: string = 'NoAccountError'
}

/** An account already exists in this store. */
export class AccountExistsError extends MessengerError {
  override readonly name: string = 'AccountExistsError'
}

/**
 * The store holds data but no account record (storage evicted or damaged): this device must be
 * linked again rather than silently given a new identity (FAULTS 38).
 */
export class RelinkRequiredError extends MessengerError {
  override readonly name: string = 'RelinkRequiredError'
}

/** The peer is not a contact (add it first, with an invite that names its relays). */
export class UnknownContactError extends MessengerError {
  override readonly name: string = 'UnknownContactError'
}

/** No valid device list could be found for the account. */
export class DeviceListUnavailableError extends MessengerError {
  override readonly name: string = 'DeviceListUnavailableError'
}

/** The messenger is not started (or was stopped). */
export class NotStartedError extends MessengerError {
  override readonly name: string = 'NotStartedError'
}

/** The operation needs the account key, which only the primary device holds. */
export class NotPrimaryError extends MessengerError {
  override readonly name: string = 'NotPrimaryError'
}

/** The argument is out of range (text too long, unknown device number, ...). */
export class InvalidArgumentError extends MessengerError {
  override readonly name: string = 'InvalidArgumentError'
}

/**
 * A contact's device presented a new identity key. Nothing is sent to that device until the user
 * accepts the new key (`approveIdentity`).
 */
export class IdentityChangedError extends MessengerError {
  override readonly name: string = 'IdentityChangedError'
  constructor(
    message: string,
    readonly accountKey: Uint8Array,
    readonly deviceId: number,
  ) {
    super(message)
  }
}

/** A pairing code was malformed, expired, or refused by the other device. */
export class LinkError extends MessengerError {
  override readonly name: string = 'LinkError'
}

/** No group with that ID or name on this device. */
export class UnknownGroupError extends MessengerError {
  override readonly name: string = 'UnknownGroupError'
}

/** Only a group's admins change its membership. */
export class NotGroupAdminError extends MessengerError {
  override readonly name: string = 'NotGroupAdminError'
}

/** This account is not (or no longer) a member of the group. */
export class NotGroupMemberError extends MessengerError {
  override readonly name: string = 'NotGroupMemberError'
}

/** The group changed while a change was being prepared (another admin, another device): try again. */
export class GroupChangedError extends MessengerError {
  override readonly name: string = 'GroupChangedError'
}

/**
 * A group envelope under an envelope key this device does not hold (from a group it is not in, or
 * left, or sealed after it was removed): refused, not stored.
 */
export class UnknownGroupKeyError extends MessengerError {
  override readonly name: string = 'UnknownGroupKeyError'
}
