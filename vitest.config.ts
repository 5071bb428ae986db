import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources through the `ferry-source` export
// condition, so tests never run against a stale build.
const conditions = ['ferry-source', 'node', 'import', 'module', 'default']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['node'] } },
  test: {
    include: [
      'packages/*/test/**/*.spec.ts',
      'test/**/*.spec.ts',
      'relay-node/test/**/*.spec.ts',
      'node/test/**/*.spec.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    setupFiles: ['./test/setup/node-polyfills.ts', './test/setup/fast-check.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
})
