// `npm start` runs this demo; the test runs the same compiled program and checks its transcript.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('npm start (the demo)', () => {
  beforeAll(() => {
    const build = spawnSync('npx', ['tsc', '-b', 'node', 'relay-node'], { cwd: root, encoding: 'utf8' })
    expect(build.status, build.stdout + build.stderr).toBe(0)
  }, 120_000)

  it('plays the scripted conversation and exits 0', () => {
    const run = spawnSync(process.execPath, ['node/dist/src/demo.js'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(run.status, run.stderr).toBe(0)
    const out = run.stdout
    expect(out).toContain('→ bob: "Hi Bob! Dinner on Friday?"')
    expect(out).toMatch(/bob\/1: stored on the relay/)
    expect(out).toMatch(/bob\/2: stored on the relay/)
    expect(out).toContain('alice/2  shows what Alice sent')
    expect(out).toMatch(/bob\/1 +← alice/)
    expect(out).toMatch(/bob\/2 +← alice/)
    expect(out).toContain('receipts: delivered to bob/1 and bob/2')
    expect(out).toContain('holds 0 envelopes')
    expect(out).toContain('read receipt')
    expect(out).toContain('Done in')
  }, 130_000)
})
