/**
 * The outbox courier: delivers each outbox entry directly when its device is reachable, otherwise (or
 * after DIRECT_DELIVERY_TIMEOUT_MS) deposits it on the device's relays, and retries with backoff until
 * it is covered or given up on. Every retry resends the same sealed bytes. Entries that carry a group
 * envelope are handed to the group delivery. Callers wait here until a message is covered, until its
 * entries have left the outbox, or until nothing due is left unattempted (drain).
 *
 * Owns: the outbox lifecycle (moving statuses to 'stored' or, by a direct ack, 'delivered' through
 * delivery-status.ts). Must not know: how an envelope was made or what its content means (receipts
 * and reading state are the inbound side's).
 */
import { type CryptoContext, toHex } from '@ferry/crypto'
import type { ClientStore, ClientUnit, OutboxEntry, OutboxMailbox } from '@ferry/storage'
import { StreamEndedError } from '@ferry/transport'
import { Kind } from '@ferry/wire'
import type { PeerId } from '@libp2p/interface'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import {
  DEPOSIT_TIMEOUT_MS,
  DEPOSIT_TTL_MS,
  DIRECT_DELIVERY_TIMEOUT_MS,
  DIRECT_RETRY_AFTER_MS,
  OUTBOX_BASE_BACKOFF_MS,
  OUTBOX_BATCH,
  OUTBOX_MAX_BACKOFF_MS,
  SEND_COVER_TIMEOUT_MS,
} from './constants.js'
import { deadlineSignal } from './deadline.js'
import { updateStatus } from './delivery-status.js'
import { type Directory, deviceKey } from './directory.js'
import type { Log } from './log.js'
import type { Network } from './network.js'
import type { StateQueue } from './state-queue.js'

/** Outbox attempts after which a relay that keeps refusing or failing is given up on for an envelope. */
export const MAX_OUTBOX_ATTEMPTS = 40

/** The waiter key woken by every change (message IDs are hex, so no message has this key). */
const ANY_CHANGE = '*'

export interface CourierInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly directory: Pick<Directory, 'peerIdOf'>
  readonly network: () => Network | undefined
  readonly log: Log
  /**
   * Delivers an entry that carries a group envelope (its first byte is the GroupEnvelope kind): the
   * group delivery deposits it once per relay for the member devices still pending.
   */
  readonly groupCarrier?: (entry: OutboxEntry) => Promise<void>
}

export class Courier {
  readonly #init: CourierInit
  readonly #directFailedAt = new Map<string, number>()
  /** Waiters per message ID (hex), woken when that message's statuses or outbox entries move. */
  readonly #waiters = new Map<string, Set<() => void>>()
  /** Counts every change the outbox may have seen (a notify, a kick, a stop), so drain misses none. */
  #changes = 0
  #passing: Promise<void> | undefined
  #again = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false
  /**
   * The last pass read the outbox to its end: every entry due then was attempted, and the timer is set
   * for the soonest one left. Until a kick without entries, entries handed over with a kick are all
   * that is new, so they can be tried without reading the outbox again.
   */
  #settled = false
  /** Entries handed over with a kick that a pass took (a kick repeating them asks for nothing). */
  readonly #taken = new WeakSet<OutboxEntry>()

  constructor(init: CourierInit) {
    this.#init = init
  }

  /**
   * Asks for a delivery pass soon. `fresh`: the outbox entries a batch just committed (what it
   * scheduled), tried first when no pass is running, without reading the outbox for them; when the
   * last pass read the outbox to its end, they are all the pass does (the outbox is read again only
   * for the timer, if one of them stays). A running pass leaves them to the pass after it, which
   * finds them in the outbox.
   */
  kick(fresh?: readonly OutboxEntry[]): void {
    this.#changed()
    if (this.#stopped) {
      return
    }
    if (fresh !== undefined && this.#allTaken(fresh)) {
      return // nothing new: a pass took these already (several jobs of one batch hand over its entries)
    }
    if (this.#passing !== undefined) {
      this.#again = true
      return
    }
    const pass = fresh !== undefined && this.#settled ? this.#freshPass(fresh) : this.#pass(fresh)
    this.#passing = pass.finally(() => {
      this.#passing = undefined
      if (this.#again) {
        this.#again = false
        this.kick()
      }
    })
  }

  start(): void {
    this.#stopped = false
    this.kick()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#settled = false
    clearTimeout(this.#timer)
    this.#changed()
    await this.#passing
  }

  /**
   * Resolves when every recipient device of a composed message is covered (status 'stored' or beyond:
   * a relay holds it or the device acked it), or when `signal` aborts.
   */
  async waitCovered(messageId: Uint8Array, signal: AbortSignal): Promise<void> {
    await this.waitUntil(
      messageId,
      async () => {
        const message = await this.#init.store.messages.get(messageId)
        return !(message?.recipients.some((r) => r.status === 'pending') ?? false)
      },
      signal,
    )
  }

  /** Resolves once `check` holds, checking again whenever the message's statuses move, or on abort. */
  async waitUntil(messageId: Uint8Array, check: () => Promise<boolean>, signal: AbortSignal): Promise<void> {
    const key = toHex(messageId)
    for (;;) {
      const seen = this.#changes
      if (signal.aborted || (await check())) {
        return
      }
      // a notify while `check` read the store is looked at at once: waiting would miss it for good
      if (this.#changes === seen) {
        await this.#nextNotify([key], signal)
      }
    }
  }

  /**
   * Resolves when no outbox entry of these messages is left (every device got its envelope directly,
   * or a relay holds it for it, or the courier gave up), or when `signal` aborts. For contents without
   * a message record (group-control messages, sender keys).
   */
  async waitDrained(messageIds: readonly Uint8Array[], signal: AbortSignal): Promise<void> {
    for (;;) {
      const seen = this.#changes
      const left: Uint8Array[] = []
      for (const id of messageIds) {
        if ((await this.#init.store.outbox.forMessage(id)).length > 0) {
          left.push(id)
        }
      }
      if (left.length === 0 || signal.aborted) {
        return
      }
      if (this.#changes === seen) {
        await this.#nextNotify(
          left.map((id) => toHex(id)),
          signal,
        )
      }
    }
  }

  /** Wakes the callers waiting on a message whose statuses or entries moved (a receipt, a deposit). */
  notify(messageId: Uint8Array): void {
    for (const waiter of this.#waiters.get(toHex(messageId)) ?? []) {
      waiter()
    }
    this.#changed()
  }

  /**
   * Resolves true once no outbox entry is both due and never attempted: each got its first attempt
   * (delivered, deposited, or scheduled for a retry). Entries not due yet and retries are not waited
   * for. Resolves false when `signal` aborts or the courier stops first.
   */
  async drain(signal: AbortSignal): Promise<boolean> {
    this.kick()
    for (;;) {
      if (signal.aborted || this.#stopped) {
        return false
      }
      const seen = this.#changes
      if (!(await this.#dueUnattempted())) {
        return true
      }
      // a change while the outbox was read is looked at at once; otherwise wait for the next one
      if (this.#changes === seen) {
        await this.#nextNotify([ANY_CHANGE], signal)
      }
    }
  }

  /** True while some entry is due and was never attempted (or a full batch is due: the courier is busy). */
  async #dueUnattempted(): Promise<boolean> {
    const due = await this.#init.store.outbox.listPending({
      limit: OUTBOX_BATCH,
      dueBy: this.#init.context.now(),
    })
    return due.length === OUTBOX_BATCH || due.some((entry) => entry.attempts === 0)
  }

  #changed(): void {
    this.#changes++
    for (const waiter of this.#waiters.get(ANY_CHANGE) ?? []) {
      waiter()
    }
  }

  /** Resolves at the next `notify` of any of these message IDs (hex), or when `signal` aborts. */
  #nextNotify(keys: readonly string[], signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted) {
        resolve()
        return
      }
      const registered: Array<[string, Set<() => void>]> = []
      const done = (): void => {
        for (const [key, waiters] of registered) {
          waiters.delete(done)
          if (waiters.size === 0) {
            this.#waiters.delete(key)
          }
        }
        signal.removeEventListener('abort', done)
        resolve()
      }
      for (const key of keys) {
        const waiters = this.#waiters.get(key) ?? new Set()
        waiters.add(done)
        this.#waiters.set(key, waiters)
        registered.push([key, waiters])
      }
      signal.addEventListener('abort', done, { once: true })
    })
  }

  #allTaken(fresh: readonly OutboxEntry[]): boolean {
    return fresh.length > 0 && fresh.every((entry) => this.#taken.has(entry))
  }

  /** The fresh entries still to try (due, never attempted, not taken by a pass), now taken. */
  #take(fresh: readonly OutboxEntry[]): OutboxEntry[] {
    const now = this.#init.context.now()
    const taken = fresh.filter(
      (entry) => entry.attempts === 0 && entry.nextAttemptAt <= now && !this.#taken.has(entry),
    )
    for (const entry of taken) {
      this.#taken.add(entry)
    }
    return taken
  }

  /**
   * A pass over handed-over entries alone, while the outbox holds nothing else that is due (#settled).
   * When one of them stays in the outbox (refused, failed, or not tried), the outbox is read for the
   * timer, as a full pass ends.
   */
  async #freshPass(fresh: readonly OutboxEntry[]): Promise<void> {
    if (this.#init.network() === undefined) {
      this.#settled = false
      return
    }
    const taken = this.#take(fresh)
    const left = await Promise.all(taken.map((entry) => this.#attempt(entry)))
    if (this.#stopped) {
      return
    }
    if (taken.length < fresh.length || left.some((gone) => !gone)) {
      clearTimeout(this.#timer)
      await this.#scheduleNext()
    }
  }

  async #pass(fresh: readonly OutboxEntry[] = []): Promise<void> {
    clearTimeout(this.#timer)
    this.#settled = false
    if (this.#init.network() === undefined) {
      return
    }
    await Promise.all(this.#take(fresh).map((entry) => this.#attempt(entry)))
    for (;;) {
      const due = await this.#init.store.outbox.listPending({
        limit: OUTBOX_BATCH,
        dueBy: this.#init.context.now(),
      })
      if (due.length === 0 || this.#stopped) {
        break
      }
      await Promise.all(due.map((entry) => this.#attempt(entry)))
      if (due.length < OUTBOX_BATCH) {
        break
      }
    }
    if (this.#stopped) {
      return
    }
    await this.#scheduleNext()
    this.#settled = !this.#stopped
  }

  /** Sets the timer for the soonest entry left in the outbox. */
  async #scheduleNext(): Promise<void> {
    const [next] = await this.#init.store.outbox.listPending({ limit: 1 })
    if (next !== undefined && !this.#stopped) {
      const wait = Math.max(50, next.nextAttemptAt - this.#init.context.now())
      this.#timer = setTimeout(() => this.kick(), wait)
      this.#timer.unref?.()
    }
  }

  /** One delivery attempt. True when the entry has left the outbox (or was gone already). */
  async #attempt(entry: OutboxEntry): Promise<boolean> {
    const network = this.#init.network()
    if (network === undefined) {
      return false
    }
    if (entry.envelope[0] === Kind.GroupEnvelope) {
      await this.#init.groupCarrier?.(entry).catch((err: unknown) => {
        this.#init.log('a group delivery attempt failed: %s', (err as Error).message)
      })
      this.notify(entry.messageId)
      return false // the group delivery keeps its own account of what is left
    }
    const key = deviceKey(entry.recipient)
    const now = this.#init.context.now()
    const firstTry = entry.attempts === 0
    if (firstTry && now - (this.#directFailedAt.get(key) ?? 0) > DIRECT_RETRY_AFTER_MS) {
      const peer = await this.#init.directory.peerIdOf(entry.recipient)
      if (peer !== undefined) {
        try {
          await network.deliver.deliver(
            directTargets(peer, entry.mailboxes, network.isConnected(peer)),
            { envelopeId: entry.envelopeId, payload: entry.envelope },
            { signal: AbortSignal.timeout(DIRECT_DELIVERY_TIMEOUT_MS) },
          )
          return await this.#settle(entry, 'delivered', [])
        } catch (err) {
          this.#directFailedAt.set(key, this.#init.context.now())
          this.#init.log('direct delivery failed, using relays: %s', (err as Error).message)
        }
      }
    }
    const outcomes = await Promise.all(
      entry.mailboxes.map(async (mailbox) => {
        try {
          const result = await network.mailbox.deposit(
            mailbox.relayAddrs.map((a) => multiaddr(a)),
            {
              envelopeId: entry.envelopeId,
              payload: entry.envelope,
              mailboxIds: [mailbox.mailboxId],
              ttlMs: DEPOSIT_TTL_MS,
            },
            { signal: AbortSignal.timeout(DEPOSIT_TIMEOUT_MS) },
          )
          return result.status === 'stored' || result.status === 'duplicate'
        } catch (err) {
          if (!(err instanceof StreamEndedError)) {
            this.#init.log('deposit failed: %s', (err as Error).message)
          }
          return false
        }
      }),
    )
    // relays that took it are done; the entry stays, for the others, until they do or it gives up
    const remaining = entry.mailboxes.filter((_, i) => outcomes[i] !== true)
    if (remaining.length < entry.mailboxes.length) {
      return await this.#settle(entry, 'stored', remaining)
    }
    await this.#retryLater(entry)
    return false
  }

  /**
   * Records an outcome: the entry leaves the outbox, or stays for the relays that did not take it.
   * True when it has left (or was gone already).
   */
  async #settle(
    entry: OutboxEntry,
    status: 'stored' | 'delivered',
    remaining: readonly OutboxMailbox[],
  ): Promise<boolean> {
    const { value: found } = await this.#init.queue.run(async (unit) => {
      const found = await afterAttempt(unit, entry, {
        done: remaining.length === 0,
        mailboxes: remaining,
        now: this.#init.context.now,
      })
      if (found) {
        await updateStatus(unit, entry.messageId, entry.recipient, status)
      }
      // not found: a receipt or a concurrent attempt settled it first
      return found
    })
    this.notify(entry.messageId)
    return !found || remaining.length === 0
  }

  async #retryLater(entry: OutboxEntry): Promise<void> {
    await this.#init.queue.run(async (unit) => {
      const current = await unit.outbox.get(entry.messageId, entry.recipient)
      if (current === undefined) {
        return
      }
      await unit.outbox.update(entry.messageId, entry.recipient, {
        attempts: current.attempts + 1,
        nextAttemptAt: this.#init.context.now() + backoff(current.attempts + 1),
      })
    })
    this.notify(entry.messageId)
  }
}

/** What a send waits on for its devices to be covered: SEND_COVER_TIMEOUT_MS, or `signal` if it aborts first. */
export function coverDeadline(signal: AbortSignal | undefined): AbortSignal {
  return deadlineSignal(SEND_COVER_TIMEOUT_MS, signal)
}

/**
 * Inside a state job, after an attempt that got somewhere: the entry leaves the outbox when it is
 * `done` or has had MAX_OUTBOX_ATTEMPTS, otherwise it is tried again after a backoff (for the
 * `mailboxes` still to take it, when given). False when the entry was gone already.
 */
export async function afterAttempt(
  unit: ClientUnit,
  entry: OutboxEntry,
  outcome: { done: boolean; mailboxes?: readonly OutboxMailbox[]; now: () => number },
): Promise<boolean> {
  const current = await unit.outbox.get(entry.messageId, entry.recipient)
  if (current === undefined) {
    return false
  }
  if (outcome.done || current.attempts + 1 >= MAX_OUTBOX_ATTEMPTS) {
    await unit.outbox.delete(entry.messageId, entry.recipient)
  } else {
    await unit.outbox.update(entry.messageId, entry.recipient, {
      ...(outcome.mailboxes === undefined ? {} : { mailboxes: outcome.mailboxes }),
      attempts: current.attempts + 1,
      nextAttemptAt: outcome.now() + backoff(current.attempts + 1),
    })
  }
  return true
}

/** How long an outbox entry waits before its next attempt, after `attempts` attempts. */
function backoff(attempts: number): number {
  return Math.min(OUTBOX_MAX_BACKOFF_MS, OUTBOX_BASE_BACKOFF_MS * 2 ** Math.min(attempts, 20))
}

/** Where to dial a device directly: its live connection, else through each of its relays (circuit). */
function directTargets(
  peer: PeerId,
  mailboxes: readonly OutboxMailbox[],
  connected: boolean,
): PeerId | Multiaddr[] {
  if (connected) {
    return peer
  }
  return mailboxes.flatMap((m) =>
    m.relayAddrs.slice(0, 1).map((a) => multiaddr(`${a}/p2p-circuit/p2p/${peer}`)),
  )
}
