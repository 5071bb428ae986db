/**
 * A userspace TCP proxy between devices and a relay, for faults the kernel here cannot make (no netem,
 * no iptables: PLATFORM-NOTES "Network faults in tests"). Each accepted connection gets its own
 * upstream connection to the target. The proxy can:
 *
 * - `hold()`: keep forwarding target→client bytes but keep client→target bytes back (in order), so a
 *   device still receives what the relay pushes while nothing it sends (acks, replies) arrives;
 *   `release()` sends what was held and resumes;
 * - `cut()`: destroy every connection (held bytes are dropped) and refuse new ones until `restore()`;
 * - `setDelay(ms)`: forward every chunk, both ways, `ms` after it arrived (in order): a slow link.
 *
 * A connection whose client side closes is torn down without flushing held bytes: a device killed
 * while its acks are held never acknowledges anything.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'

interface Pair {
  client: Socket
  upstream: Socket
  held: Buffer[]
  /** Per destination socket: when the last delayed chunk goes out (Date.now() ms). */
  due: Map<Socket, number>
}

export class FaultProxy {
  readonly #server: Server
  readonly port: number
  #target: { host: string; port: number } | undefined
  readonly #pairs = new Set<Pair>()
  #holding = false
  #cut = false
  #delayMs = 0
  /** Connections accepted so far (refused ones included). */
  accepted = 0

  private constructor(server: Server, port: number) {
    this.#server = server
    this.port = port
  }

  /** A proxy listening on a free loopback port; its target is set later (`setTarget`). */
  static async start(): Promise<FaultProxy> {
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const address = server.address()
    if (address === null || typeof address === 'string') {
      throw new Error('the proxy has no TCP address')
    }
    const proxy = new FaultProxy(server, address.port)
    server.on('connection', (socket) => proxy.#accept(socket))
    return proxy
  }

  /** Where connections go from now on. */
  setTarget(port: number, host = '127.0.0.1'): void {
    this.#target = { host, port }
  }

  /** `/ip4/127.0.0.1/tcp/PORT`: the proxy's address as a multiaddr prefix. */
  get multiaddr(): string {
    return `/ip4/127.0.0.1/tcp/${this.port}`
  }

  /** Connections open now. */
  get open(): number {
    return this.#pairs.size
  }

  /** Delays every chunk after this call by `ms`, both ways, keeping the order (0: no delay). */
  setDelay(ms: number): void {
    this.#delayMs = ms
  }

  /** Holds client→target bytes of every connection, present and future. */
  hold(): void {
    this.#holding = true
  }

  /** Sends the held bytes, in order, and forwards freely again. */
  release(): void {
    this.#holding = false
    for (const pair of this.#pairs) {
      for (const chunk of pair.held.splice(0)) {
        this.#forward(pair, pair.upstream, chunk)
      }
    }
  }

  /** Destroys every connection (dropping held bytes) and refuses new ones until `restore`. */
  cut(): void {
    this.#cut = true
    for (const pair of [...this.#pairs]) {
      this.#teardown(pair)
    }
  }

  /** Accepts connections again (and forwards freely). */
  restore(): void {
    this.#cut = false
    this.#holding = false
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #accept(client: Socket): void {
    this.accepted++
    if (this.#cut || this.#target === undefined) {
      client.destroy()
      return
    }
    const upstream = connect(this.#target.port, this.#target.host)
    const pair: Pair = { client, upstream, held: [], due: new Map() }
    this.#pairs.add(pair)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    client.on('data', (chunk: Buffer) => {
      if (this.#holding) {
        pair.held.push(chunk)
      } else {
        this.#forward(pair, upstream, chunk)
      }
    })
    upstream.on('data', (chunk: Buffer) => {
      this.#forward(pair, client, chunk)
    })
    // whichever side ends or fails, both go, and nothing held is sent
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.#teardown(pair))
      socket.on('close', () => this.#teardown(pair))
      socket.on('end', () => this.#teardown(pair))
    }
  }

  /** Writes `chunk` to `to` now or after the delay; equal delays keep the order (timers fire in order). */
  #forward(pair: Pair, to: Socket, chunk: Buffer): void {
    const now = Date.now()
    // never before a chunk delayed earlier in the same direction, whatever the delay is now
    const at = Math.max(now + this.#delayMs, pair.due.get(to) ?? 0)
    if (at <= now) {
      to.write(chunk)
      return
    }
    pair.due.set(to, at)
    setTimeout(() => {
      if (this.#pairs.has(pair)) {
        to.write(chunk)
      }
    }, at - now)
  }

  #teardown(pair: Pair): void {
    if (!this.#pairs.delete(pair)) {
      return
    }
    pair.held.length = 0
    pair.client.destroy()
    pair.upstream.destroy()
  }
}
