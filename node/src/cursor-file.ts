/**
 * The cursor `receive` resumes from, per subscriber: a small file DIR/cursors/NAME holding the cursor
 * of the last event printed for that subscriber. Written to a temporary file and renamed over the old
 * one, so a reader sees the old value or the new one, never a torn write.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SUBSCRIBER_PATTERN } from './constants.js'
import { CliError, UsageError } from './errors.js'

export class CursorFile {
  readonly path: string
  readonly #dir: string
  /** Writes of this process, one after the other. */
  #writing: Promise<void> = Promise.resolve()
  #writes = 0

  constructor(cursorsDir: string, subscriber: string) {
    if (!SUBSCRIBER_PATTERN.test(subscriber)) {
      throw new UsageError(
        'a subscriber name is 1 to 64 letters, digits, - or _ (starting with a letter or digit)',
      )
    }
    this.#dir = cursorsDir
    this.path = join(cursorsDir, subscriber)
  }

  /** The saved cursor, 0 when the subscriber never received. */
  async read(): Promise<number> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return 0
      }
      throw err
    }
    const value = text.trim()
    if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new CliError(`the cursor file ${this.path} is damaged: delete it, or pass --since CURSOR`)
    }
    return Number(value)
  }

  write(cursor: number): Promise<void> {
    const temporary = `${this.path}.${process.pid}.${++this.#writes}.tmp`
    const write = this.#writing.then(async () => {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 })
      await writeFile(temporary, `${cursor}\n`, { mode: 0o600 })
      await rename(temporary, this.path)
    })
    this.#writing = write.catch(() => {})
    return write
  }
}
