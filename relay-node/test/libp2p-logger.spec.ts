/**
 * The logger the relay gives libp2p: one shared silent logger for every component and scope unless
 * DEBUG is set, so connections and streams allocate no logger of their own.
 */
import { describe, expect, it } from 'vitest'
import { libp2pLogger, silentComponentLogger } from '../src/libp2p-logger.js'

describe('libp2pLogger', () => {
  it('without DEBUG, every component and scope gets the same disabled logger, which prints nothing', () => {
    const components = libp2pLogger({})
    expect(components).toBe(silentComponentLogger)
    expect(libp2pLogger({ DEBUG: ' ' })).toBe(silentComponentLogger)
    const a = silentComponentLogger.forComponent('libp2p:yamux')
    const b = silentComponentLogger.forComponent('libp2p:connection:inbound:1')
    expect(a).toBe(b)
    expect(a.newScope('stream:inbound:3')).toBe(a)
    expect(a.enabled).toBe(false)
    const written: string[] = []
    const write = process.stderr.write
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write
    try {
      a('a message %s', 'x')
      a.error('an error %s', new Error('e'))
      a.trace('a trace')
    } finally {
      process.stderr.write = write
    }
    expect(written).toEqual([])
  })

  it("with DEBUG set, libp2p's own debug logger (undefined: libp2p's default)", () => {
    expect(libp2pLogger({ DEBUG: 'libp2p:*' })).toBeUndefined()
  })
})
