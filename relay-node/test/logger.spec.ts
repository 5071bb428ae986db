/**
 * Structured logs: JSON lines or text, levels filtered, long lines cut, IDs shortened.
 */
import { describe, expect, it } from 'vitest'
import { createLogger, shortId } from '../src/logger.js'

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and fields; filters by level', () => {
    const lines: string[] = []
    const log = createLogger({ format: 'json', level: 'info', write: (l) => lines.push(l), now: () => 0 })
    log.debug('hidden')
    log.info('ready', { addrs: 2, peer: shortId('12D3KooWabcdefghijklmnop'), gone: undefined })
    log.error('bad', { msg: 'cannot override', level: 'nor this' })
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'ready', addrs: 2, peer: '…ijklmnop' },
      { time: '1970-01-01T00:00:00.000Z', level: 'error', msg: 'bad' },
    ])
  })

  it('writes readable text, quoting values with spaces, and cuts long lines', () => {
    const lines: string[] = []
    const log = createLogger({ format: 'text', level: 'debug', write: (l) => lines.push(l), now: () => 0 })
    log.warn('slow', { what: 'a b', n: 3 })
    log.info('x'.repeat(5000))
    expect(lines[0]).toBe('1970-01-01T00:00:00.000Z WARN  slow what="a b" n=3')
    expect(lines[1]!.length).toBeLessThanOrEqual(2048)
  })
})
