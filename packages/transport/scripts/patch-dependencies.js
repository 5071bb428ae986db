#!/usr/bin/env node
/**
 * Four one-line changes to libp2p dependencies, applied by the root `postinstall` after `npm ci` (and
 * so to the Node processes and the browser bundle alike). Each names the exact version it was written
 * for and the exact text it replaces: a different version, or text not found, stops the install with
 * a message instead of patching blindly. Applying twice changes nothing.
 *
 *   node packages/transport/scripts/patch-dependencies.js          apply (what postinstall runs)
 *   node packages/transport/scripts/patch-dependencies.js --check  exit 1 unless every patch is in place
 *
 * Why each exists and what it saves is in packages/transport/README.md ("Patched dependencies");
 * packages/transport/test/dependency-patches.spec.ts tests the behaviour each one changes.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** A send of several buffers up to this many bytes is joined into one write (tcp and websockets). */
const JOIN_MAX_BYTES = 65536

/** The loop over a send's buffers, joining them first (the tcp and websockets patches). */
function joinedLoop(marker) {
  return `for (const buf of (data.bufs.length > 1 && data.byteLength <= ${JOIN_MAX_BYTES} ? [data.subarray()] : data)) { ${marker}`
}

/** The patches; `marker` is a comment the replacement carries, so an applied patch is recognised. */
const PATCHES = [
  {
    name: 'noise-frame-length',
    package: '@chainsafe/libp2p-noise',
    version: '17.0.0',
    file: 'dist/src/utils.js',
    // The decoder of the encrypted channel learns that a chunk ended inside a frame's 2-byte length
    // prefix from a thrown RangeError: one Error (and its stack trace) at the end of every chunk read
    // from every connection. 0x10000, one more than any uint16 length, makes it wait for more bytes
    // the same way (a frame is taken only once its prefix and its whole length are buffered).
    find: 'lengthDecoder: uint16BEDecode,',
    replace:
      'lengthDecoder: (data) => (data.length < 2 ? 0x10000 : uint16BEDecode(data)), /* ferry patch: noise-frame-length */',
    marker: '/* ferry patch: noise-frame-length */',
  },
  {
    name: 'yamux-window-update',
    package: '@libp2p/yamux',
    version: '8.0.3',
    file: 'dist/src/stream.js',
    // A window update used to go out after every data frame received (a frame of its own, encrypted
    // and written to the socket apart). Now once half of the receive window is used, as the Go yamux
    // (hashicorp/yamux) does; while the reader is not paused, the remote keeps at least half a window
    // to send into.
    find: 'if (this.recvWindowCapacity >= this.recvWindow && flags === 0) {',
    replace:
      'if (this.recvWindowCapacity * 2 >= this.recvWindow && flags === 0) { /* ferry patch: yamux-window-update */',
    marker: '/* ferry patch: yamux-window-update */',
  },
  {
    name: 'tcp-one-write',
    package: '@libp2p/tcp',
    version: '11.0.6',
    file: 'dist/src/socket-to-conn.js',
    // What the connection sends in one go arrives as a list of buffers (each encrypted frame is its
    // 2-byte length and its ciphertext, apart), and each buffer was one write to the socket: two
    // system calls per frame, and on loopback the reader woken for the 2 bytes alone. A list of
    // several buffers up to 64 KiB is now joined and written once (a larger one still goes buffer by
    // buffer, not copied).
    find: 'for (const buf of data) {',
    replace: joinedLoop('/* ferry patch: tcp-one-write */'),
    marker: '/* ferry patch: tcp-one-write */',
  },
  {
    name: 'websockets-one-send',
    package: '@libp2p/websockets',
    version: '10.1.8',
    file: 'dist/src/websocket-to-conn.js',
    // The same for WebSockets (a browser's way to its relays): each buffer of the list was a WebSocket
    // message of its own, so every encrypted frame was two messages (its length, its ciphertext),
    // each framed, sent and dispatched as an event at the other end. Joined as for TCP.
    find: 'for (const buf of data) {',
    replace: joinedLoop('/* ferry patch: websockets-one-send */'),
    marker: '/* ferry patch: websockets-one-send */',
  },
]

class PatchError extends Error {}

/** The installed package's directory, found from this workspace package (where it is a dependency). */
function packageDir(name) {
  let dir
  try {
    dir = dirname(fileURLToPath(import.meta.resolve(name)))
  } catch {
    throw new PatchError(`${name} is not installed`)
  }
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      if (pkg.name === name) {
        return { dir, version: pkg.version }
      }
    } catch {}
    const up = dirname(dir)
    if (up === dir) {
      throw new PatchError(`${name} is not installed`)
    }
    dir = up
  }
}

function occurrences(text, part) {
  return text.split(part).length - 1
}

/** Applies one patch (or with `check`, only looks); returns 'applied', 'already' or 'missing'. */
function applyPatch(patch, check) {
  const { dir, version } = packageDir(patch.package)
  if (version !== patch.version) {
    throw new PatchError(
      `${patch.package} is ${version}; patch ${patch.name} was written for ${patch.version}: review it in packages/transport/scripts/patch-dependencies.js`,
    )
  }
  const path = join(dir, patch.file)
  const text = readFileSync(path, 'utf8')
  if (text.includes(patch.marker)) {
    return 'already'
  }
  if (occurrences(text, patch.find) !== 1) {
    throw new PatchError(
      `${patch.package} ${patch.file}: the text patch ${patch.name} replaces is not there exactly once`,
    )
  }
  if (check) {
    return 'missing'
  }
  writeFileSync(path, text.replace(patch.find, patch.replace))
  return 'applied'
}

function main() {
  const check = process.argv.includes('--check')
  let missing = 0
  for (const patch of PATCHES) {
    const result = applyPatch(patch, check)
    if (result === 'missing') {
      missing++
    }
    process.stdout.write(`${patch.name} (${patch.package} ${patch.version}): ${result}\n`)
  }
  if (missing > 0) {
    process.stderr.write(
      `${missing} dependency patch(es) not applied: run npm ci, or node ${process.argv[1]}\n`,
    )
    process.exitCode = 1
  }
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  try {
    main()
  } catch (err) {
    if (err instanceof PatchError) {
      process.stderr.write(`patch-dependencies: ${err.message}\n`)
      process.exitCode = 1
    } else {
      throw err
    }
  }
}
