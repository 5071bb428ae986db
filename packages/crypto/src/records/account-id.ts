/**
 * Account IDs and invite links: the human-shareable forms of an account's Ed25519 public key. An
 * account ID is the key in bech32m with the prefix `ferry` (64 characters, `ferry1…`), so a typo is
 * detected instead of naming someone else. An invite is a `ferry://invite/<accountId>` link that may
 * also list relays where the account can be reached. Both are parsed as hostile input: bounded first,
 * then checked, with typed errors only.
 */
import { MAX_ADDR_LENGTH, MAX_RELAY_ADDRS } from '@ferry/wire'
import { InvalidAccountIdError, InvalidInviteError, InvalidKeyError } from '../errors.js'
import { bech32mDecode, bech32mEncode, bytesToWords, wordsToBytes } from './bech32m.js'
import { ACCOUNT_ID_HRP, INVITE_PREFIX, MAX_INVITE_LENGTH } from './constants.js'
import { assertEd25519PublicKey, PUBLIC_KEY_BYTES } from './keys.js'

/** The account ID of an account key: lowercase bech32m, HRP `ferry`, 64 characters. */
export function accountIdFromKey(accountKey: Uint8Array): string {
  try {
    assertEd25519PublicKey(accountKey, 'account key')
  } catch (err) {
    if (err instanceof InvalidKeyError) {
      throw new InvalidAccountIdError(err.message)
    }
    throw err
  }
  return bech32mEncode(ACCOUNT_ID_HRP, bytesToWords(accountKey))
}

/**
 * Parses an account ID (surrounding whitespace ignored; all-lowercase or all-uppercase, as bech32m
 * allows, so it also survives a QR code's alphanumeric mode) and returns the 32-byte account key.
 * Throws InvalidAccountIdError for any typo (bad checksum), another prefix, a wrong length, mixed case,
 * non-zero padding, or a key of small order.
 */
export function parseAccountId(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new InvalidAccountIdError('account ID: not a string')
  }
  return decodeAccountId(text.trim())
}

function decodeAccountId(text: string): Uint8Array {
  const { hrp, words } = bech32mDecode(text)
  if (hrp !== ACCOUNT_ID_HRP) {
    throw new InvalidAccountIdError(`account ID: expected the prefix ${ACCOUNT_ID_HRP}1`)
  }
  const key = wordsToBytes(words)
  if (key.byteLength !== PUBLIC_KEY_BYTES) {
    throw new InvalidAccountIdError(
      `account ID: names ${key.byteLength} bytes, not a ${PUBLIC_KEY_BYTES}-byte key`,
    )
  }
  try {
    assertEd25519PublicKey(key, 'account key')
  } catch (err) {
    if (err instanceof InvalidKeyError) {
      throw new InvalidAccountIdError(`account ID: ${err.message}`)
    }
    throw err
  }
  return key
}

// ---------------------------------------------------------------------------------------- invites

export interface Invite {
  readonly accountKey: Uint8Array
  /** Relay multiaddrs (strings) where the account's devices have mailboxes; may be empty. */
  readonly relays: readonly string[]
}

const RELAY_PARAM = 'relay'

/**
 * A relay address as an invite carries it: a multiaddr string, so it starts with `/`, at most
 * MAX_ADDR_LENGTH bytes, printable ASCII only (no spaces, control or bidirectional-override characters
 * that could disguise a link; DNS names in multiaddrs are ASCII/punycode). The transport parses it fully.
 */
function checkRelay(addr: string): void {
  if (addr.length === 0 || addr.length > MAX_ADDR_LENGTH) {
    throw new InvalidInviteError(`invite: a relay address is 1 to ${MAX_ADDR_LENGTH} characters`)
  }
  if (!/^\/[\x21-\x7e]*$/.test(addr)) {
    throw new InvalidInviteError('invite: a relay address is a multiaddr of printable ASCII')
  }
}

function checkRelays(relays: readonly string[]): void {
  if (relays.length > MAX_RELAY_ADDRS) {
    throw new InvalidInviteError(`invite: at most ${MAX_RELAY_ADDRS} relays`)
  }
  const seen = new Set<string>()
  for (const relay of relays) {
    checkRelay(relay)
    if (seen.has(relay)) {
      throw new InvalidInviteError('invite: a relay is listed twice')
    }
    seen.add(relay)
  }
}

/**
 * Builds `ferry://invite/<accountId>?relay=<multiaddr>&relay=…` (each multiaddr percent-encoded).
 * Throws InvalidInviteError for more than MAX_RELAY_ADDRS relays, a malformed or duplicate relay, or a
 * link longer than MAX_INVITE_LENGTH; InvalidAccountIdError for an unusable key.
 */
export function formatInvite(invite: Invite): string {
  const id = accountIdFromKey(invite.accountKey)
  checkRelays(invite.relays)
  const query = invite.relays.map((relay) => `${RELAY_PARAM}=${encodeURIComponent(relay)}`).join('&')
  const link = `${INVITE_PREFIX}${id}${query === '' ? '' : `?${query}`}`
  if (link.length > MAX_INVITE_LENGTH) {
    throw new InvalidInviteError(`invite: longer than ${MAX_INVITE_LENGTH} characters`)
  }
  return link
}

/**
 * Parses an invite link, or a bare account ID (then with no relays). The length is checked first.
 * Scheme and host match case-insensitively; query parameters other than `relay` are ignored (later
 * versions may add some), a fragment is refused. Throws InvalidInviteError for a malformed link and
 * InvalidAccountIdError for a bad account ID; nothing else.
 */
export function parseInvite(text: string): Invite {
  if (typeof text !== 'string') {
    throw new InvalidInviteError('invite: not a string')
  }
  if (text.length > MAX_INVITE_LENGTH) {
    throw new InvalidInviteError(`invite: longer than ${MAX_INVITE_LENGTH} characters`)
  }
  const trimmed = text.trim()
  if (!trimmed.toLowerCase().startsWith('ferry:')) {
    return { accountKey: parseAccountId(trimmed), relays: [] }
  }
  if (trimmed.slice(0, INVITE_PREFIX.length).toLowerCase() !== INVITE_PREFIX) {
    throw new InvalidInviteError(`invite: expected a link starting with ${INVITE_PREFIX}`)
  }
  const rest = trimmed.slice(INVITE_PREFIX.length)
  if (rest.includes('#')) {
    throw new InvalidInviteError('invite: unexpected fragment')
  }
  const question = rest.indexOf('?')
  const id = question === -1 ? rest : rest.slice(0, question)
  const accountKey = decodeAccountId(id)
  const relays: string[] = []
  if (question !== -1) {
    for (const param of rest.slice(question + 1).split('&')) {
      const equals = param.indexOf('=')
      if (equals < 1) {
        throw new InvalidInviteError('invite: malformed query parameter')
      }
      if (param.slice(0, equals) !== RELAY_PARAM) {
        continue
      }
      if (relays.length === MAX_RELAY_ADDRS) {
        throw new InvalidInviteError(`invite: at most ${MAX_RELAY_ADDRS} relays`)
      }
      let relay: string
      try {
        relay = decodeURIComponent(param.slice(equals + 1))
      } catch {
        throw new InvalidInviteError('invite: malformed percent-encoding')
      }
      relays.push(relay)
    }
  }
  checkRelays(relays)
  return { accountKey, relays }
}
