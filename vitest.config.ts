import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` gets a real PostgreSQL
// (embedded, in a temporary data directory) from tests/integration/global-setup.ts.
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
          // The security suite (issue 12): regression tests of security fixes, needing nothing but Node.
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
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
          // tests import route handlers (lib/next/route.ts -> lib/auth/session.ts -> next-auth).
          server: { deps: { inline: ['next-auth'] } },
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
