/**
 * What every command gets: the parsed command line, the data directory, where to write, and the
 * signal that aborts when the user interrupts (SIGINT, SIGTERM).
 */
import type { Readable, Writable } from 'node:stream'
import type { DataDir } from '../paths.js'
import type { Parsed } from './args.js'
import type { Output } from './output.js'

export interface CliIo {
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout: Writable
  readonly stderr: Writable
  readonly stdin: Readable
  readonly stdinIsTty: boolean
  readonly stderrIsTty: boolean
  /** Registers a handler for SIGINT and SIGTERM; returns the function that removes it. */
  onSignal(handler: (signal: string) => void): () => void
}

export interface CommandContext {
  readonly io: CliIo
  readonly out: Output
  readonly parsed: Parsed
  readonly data: DataDir
  /** Listening addresses of this device when this process runs the node (undefined: the default). */
  readonly listen: readonly string[] | undefined
  /** Aborted on SIGINT or SIGTERM. */
  readonly signal: AbortSignal
}
