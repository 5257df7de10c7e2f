import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase } from '../../lib/db/embedded';
import { applyMigrations } from '../../lib/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole integration run: embedded, in a fresh temporary data
 * directory under os.tmpdir() (not under a mode-700 directory such as /root, which postgres
 * refuses), migrated, and deleted afterwards. Test files get its URL through `inject`
 * (tests/integration/setup.ts sets DATABASE_URL from it before lib/db is first used).
 */
export default async function setup(project: TestProject) {
  const t0 = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-it-'));
  fs.chmodSync(dataDir, 0o755);
  const lines: string[] = [];
  const database = await startEmbeddedDatabase({ dataDir, log: (l) => lines.push(l) }).catch((err) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${lines.slice(-20).join('')}`);
  });
  try {
    await applyMigrations(database.url);
  } catch (err) {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  project.provide('databaseUrl', database.url);
  if (process.env.DEBUG_TESTS) console.log(`[global-setup] PostgreSQL ready in ${Date.now() - t0} ms at ${dataDir}`);

  return async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
