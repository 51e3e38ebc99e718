import path from 'node:path';
import { defineConfig } from 'vitest/config';

// the portal's modules import the domain's as `@domain/…` (web/vite.config.ts); tests import them too
const resolve = { alias: { '@domain': path.resolve(import.meta.dirname, 'domain') } };

const slow = {
  // real PostgreSQL, Temporal and SMTP per run, started once by the global setup
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/setup-runtime.ts'],
  // worker threads can run out of WebAssembly memory with the Temporal worker: one process per file
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [
            'test/**/*.integration.test.ts',
            'test/**/*.e2e.test.ts',
            'test/**/*.browser.test.ts',
            'test/**/*.cluster.test.ts',
          ],
        },
      },
      { resolve, test: { name: 'integration', include: ['test/**/*.integration.test.ts'], ...slow } },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          ...slow,
          setupFiles: [...slow.setupFiles, 'test/support/ledger-invariants.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          ...slow,
          // the portal is built (when out of date) before the services start
          globalSetup: ['test/support/browser-setup.ts', ...slow.globalSetup],
          testTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/**/*.cluster.test.ts'],
          ...slow,
          // the production-shaped Temporal server on PostgreSQL instead of the dev server
          globalSetup: ['test/support/cluster-setup.ts'],
          setupFiles: [...slow.setupFiles, 'test/support/ledger-invariants.ts'],
          testTimeout: 600_000,
        },
      },
    ],
  },
});
