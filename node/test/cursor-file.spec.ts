/**
 * Subscriber cursor files: absent is 0, written values read back, damage and bad names are refused,
 * and writes from one process land in order.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CursorFile } from '../src/cursor-file.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function cursorsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cursors-'))
  dirs.push(dir)
  return join(dir, 'cursors')
}

describe('CursorFile', () => {
  it('reads 0 for a subscriber that never received, then what was written', async () => {
    const file = new CursorFile(cursorsDir(), 'cli')
    expect(await file.read()).toBe(0)
    await file.write(42)
    expect(await file.read()).toBe(42)
  })

  it('lands writes in the order they were made, and leaves no temporary files', async () => {
    const dir = cursorsDir()
    const file = new CursorFile(dir, 'bot')
    await Promise.all(Array.from({ length: 20 }, (_, i) => file.write(i + 1)))
    expect(await file.read()).toBe(20)
    expect(readdirSync(dir)).toEqual(['bot'])
  })

  it('refuses a damaged file, naming it', async () => {
    const dir = cursorsDir()
    const file = new CursorFile(dir, 'cli')
    await file.write(1)
    writeFileSync(join(dir, 'cli'), 'twelve\n')
    await expect(file.read()).rejects.toThrow(/cursor file .*cli is damaged/)
  })

  it.each(['', '../escape', 'a/b', '.hidden', 'x'.repeat(65), 'name with space'])(
    'refuses the subscriber name %j',
    (name) => {
      expect(() => new CursorFile(cursorsDir(), name)).toThrow(
        expect.objectContaining({ name: 'UsageError' }),
      )
    },
  )
})
