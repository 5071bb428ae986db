/**
 * Scoped, secret-free logging (libp2p's debug logger: enable with DEBUG=ferry:*). Log lines carry
 * counts, states and error messages, never plaintext, names or key bytes.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'

export type Log = Logger

export function loggerFor(logger: ComponentLogger | undefined, component: string): Log {
  return (logger ?? defaultLogger()).forComponent(`ferry:client:${component}`)
}
