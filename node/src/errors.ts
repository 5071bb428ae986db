/**
 * Errors of the `ferry` command and daemon, and the exit code each one maps to. Errors of the
 * messenger (`@ferry/client`) are mapped by their `name`, so the same table serves an error thrown in
 * this process and one the daemon reports over JSON-RPC.
 */

/** Exit codes of `ferry` (documented in node/README.md). */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A runtime failure: the network, a relay, the store, or anything unexpected. */
  FAILURE: 1,
  /** The command line is wrong: unknown command or flag, a missing or malformed argument. */
  USAGE: 2,
  /** The account state does not allow it: no account yet, one already exists, not the primary device. */
  ACCOUNT: 3,
  /** What was named does not exist: a contact, a message, a device. */
  NOT_FOUND: 4,
  /** The data directory is in use: a daemon already runs on it, or another process holds its store. */
  IN_USE: 5,
  /** A contact's identity key changed: compare safety numbers, then accept with `verify --approve`. */
  UNTRUSTED: 6,
  /** `send` returned before every recipient device was covered (the outbox keeps trying). */
  INCOMPLETE: 7,
  /** Interrupted by SIGINT or SIGTERM before the command finished. */
  INTERRUPTED: 130,
} as const

export class CliError extends Error {
  override readonly name: string = 'CliError'
}

/** The command line is wrong. */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError'
}

/**
 * The data directory has no account. Named as the messenger's own error for the same case, so that a
 * script sees one name whichever side noticed.
 */
export class NoAccountError extends CliError {
  override readonly name: string = 'NoAccountError'
}

/** The data directory already has an account (init, link join). Named as the messenger's error. */
export class AccountExistsError extends CliError {
  override readonly name: string = 'AccountExistsError'
}

/** A daemon already runs on the data directory, or another process holds its store. */
export class DataDirInUseError extends CliError {
  override readonly name: string = 'DataDirInUseError'
}

/** The data directory cannot host the daemon's socket (its path is too long for a Unix socket). */
export class SocketPathError extends CliError {
  override readonly name: string = 'SocketPathError'
}

/** A message ID or device number that this device does not know. */
export class NotFoundError extends CliError {
  override readonly name: string = 'NotFoundError'
}

/** `send` returned with some recipient device not yet covered. */
export class IncompleteError extends CliError {
  override readonly name: string = 'IncompleteError'
}

/** The safety number given to `verify --approve` is not the current one. */
export class SafetyNumberMismatchError extends CliError {
  override readonly name: string = 'SafetyNumberMismatchError'
}

/** The daemon broke the JSON-RPC protocol, or the connection to it was lost mid-command. */
export class DaemonConnectionError extends CliError {
  override readonly name: string = 'DaemonConnectionError'
}

/** The command was interrupted by a signal. */
export class InterruptedError extends CliError {
  override readonly name: string = 'InterruptedError'
}

/** An error the daemon reported: it keeps the name of the error thrown there. */
export class RemoteError extends CliError {
  override readonly name: string

  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

const EXIT_BY_NAME: Readonly<Record<string, number>> = {
  UsageError: EXIT.USAGE,
  InvalidArgumentError: EXIT.USAGE,
  InvalidInviteError: EXIT.USAGE,
  InvalidAccountIdError: EXIT.USAGE,
  NoAccountError: EXIT.ACCOUNT,
  AccountExistsError: EXIT.ACCOUNT,
  RelinkRequiredError: EXIT.ACCOUNT,
  NotPrimaryError: EXIT.ACCOUNT,
  UnknownContactError: EXIT.NOT_FOUND,
  UnknownGroupError: EXIT.NOT_FOUND,
  NotGroupAdminError: EXIT.ACCOUNT,
  NotGroupMemberError: EXIT.ACCOUNT,
  NotFoundError: EXIT.NOT_FOUND,
  DataDirInUseError: EXIT.IN_USE,
  StoreLockedError: EXIT.IN_USE,
  IdentityChangedError: EXIT.UNTRUSTED,
  SafetyNumberMismatchError: EXIT.UNTRUSTED,
  IncompleteError: EXIT.INCOMPLETE,
  InterruptedError: EXIT.INTERRUPTED,
  AbortError: EXIT.INTERRUPTED,
}

/** The exit code of an error, by its name; FAILURE for anything not in the table. */
export function exitCodeOf(err: unknown): number {
  const name = nameOf(err)
  return EXIT_BY_NAME[name] ?? EXIT.FAILURE
}

export function nameOf(err: unknown): string {
  const name = (err as { name?: unknown } | undefined)?.name
  return typeof name === 'string' && name !== '' ? name : 'Error'
}

/** The error's message on one line (a reason that spans lines is cut at the first). */
export function oneLine(err: unknown): string {
  const message = (err as { message?: unknown } | undefined)?.message
  const text = typeof message === 'string' && message !== '' ? message : String(err)
  return text.split('\n')[0]!.trim()
}
