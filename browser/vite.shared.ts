/**
 * What every Vite build of the browser package shares: workspace packages are bundled from their
 * TypeScript sources (the `ferry-source` condition), browser builds of dependencies are picked, and
 * code a browser never runs is left out (the buffer polyfill, gossipsub's metric set, libp2p key
 * types other than Ed25519, protobuf streaming decoders), and @libp2p/webrtc's dialer waits on its
 * init channel by the channel's state (build/webrtc-init-channel.ts).
 */
import { fileURLToPath } from 'node:url'
import type { UserConfig } from 'vite'
import { ed25519KeysOnly } from './build/ed25519-keys-only.js'
import { noGossipsubMetrics } from './build/no-gossipsub-metrics.js'
import { noProtobufStreaming } from './build/no-protobuf-streaming.js'
import { webRTCInitChannel } from './build/webrtc-init-channel.js'

export const conditions = ['ferry-source', 'browser', 'module', 'import', 'default']

export const shared: UserConfig = {
  // see the modules in build/
  plugins: [noGossipsubMetrics(), ed25519KeysOnly(), noProtobufStreaming(), webRTCInitChannel()],
  resolve: {
    conditions,
    // see build/no-buffer.cjs
    alias: { buffer: fileURLToPath(new URL('./build/no-buffer.cjs', import.meta.url)) },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    // one libp2p-sized chunk is expected; `npm run bench -- browser` measures what is shipped
    chunkSizeWarningLimit: 2048,
  },
  logLevel: 'warn',
}
