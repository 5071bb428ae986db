/**
 * The relay's version, as `--version` prints it and `ferry_relay_build_info` reports it. A test keeps
 * it equal to relay-node/package.json's `version`.
 */
export const RELAY_VERSION = '0.1.0'
