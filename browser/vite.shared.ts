/**
 * What every Vite build of the browser package shares: workspace packages are bundled from their
 * TypeScript sources (the `ferry-source` condition), and browser builds of dependencies are picked.
 */
import { fileURLToPath } from 'node:url'
import type { UserConfig } from 'vite'

export const conditions = ['ferry-source', 'browser', 'module', 'import', 'default']

export const shared: UserConfig = {
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
