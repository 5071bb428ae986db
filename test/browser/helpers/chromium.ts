/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): a persistent profile per
 * simulated device (reloads and restarts reuse it), and the built pages served on a loopback origin
 * (a secure context, so WebCrypto, Web Locks and WebRTC are available). A browser inside a network
 * namespace cannot reach the test process's server: there, requests for the origin are answered by
 * interception, and Chromium's local-network-access checks (which would treat such a page as public
 * and refuse its connections to the private test network) are turned off.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
/** The origin of intercepted pages (nothing listens on this port). */
const INTERCEPTED_ORIGIN = 'http://localhost:47123'
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebRTC host candidates carry the interface address, not an mDNS name (no mDNS in a test network)
  '--disable-features=WebRtcHideLocalIpsWithMdns',
]
const NETNS_ARGS = ['--disable-features=WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks']
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM)
}

export interface Profile {
  readonly dir: string
  /** Where the pages are, once launched. */
  readonly origin: string
  /** Starts Chromium on this profile (again, after close(): a browser restart). */
  launch(options?: { netns?: string }): Promise<BrowserContext>
  /** Closes the browser if running and deletes the profile. */
  dispose(): Promise<void>
}

/** A fresh Chromium profile serving `pagesDir`. */
export function newProfile(pagesDir: string): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-chromium-'))
  let context: BrowserContext | undefined
  let server: Server | undefined
  let origin = ''
  return {
    dir,
    get origin() {
      return origin
    },
    async launch(options = {}) {
      let executablePath = CHROMIUM
      if (options.netns !== undefined) {
        executablePath = join(dir, 'chromium-in-netns.sh')
        writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec ${options.netns} ${CHROMIUM} "$@"\n`)
        chmodSync(executablePath, 0o755)
      }
      context = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath,
        headless: true,
        args: options.netns === undefined ? ARGS : [...ARGS.slice(0, -1), ...NETNS_ARGS],
      })
      if (options.netns === undefined) {
        server ??= await serve(pagesDir)
        origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      } else {
        origin = INTERCEPTED_ORIGIN
        await context.route(`${origin}/**`, async (route) => {
          const found = fileOf(pagesDir, new URL(route.request().url()).pathname)
          await route.fulfill(
            found === undefined
              ? { status: 404, body: 'not found' }
              : { status: 200, body: found.body, headers: { 'content-type': found.type } },
          )
        })
      }
      return context
    },
    async dispose() {
      await context?.close().catch(() => {})
      await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function fileOf(pagesDir: string, path: string): { body: Buffer; type: string } | undefined {
  const file = normalize(join(pagesDir, path.endsWith('/') ? `${path}index.html` : path))
  if (!file.startsWith(pagesDir) || !existsSync(file)) {
    return undefined
  }
  return { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' }
}

/** A static server for the built pages on an ephemeral loopback port. */
async function serve(pagesDir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const found = fileOf(pagesDir, new URL(request.url ?? '/', 'http://x').pathname)
    response.writeHead(found === undefined ? 404 : 200, { 'content-type': found?.type ?? 'text/plain' })
    response.end(found?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

/** Opens the test harness in a new tab and waits until it has loaded. */
export async function openHarness(context: BrowserContext, profile: Profile): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${profile.origin}/harness/`)
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready')
  return page
}
