/**
 * Bech32m (BIP-350) strings: a human-readable part, the separator `1`, 5-bit data words and a 6-word
 * BCH checksum. The checksum is an error-detecting code, not a cryptographic primitive: it catches
 * typos (any error in up to 4 characters, in strings of up to 90) so a mistyped account ID is refused
 * rather than naming someone else. Specification: https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki
 * (the polymod and HRP expansion come from BIP-173, the constant 0x2bc830a3 from BIP-350).
 */
import { InvalidAccountIdError } from '../errors.js'
import { BECH32M_CHECKSUM_LENGTH, BECH32M_MAX_LENGTH } from './constants.js'

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const BECH32M_CONST = 0x2bc830a3
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

const CHARSET_INDEX = new Map<string, number>([...CHARSET].map((c, i) => [c, i]))

function polymod(values: readonly number[]): number {
  let chk = 1
  for (const value of values) {
    const top = chk >>> 25
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) {
        chk = (chk ^ GENERATOR[i]!) >>> 0
      }
    }
  }
  return chk
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = []
  for (let i = 0; i < hrp.length; i++) {
    out.push(hrp.charCodeAt(i) >>> 5)
  }
  out.push(0)
  for (let i = 0; i < hrp.length; i++) {
    out.push(hrp.charCodeAt(i) & 31)
  }
  return out
}

/** Encodes `hrp` (lowercase, printable ASCII) and 5-bit `words` as a lowercase bech32m string. */
export function bech32mEncode(hrp: string, words: readonly number[]): string {
  if (hrp.length < 1 || !/^[\x21-\x7e]+$/.test(hrp) || hrp !== hrp.toLowerCase()) {
    throw new InvalidAccountIdError('bech32m: the human-readable part is 1+ lowercase printable characters')
  }
  if (hrp.length + 1 + words.length + BECH32M_CHECKSUM_LENGTH > BECH32M_MAX_LENGTH) {
    throw new InvalidAccountIdError(`bech32m: longer than ${BECH32M_MAX_LENGTH} characters`)
  }
  for (const w of words) {
    if (!Number.isInteger(w) || w < 0 || w > 31) {
      throw new InvalidAccountIdError('bech32m: data words are 5-bit values')
    }
  }
  const mod = polymod([...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ BECH32M_CONST
  let out = `${hrp}1`
  for (const w of words) {
    out += CHARSET[w]
  }
  for (let i = 0; i < BECH32M_CHECKSUM_LENGTH; i++) {
    out += CHARSET[(mod >>> (5 * (5 - i))) & 31]
  }
  return out
}

/**
 * Decodes a bech32m string as BIP-350 specifies: at most 90 characters, each printable US-ASCII
 * (33–126), not mixed case, a non-empty human-readable part before the last `1`, at least 6 data
 * characters, all from the bech32 alphabet, and a valid bech32m checksum. Returns the lowercase HRP
 * and the data words without the checksum. Throws InvalidAccountIdError otherwise.
 */
export function bech32mDecode(text: string): { hrp: string; words: number[] } {
  if (text.length > BECH32M_MAX_LENGTH) {
    throw new InvalidAccountIdError(`bech32m: longer than ${BECH32M_MAX_LENGTH} characters`)
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 33 || code > 126) {
      throw new InvalidAccountIdError('bech32m: a character outside printable ASCII')
    }
  }
  const lower = text.toLowerCase()
  if (text !== lower && text !== text.toUpperCase()) {
    throw new InvalidAccountIdError('bech32m: mixed case')
  }
  const separator = lower.lastIndexOf('1')
  if (separator < 1) {
    throw new InvalidAccountIdError('bech32m: missing separator or empty human-readable part')
  }
  if (lower.length - separator - 1 < BECH32M_CHECKSUM_LENGTH) {
    throw new InvalidAccountIdError('bech32m: checksum too short')
  }
  const hrp = lower.slice(0, separator)
  const data: number[] = []
  for (const c of lower.slice(separator + 1)) {
    const value = CHARSET_INDEX.get(c)
    if (value === undefined) {
      throw new InvalidAccountIdError('bech32m: a character outside the bech32 alphabet')
    }
    data.push(value)
  }
  if (polymod([...hrpExpand(hrp), ...data]) !== BECH32M_CONST) {
    throw new InvalidAccountIdError('bech32m: checksum mismatch (a typo?)')
  }
  return { hrp, words: data.slice(0, data.length - BECH32M_CHECKSUM_LENGTH) }
}

/** Regroups bytes into 5-bit words, zero-padding the last one (BIP-173 `convertbits`, pad = true). */
export function bytesToWords(bytes: Uint8Array): number[] {
  const out: number[] = []
  let acc = 0
  let bits = 0
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xfff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out.push((acc >>> bits) & 31)
    }
  }
  if (bits > 0) {
    out.push((acc << (5 - bits)) & 31)
  }
  return out
}

/**
 * Regroups 5-bit words into bytes (BIP-173 `convertbits`, pad = false): refuses more than 4 padding
 * bits and non-zero padding, so each byte string has exactly one encoding.
 */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const out: number[] = []
  let acc = 0
  let bits = 0
  for (const word of words) {
    acc = ((acc << 5) | word) & 0xfff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out.push((acc >>> bits) & 0xff)
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) !== 0) {
    throw new InvalidAccountIdError('bech32m: invalid padding')
  }
  return Uint8Array.from(out)
}
