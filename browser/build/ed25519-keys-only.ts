/**
 * A Vite plugin for browser builds: libp2p keys other than Ed25519 are refused instead of parsed.
 *
 * Every libp2p key in Ferry is Ed25519 (device peers, mailbox keys, relays: all made with
 * `generateKeyPair('Ed25519')`). @libp2p/crypto nevertheless bundles RSA, secp256k1 and ECDSA key
 * support (DER parsing, the secp256k1 curve and noble's Weierstrass code: about 9.5 KiB gzip of the
 * browser bundle) because its key functions switch over every type. The plugin replaces the four
 * modules that hold that support with modules exporting the same names: constants keep their values,
 * functions throw UnsupportedKeyTypeError (rejecting, for async ones). A peer presenting another key
 * type is refused during its handshake, as it would be with an unknown type. Ed25519 keys never
 * reach these modules: @libp2p/crypto routes them by type or by length (32 bytes) first.
 *
 * A module of another shape (an export form the plugin does not know) stops the build rather than
 * ship a module with missing exports.
 */
import { readFileSync } from 'node:fs'
import type { Plugin } from 'vite'
import { UnexpectedModuleShapeError } from './no-gossipsub-metrics.js'

/** The modules replaced, under @libp2p/crypto/dist/src/keys/. */
const KEY_MODULES =
  /[\\/]node_modules[\\/]@libp2p[\\/]crypto[\\/]dist[\\/]src[\\/]keys[\\/](?:rsa[\\/]utils|rsa[\\/]der|ecdsa[\\/]utils|secp256k1[\\/]utils)\.js$/

const LITERAL = /^(?:-?\d+|'[^'\\]*'|"[^"\\]*")$/

/** The stand-in of one key module: its exports, functions refusing, constants (literals) kept. */
export function refusingModule(code: string, what: string): string {
  const out = ["import { UnsupportedKeyTypeError } from '@libp2p/interface'"]
  const refusal = `throw new UnsupportedKeyTypeError('${what} keys are not supported in Ferry browser builds')`
  const constants = new Map<string, string>()
  for (const m of code.matchAll(/^(?:export )?const (\w+) = ([^;\n]+);$/gm)) {
    constants.set(m[1] ?? '', (m[2] ?? '').trim())
  }
  let exports = 0
  for (const line of code.split('\n').filter((l) => l.startsWith('export '))) {
    const fn = /^export (async )?function (\w+)\(/.exec(line)
    const constant = /^export const (\w+) = /.exec(line)
    const renamed = /^export \{ (\w+) as (\w+) \};?$/.exec(line)
    if (fn !== null) {
      out.push(`export ${fn[1] ?? ''}function ${fn[2]}() { ${refusal} }`)
    } else if (constant !== null && LITERAL.test(constants.get(constant[1] ?? '') ?? '')) {
      out.push(`export const ${constant[1]} = ${constants.get(constant[1] ?? '')}`)
    } else if (renamed !== null && LITERAL.test(constants.get(renamed[1] ?? '') ?? '')) {
      out.push(`export const ${renamed[2]} = ${constants.get(renamed[1] ?? '')}`)
    } else {
      throw new UnexpectedModuleShapeError(`${what} key module: cannot stand in for \`${line.trim()}\``)
    }
    exports++
  }
  if (exports === 0) {
    throw new UnexpectedModuleShapeError(`${what} key module exports nothing`)
  }
  return `${out.join('\n')}\n`
}

export function ed25519KeysOnly(): Plugin {
  return {
    name: 'ferry:ed25519-keys-only',
    enforce: 'pre',
    load: {
      filter: { id: KEY_MODULES },
      handler(id) {
        if (!KEY_MODULES.test(id)) {
          return null
        }
        const what = /secp256k1/.test(id) ? 'secp256k1' : /ecdsa/.test(id) ? 'ECDSA' : 'RSA'
        return { code: refusingModule(readFileSync(id, 'utf8'), what), map: null }
      },
    },
  }
}
