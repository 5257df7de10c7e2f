import { afterAll, inject } from 'vitest';

// Runs in each test worker before the test file is imported: lib/db reads DATABASE_URL lazily
// on first use, so setting it here points every module at the run's PostgreSQL.
process.env.DATABASE_URL = inject('databaseUrl');

// Close the worker's connection pool after each file, so the worker (and the run) ends at once
// instead of waiting for idle connections to time out.
afterAll(async () => {
  const { db } = await import('@/lib/db');
  await db.$disconnect();
});
