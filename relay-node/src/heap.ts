/**
 * The V8 heap policy of the `ferry-relay` process: how far V8 lets its old generation grow past what
 * the last full collection found live. V8's default factor adapts up to 4x when collections are fast
 * beside the program, so a relay holding 2,000 connections (about 100 MiB live) held 250 MiB of old
 * space, most of it garbage from the connection handshakes and deposits, and kept those pages after
 * collecting them. A fixed, lower factor keeps that headroom bounded at the price of more frequent
 * (concurrent, incremental) full collections. The flag is read at every collection, so setting it
 * when the process starts is early enough; an operator's own `--heap-growing-percent` wins.
 */
import { setFlagsFromString } from 'node:v8'
import { RELAY_HEAP_GROWING_PERCENT } from './constants.js'

const FLAG = '--heap-growing-percent'

export interface HeapPolicyInit {
  /** The node flags the process was started with (`process.execArgv`). */
  execArgv: readonly string[]
  /** Applies a V8 flag (`v8.setFlagsFromString`). */
  setFlags?: (flags: string) => void
}

/** The V8 flags the relay applied: none when the operator set the growing factor. */
export function applyHeapPolicy(init: HeapPolicyInit): string[] {
  // V8 spells its flags with dashes or underscores; NODE_OPTIONS may not carry this one
  const own = init.execArgv.some((arg) => arg.replaceAll('_', '-').startsWith(FLAG))
  if (own) {
    return []
  }
  const flags = [`${FLAG}=${RELAY_HEAP_GROWING_PERCENT}`]
  const set = init.setFlags ?? setFlagsFromString
  for (const flag of flags) {
    set(flag)
  }
  return flags
}
