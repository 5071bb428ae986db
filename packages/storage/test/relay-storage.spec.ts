import { ClassicLevel } from 'classic-level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRelayStorage, StoreClosedError, StoreLockedError } from '../src/index.js'
import { envelopeId, mailboxId, payload, tempDir } from './helpers.js'

let dir: { path: string; remove: () => Promise<void> }
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(async () => {
  await dir.remove()
})

describe('openRelayStorage', () => {
  it('opens the three stores in one directory, refuses a second user, and reopens with everything kept', async () => {
    const storage = await openRelayStorage({ db: new ClassicLevel(dir.path) })
    await storage.mailbox.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [mailboxId(1)],
      ttlMs: 1e6,
    })
    await storage.deviceLists.put(new Uint8Array(32).fill(1), 1, new Uint8Array(10).fill(1))
    await expect(openRelayStorage({ db: new ClassicLevel(dir.path) })).rejects.toBeInstanceOf(
      StoreLockedError,
    )
    await storage.close()
    await storage.close()
    await expect(storage.mailbox.status(envelopeId(1))).rejects.toBeInstanceOf(StoreClosedError)

    const again = await openRelayStorage({ db: new ClassicLevel(dir.path) })
    expect(await again.mailbox.list(mailboxId(1), { limit: 10 })).toHaveLength(1)
    expect(await again.deviceLists.get(new Uint8Array(32).fill(1))).toEqual(new Uint8Array(10).fill(1))
    await again.close()
  })
})
