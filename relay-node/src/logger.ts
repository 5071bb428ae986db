/**
 * The relay's structured log: one line per event on stderr, JSON lines with `--json` and readable
 * text otherwise. Fields are small scalars chosen by the caller; the logger cuts long lines. It never
 * receives payloads or keys, and identifiers are shortened with `shortId` before they are logged.
 */

import type { LogLevel } from './config/schema.js'
import { LOG_ID_CHARS, MAX_LOG_LINE_CHARS } from './constants.js'

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>

export interface RelayLogger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

export interface LoggerInit {
  /** `json`: one JSON object per line; `text`: `time level message key=value ...`. */
  format: 'json' | 'text'
  level: LogLevel
  /** Where lines go. Default: process.stderr. */
  write?: (line: string) => void
  /** The clock for timestamps. Default: Date.now. */
  now?: () => number
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** The last LOG_ID_CHARS characters of an ID, enough to tell relays apart in logs, never the whole ID. */
export function shortId(id: string): string {
  return id.length <= LOG_ID_CHARS ? id : `…${id.slice(-LOG_ID_CHARS)}`
}

function textValue(value: string | number | boolean): string {
  const text = String(value)
  return /^[\w.:/@+-]*$/.test(text) && text.length > 0 ? text : JSON.stringify(text)
}

export function createLogger(init: LoggerInit): RelayLogger {
  const write = init.write ?? ((line: string) => process.stderr.write(`${line}\n`))
  const now = init.now ?? Date.now
  const threshold = RANK[init.level]
  const log =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (RANK[level] < threshold) {
        return
      }
      const time = new Date(now()).toISOString()
      let line: string
      if (init.format === 'json') {
        const record: Record<string, unknown> = { time, level, msg: message }
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined && !(key in record)) {
            record[key] = value
          }
        }
        line = JSON.stringify(record)
        if (line.length > MAX_LOG_LINE_CHARS) {
          line = JSON.stringify({ time, level, msg: message.slice(0, 200), truncated: true })
        }
      } else {
        const parts = [time, level.toUpperCase().padEnd(5), message]
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined) {
            parts.push(`${key}=${textValue(value)}`)
          }
        }
        line = parts.join(' ').slice(0, MAX_LOG_LINE_CHARS)
      }
      write(line)
    }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

/** A logger that drops everything (in-process relays in tests). */
export const silentLogger: RelayLogger = { debug() {}, info() {}, warn() {}, error() {} }
