/**
 * The demo chat page: `npx vite browser` serves it for development, `npx vite build browser` writes
 * browser/dist/demo/. The library comes from src/ like any app's dependency would.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { shared } from './vite.shared.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  ...shared,
  root: here('./demo'),
  base: './',
  build: { ...shared.build, outDir: here('./dist/demo'), emptyOutDir: true },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
})
