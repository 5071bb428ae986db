/**
 * The storage baseline: classic-level in this process, written the way a good store writes durably
 * under concurrency: every put that arrives while a `sync: true` batch is being written goes into the
 * next batch (group commit). The same senders and in-flight counts as the relay side, no network.
 * Also the drain baseline: read a key range page by page with a cursor and delete each page in one
 * `sync: true` batch.
 */
import { ClassicLevel } from 'classic-level'

type Db = ClassicLevel<Uint8Array, Uint8Array>

/** Largest group-committed batch (the relay store's own bound). */
const MAX_BATCH = 1024
/** Page size of the drain baseline (the relay's largest fetch window). */
const DRAIN_PAGE = 1024

export class GroupCommitStore {
  readonly db: Db
  #pending: Array<{ key: Uint8Array; value: Uint8Array; done: () => void }> = []
  #writing = false

  private constructor(db: Db) {
    this.db = db
  }

  static async open(dir: string): Promise<GroupCommitStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open()
    return new GroupCommitStore(db)
  }

  /** Resolves once the put is in a batch written with `sync: true`. */
  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    return new Promise<void>((done) => {
      this.#pending.push({ key, value, done })
      if (!this.#writing) {
        void this.#drain()
      }
    })
  }

  async #drain(): Promise<void> {
    this.#writing = true
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH)
      await this.db.batch(
        batch.map(({ key, value }) => ({ type: 'put' as const, key, value })),
        { sync: true },
      )
      for (const entry of batch) {
        entry.done()
      }
    }
    this.#writing = false
  }

  /** Deletes every key after `after` (exclusive) page by page, each page one sync batch. Returns the count. */
  async drain(prefix: number): Promise<number> {
    let count = 0
    let after: Uint8Array | undefined
    for (;;) {
      const keys = await this.db
        .keys({
          ...(after === undefined ? { gte: Uint8Array.of(prefix) } : { gt: after }),
          lt: Uint8Array.of(prefix + 1),
          limit: DRAIN_PAGE,
        })
        .all()
      if (keys.length === 0) {
        return count
      }
      await this.db.batch(
        keys.map((key) => ({ type: 'del' as const, key })),
        { sync: true },
      )
      count += keys.length
      after = keys[keys.length - 1]
    }
  }

  async close(): Promise<void> {
    await this.db.close()
  }
}

/** `total` group-committed puts of `payload`, from `senders` × `inFlight` concurrent writers. */
export async function classicPuts(
  store: GroupCommitStore,
  senders: number,
  inFlight: number,
  total: number,
  payload: Uint8Array,
  prefix = 1,
): Promise<void> {
  let started = 0
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++
      const key = new Uint8Array(17)
      key[0] = prefix
      crypto.getRandomValues(key.subarray(1))
      await store.put(key, payload)
    }
  }
  await Promise.all(Array.from({ length: senders * inFlight }, worker))
}
