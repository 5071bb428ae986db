/**
 * The library build: `createBrowserMessenger()` and everything it needs as ES modules, minified,
 * without the demo: the entry and the chunks it loads on demand (WebRTC, the crypto provider).
 * `npx vite build --config browser/vite.lib.config.ts` writes browser/dist/lib/. (Vite's library mode
 * keeps whitespace in ES output; this is an application-style build with the entry's exports kept.)
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { shared } from './vite.shared.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  ...shared,
  build: {
    ...shared.build,
    outDir: here('./dist/lib'),
    emptyOutDir: true,
    minify: true,
    rollupOptions: {
      input: { 'ferry-browser': here('./src/index.ts') },
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Everything the entry imports statically goes in one chunk, loaded at start-up anyway:
        // otherwise the modules the on-demand chunks share with it (noble, multiformats, protons)
        // split it into four files, each gzipped alone (1.5 KiB gzip more, and four requests).
        codeSplitting: { groups: [{ name: 'ferry-browser', tags: ['$initial'] }] },
      },
    },
  },
})
