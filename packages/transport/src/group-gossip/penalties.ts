/**
 * Per-peer penalties for forwarding junk on a group topic (FAULTS 33), fed to gossipsub as its
 * application-specific score. A penalty decays exponentially (GOSSIP_PENALTY_HALF_LIFE_MS), and the
 * book holds at most GOSSIP_MAX_PENALIZED_PEERS peers, forgetting the smallest penalty first.
 */
import { GOSSIP_MAX_PENALIZED_PEERS, GOSSIP_PENALTY_HALF_LIFE_MS } from './constants.js'

interface Entry {
  value: number
  at: number
}

export class PenaltyBook {
  readonly #entries = new Map<string, Entry>()
  readonly #now: () => number
  readonly #halfLifeMs: number
  readonly #maxPeers: number

  constructor(
    now: () => number = Date.now,
    halfLifeMs = GOSSIP_PENALTY_HALF_LIFE_MS,
    maxPeers = GOSSIP_MAX_PENALIZED_PEERS,
  ) {
    this.#now = now
    this.#halfLifeMs = halfLifeMs
    this.#maxPeers = maxPeers
  }

  /** The peer's current penalty (0 for a peer never penalized or long forgiven). */
  value(peer: string): number {
    const entry = this.#entries.get(peer)
    return entry === undefined ? 0 : this.#decayed(entry)
  }

  add(peer: string, amount: number): void {
    const now = this.#now()
    const entry = this.#entries.get(peer)
    const value = (entry === undefined ? 0 : this.#decayed(entry)) + amount
    this.#entries.delete(peer)
    this.#entries.set(peer, { value, at: now })
    if (this.#entries.size > this.#maxPeers) {
      this.#evict()
    }
  }

  get size(): number {
    return this.#entries.size
  }

  #decayed(entry: Entry): number {
    const elapsed = Math.max(0, this.#now() - entry.at)
    return entry.value * 0.5 ** (elapsed / this.#halfLifeMs)
  }

  /** Forgets the smallest penalty (ties: the oldest). */
  #evict(): void {
    let smallest: string | undefined
    let least = Number.POSITIVE_INFINITY
    for (const [peer, entry] of this.#entries) {
      const value = this.#decayed(entry)
      if (value < least) {
        least = value
        smallest = peer
      }
    }
    if (smallest !== undefined) {
      this.#entries.delete(smallest)
    }
  }
}
