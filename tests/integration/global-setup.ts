import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../../lib/db/embedded';
import { applyMigrations } from '../../lib/db/migrate';

// Integration tests get a real PostgreSQL: an embedded one in a temporary data directory, with
// every migration applied; DATABASE_URL is handed to the test files through `provide`/env.
export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-it-'));
  const database = await startEmbeddedDatabase({ dataDir });
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  provide('databaseUrl', database.url);
  return async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
