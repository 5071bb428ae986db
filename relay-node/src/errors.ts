/**
 * Named errors of the relay node. Each is what an operator sees when the relay cannot start or its
 * configuration is wrong: the message is one clear line that names the file or key and what to do.
 * Errors of the packages underneath (storage, transport) are translated into these at the edge.
 */

/** Base class of every error the relay node throws. */
export class RelayError extends Error {
  override readonly name: string = 'RelayError'
}

/** A configuration value is invalid. `key` names it as the config file spells it (`mailbox.maxTtlMs`). */
export class ConfigError extends RelayError {
  override readonly name = 'ConfigError'
  constructor(
    readonly key: string,
    message: string,
    /** Where the value came from: a file path, an environment variable, or a flag. */
    readonly source?: string,
  ) {
    super(`${source === undefined ? '' : `${source}: `}${key}: ${message}`)
  }
}

/** The command line is wrong (an unknown flag, a missing value). */
export class UsageError extends RelayError {
  override readonly name = 'UsageError'
}

/** The data directory is held by another relay process. */
export class DataDirLockedError extends RelayError {
  override readonly name = 'DataDirLockedError'
}

/** Files in the data directory (the identity key or the database) are corrupt or unreadable. */
export class DataDirCorruptError extends RelayError {
  override readonly name = 'DataDirCorruptError'
}

/** The relay could not start for another reason (a port in use, permissions). */
export class RelayStartError extends RelayError {
  override readonly name = 'RelayStartError'
}

/** A crypto operation the relay never performs was asked of its verification-only provider. */
export class UnsupportedOperationError extends RelayError {
  override readonly name = 'UnsupportedOperationError'
}
