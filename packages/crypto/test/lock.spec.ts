/**
 * KeyedMutex: operations under one key run one at a time in arrival order, whatever they return or
 * throw; operations under different keys do not wait for each other.
 */
import { describe, expect, it } from 'vitest'
import { KeyedMutex } from '../src/lock.js'

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1))

describe('KeyedMutex', () => {
  it('runs operations under one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex()
    const log: string[] = []
    let running = 0
    const op = (name: string) => async () => {
      running++
      expect(running).toBe(1)
      log.push(`start ${name}`)
      await tick()
      log.push(`end ${name}`)
      running--
      return name
    }
    const results = await Promise.all([
      mutex.run('k', op('a')),
      mutex.run('k', op('b')),
      mutex.run('k', op('c')),
    ])
    expect(results).toEqual(['a', 'b', 'c'])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })

  it('a failing operation, rejected or thrown synchronously, rejects its own call only', async () => {
    const mutex = new KeyedMutex()
    const order: string[] = []
    const rejected = mutex.run('k', async () => {
      await tick()
      order.push('rejected')
      throw new Error('async failure')
    })
    const thrown = mutex.run('k', () => {
      order.push('thrown')
      throw new Error('sync failure')
    })
    const fine = mutex.run('k', async () => {
      order.push('fine')
      return 1
    })
    await expect(rejected).rejects.toThrow('async failure')
    await expect(thrown).rejects.toThrow('sync failure')
    expect(await fine).toBe(1)
    expect(order).toEqual(['rejected', 'thrown', 'fine'])
    // with nothing queued, a synchronous throw is still a rejection, and the key is free afterwards
    await expect(
      mutex.run('k', () => {
        throw new Error('alone')
      }),
    ).rejects.toThrow('alone')
    expect(await mutex.run('k', async () => 2)).toBe(2)
  })

  it('operations under different keys overlap', async () => {
    const mutex = new KeyedMutex()
    let release: () => void = () => {}
    const blocked = mutex.run('a', () => new Promise<string>((resolve) => (release = () => resolve('a'))))
    // 'b' completes while 'a' still holds its key
    expect(await mutex.run('b', async () => 'b')).toBe('b')
    release()
    expect(await blocked).toBe('a')
  })

  it('a key whose queue drained runs the next operation at once', async () => {
    const mutex = new KeyedMutex()
    await mutex.run('k', async () => undefined)
    await tick()
    let started = false
    const next = mutex.run('k', async () => {
      started = true
    })
    // started synchronously: nothing was queued any more
    expect(started).toBe(true)
    await next
  })
})
