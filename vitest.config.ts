import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing but Node; `integration` gets a real PostgreSQL (embedded, in a
// temporary data directory) from tests/integration/global-setup.ts; `security` runs against the app
// itself (tests/security/global-setup.ts starts it).
export default defineConfig({
  resolve: { alias: { '@': import.meta.dirname } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'lab/**/*.test.ts', 'tests/unit/**/*.test.ts', 'bin/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          setupFiles: ['tests/integration/setup.ts'],
          // next-auth imports `next/server` without an extension, which Node's ESM resolver
          // rejects (next has no exports map); processed by Vite, it resolves. Lets integration
          // tests import route handlers (lib/next/route.ts -> lib/next/session.ts -> next-auth).
          server: { deps: { inline: ['next-auth'] } },
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:multi-instance` (in .ci/run, not in npm test): two `npm start` instances and two
          // workers on the integration suite's PostgreSQL (tests/multi-instance/).
          name: 'multi-instance',
          include: ['tests/multi-instance/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          setupFiles: ['tests/integration/setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 900_000,
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:security`: issue 12's regression tests and the API fuzzer, against `npm start`
          // on a fresh embedded PostgreSQL (tests/security/global-setup.ts). Every file there runs.
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/security/global-setup.ts'],
          server: { deps: { inline: ['next-auth'] } },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
