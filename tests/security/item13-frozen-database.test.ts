// Issue 12 item 13: with the database frozen (all its processes stopped), pages, API, status and
// badges hung for about 21 s. Now every one of them answers a clear 503 within 5 s, and the app
// recovers by itself when the database answers again.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { app, call, makeWorld, signIn, type World } from './support';

let w: World;
let cookie = '';
let pids: number[] = [];

/** The embedded PostgreSQL's postmaster and every process it started (read from /proc). */
function postgresProcesses(): number[] {
  const info = JSON.parse(fs.readFileSync(path.join(app().dataDir, 'postgres.json'), 'utf8')) as {
    clusterDir?: string;
  };
  const clusterDir = info.clusterDir ?? path.join(app().dataDir, 'postgres');
  const postmaster = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return /^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${d}/status`, 'utf8'))?.[1] === String(postmaster);
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function signalAll(signal: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

beforeAll(async () => {
  w = await makeWorld();
  const s = await signIn(w.csp.email, w.csp.password);
  expect(s.outcome).toBe('ok');
  cookie = s.cookie;
});
afterAll(async () => {
  signalAll('SIGCONT');
});

describe('item 13: a frozen database is a clear 503 within 5 s', () => {
  test('pages, API, status and badges answer 503 within 5 s; all recover once the database answers again', async () => {
    pids = postgresProcesses();
    expect(pids.length).toBeGreaterThan(1);
    signalAll('SIGSTOP');
    try {
      const requests: [string, { cookie?: string; token?: string }, RegExp][] = [
        ['/clouds', { cookie }, /database is not answering/],
        ['/api/v1/clouds', { token: w.csp.token }, /"database_unavailable"/],
        [`/status/${w.cloud}`, {}, /database is not answering/],
        [`/badge/${w.cloud}.svg`, {}, /database is not answering/],
        ['/api/v1/status', {}, /"database_unavailable"/],
      ];
      const answers = await Promise.all(
        requests.map(async ([p, auth, body]) => {
          const t0 = Date.now();
          const r = await call(p, { ...auth, signal: AbortSignal.timeout(15_000) });
          return {
            p,
            ms: Date.now() - t0,
            status: r.status,
            ok: body.test(r.text),
            retry: r.headers.get('retry-after'),
          };
        }),
      );
      for (const a of answers) {
        expect(a, JSON.stringify(a)).toMatchObject({ status: 503, ok: true, retry: '5' });
        expect(a.ms, a.p).toBeLessThan(5000);
      }
      // Requests arriving while it stays frozen are answered at once.
      const t1 = Date.now();
      expect((await call('/compliance', { cookie })).status).toBe(503);
      expect(Date.now() - t1).toBeLessThan(1000);
    } finally {
      signalAll('SIGCONT');
    }
    const t2 = Date.now();
    let status = 0;
    while (Date.now() - t2 < 30_000) {
      status = (await call('/api/v1/clouds', { token: w.csp.token })).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await call('/clouds', { cookie })).status).toBe(200);
  });
});
