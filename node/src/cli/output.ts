/**
 * What a command writes: results on stdout (text for people, one JSON object per line with --json),
 * progress on stderr only when stderr is a terminal and not in --json mode (erased when done), and
 * errors as one line on stderr.
 */
import type { Writable } from 'node:stream'
import { nameOf, oneLine } from '../errors.js'

export interface OutputInit {
  readonly stdout: Writable
  readonly stderr: Writable
  readonly json: boolean
  /** Progress lines are shown only on a terminal. */
  readonly stderrIsTty: boolean
}

export class Output {
  readonly json: boolean
  readonly #stdout: Writable
  readonly #stderr: Writable
  readonly #progress: boolean
  #progressShown = false
  #closed = false
  readonly #closedListeners = new Set<() => void>()

  constructor(init: OutputInit) {
    this.json = init.json
    this.#stdout = init.stdout
    this.#stderr = init.stderr
    this.#progress = init.stderrIsTty && !init.json
    // a reader that went away (`ferry receive --follow | head -1`) ends the command, quietly
    this.#stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
        this.#markClosed()
      }
    })
  }

  /** True once stdout's reader has gone away. */
  get closed(): boolean {
    return this.#closed
  }

  /** Calls `listener` once stdout's reader has gone away; returns the function that stops listening. */
  onClosed(listener: () => void): () => void {
    if (this.#closed) {
      listener()
      return () => {}
    }
    this.#closedListeners.add(listener)
    return () => this.#closedListeners.delete(listener)
  }

  /** Writes one line to stdout; resolves once it is handed to the OS (or stdout is gone). */
  line(text: string): Promise<void> {
    this.clearProgress()
    if (this.#closed) {
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      this.#stdout.write(`${text}\n`, (err) => {
        if (err !== undefined && err !== null) {
          this.#markClosed()
        }
        resolve()
      })
    })
  }

  /** Writes one JSON object as a line. */
  record(value: unknown): Promise<void> {
    return this.line(JSON.stringify(value))
  }

  /** `value` as a JSON line with --json, `text()` otherwise. */
  result(value: unknown, text: () => string): Promise<void> {
    return this.json ? this.record(value) : this.line(text())
  }

  /** A transient status line on a terminal's stderr (nothing with --json or when stderr is not a terminal). */
  progress(text: string): void {
    if (!this.#progress) {
      return
    }
    this.#stderr.write(`\r\x1b[K${text}`)
    this.#progressShown = true
  }

  clearProgress(): void {
    if (this.#progressShown) {
      this.#stderr.write('\r\x1b[K')
      this.#progressShown = false
    }
  }

  /** A note for people on stderr (text mode only): something a script reads from the exit code instead. */
  note(text: string): void {
    if (this.json) {
      return
    }
    this.clearProgress()
    this.#stderr.write(`ferry: ${text}\n`)
  }

  /** The one line on stderr that says why the command failed. */
  error(err: unknown): void {
    this.clearProgress()
    this.#stderr.write(
      this.json
        ? `${JSON.stringify({ error: nameOf(err), message: oneLine(err) })}\n`
        : `ferry: ${oneLine(err)}\n`,
    )
  }

  #markClosed(): void {
    if (this.#closed) {
      return
    }
    this.#closed = true
    for (const listener of this.#closedListeners) {
      listener()
    }
    this.#closedListeners.clear()
  }
}
