import { inject } from 'vitest';

// Runs in each test worker before the test file is imported: lib/db reads DATABASE_URL lazily
// on first use, so setting it here points every module at the run's PostgreSQL.
process.env.DATABASE_URL = inject('databaseUrl');
