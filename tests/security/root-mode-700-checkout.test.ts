// Issue 12, the new user's case: as root, `npm start` and `npm test` failed when the checkout sat in a
// folder other users cannot enter (/root is mode 700), because the embedded PostgreSQL runs as user
// postgres. Now the cluster (and, where needed, a copy of PostgreSQL's programs) lives where postgres
// can enter, recorded in DATA_DIR, and nothing above it is chmod-ed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { startEmbeddedDatabase } from '../../lib/db/embedded';

describe.runIf(process.getuid?.() === 0)('the embedded PostgreSQL as root, with DATA_DIR in a mode-700 folder', () => {
  test('starts, serves, restarts with the same data, and leaves the private folder private', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-private-'));
    const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-runtime-'));
    fs.chmodSync(home, 0o700);
    fs.chmodSync(runtime, 0o755);
    const before = process.env.EMBEDDED_PG_RUNTIME_DIR;
    process.env.EMBEDDED_PG_RUNTIME_DIR = runtime;
    try {
      const dataDir = path.join(home, 'checkout', 'data');
      const db = await startEmbeddedDatabase({ dataDir });
      try {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        await c.query('CREATE TABLE kept (v text)');
        await c.query("INSERT INTO kept VALUES ('still here')");
        await c.end();
      } finally {
        await db.stop();
      }
      const again = await startEmbeddedDatabase({ dataDir });
      try {
        const c = new pg.Client({ connectionString: again.url });
        await c.connect();
        expect((await c.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
        await c.end();
      } finally {
        await again.stop();
      }
      expect(fs.statSync(home).mode & 0o777).toBe(0o700);
      const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'postgres.json'), 'utf8')) as { clusterDir: string };
      expect(info.clusterDir.startsWith(runtime)).toBe(true);
      const st = fs.statSync(info.clusterDir);
      expect(st.mode & 0o777).toBe(0o700); // the cluster: postgres's alone
      expect(st.uid).not.toBe(0);
      expect(fs.statSync(path.join(dataDir, 'postgres.json')).mode & 0o077).toBe(0);
    } finally {
      if (before === undefined) delete process.env.EMBEDDED_PG_RUNTIME_DIR;
      else process.env.EMBEDDED_PG_RUNTIME_DIR = before;
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(runtime, { recursive: true, force: true });
    }
  });
});
