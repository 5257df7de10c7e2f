// Shared by the benchmarks that run the production server (pages.ts, load.ts, scale.ts): the bulk
// seed of N clouds with a history of daily runs, starting scripts/start.ts, percentiles and the
// memory of the server's processes (from /proc: Linux only, null elsewhere).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';

export const say = (m: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${m}`);

export const pct = (v: number[], q: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

/** The 1, 5 and 15 minute load averages and the core count, for every figure printed (a shared machine). */
export const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores`;

/**
 * N clouds (every second one public, ten per organization) with `days` daily runs of both official
 * testcases, an approved attestation for 80 % and a certificate for 50 % of them, by bulk SQL.
 */
export async function seedClouds(client: pg.Client, n: number, days: number): Promise<void> {
  const t0 = Date.now();
  await client.query(
    `INSERT INTO "Organization" (id, slug, name, "updatedAt") SELECT gen_random_uuid(), 'org-' || g, 'Organization ' || g, now() FROM generate_series(1, $1) g`,
    [Math.ceil(n / 10)],
  );
  await client.query(
    `INSERT INTO "Cloud" (id, slug, name, "organizationId", public, "updatedAt", schedule)
    SELECT gen_random_uuid(), 'cloud-' || g, 'Cloud ' || lpad(g::text, 5, '0'), o.id, g % 2 = 0, now(), 'daily'
      FROM generate_series(1, $1) g JOIN "Organization" o ON o.slug = 'org-' || ((g - 1) / 10 + 1)`,
    [n],
  );
  await client.query(
    `CREATE TEMP TABLE days AS SELECT d, (date_trunc('day', now()) - (d || ' days')::interval + interval '3 hours' + (random() * interval '2 hours')) AS at FROM generate_series(0, $1 - 1) d`,
    [days],
  );
  await client.query(`INSERT INTO "Run" (id, "cloudId", status, trigger, "queuedAt", "startedAt", "finishedAt", testcases)
    SELECT gen_random_uuid(), c.id, 'finished', 'schedule', d.at, d.at, d.at + interval '2 seconds', ARRAY['scs-0116-presence', 'scs-0116-permissions'] FROM "Cloud" c CROSS JOIN days d`);
  say(`runs inserted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  // Realistic variation: per cloud a failure-prone stretch, rare ABORTs, a few clouds without a key manager.
  await client.query(`INSERT INTO "RunResult" (id, "runId", "cloudId", testcase, verdict, message, "durationMs", "checkedAt")
    SELECT gen_random_uuid(), r.id, r."cloudId", t.testcase,
      (CASE WHEN random() < 0.01 THEN 'ABORT'
            WHEN t.testcase = 'scs-0116-presence' AND c.slug LIKE '%7' THEN 'FAIL'
            WHEN t.testcase = 'scs-0116-permissions' AND (abs(hashtext(c.slug)) % 97) = (extract(doy FROM r."queuedAt")::int % 97) THEN 'FAIL'
            ELSE 'PASS' END)::"Verdict",
      'ok', 400 + (random() * 800)::int, r."finishedAt"
    FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId" CROSS JOIN (VALUES ('scs-0116-presence'), ('scs-0116-permissions')) t(testcase)`);
  say(`results inserted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  await client.query(`INSERT INTO "Attestation" (id, "cloudId", revision, state, standard, statement, "createdByLabel", "submittedAt", "decidedAt", "approvedAt", "expiresAt")
    SELECT gen_random_uuid(), id, 1, 'approved', 'scs-0116-v1', '{}'::jsonb, 'bench', now() - interval '10 days', now() - interval '9 days', now() - interval '9 days', now() + interval '80 days'
      FROM "Cloud" WHERE (abs(hashtext(slug)) % 10) < 8`);
  await client.query(`INSERT INTO "Certificate" (id, "cloudId", standard, "grantedAt", "validUntil", "grantedByLabel")
    SELECT gen_random_uuid(), id, 'scs-0116-v1', now() - interval '100 days', now() + interval '265 days', 'bench' FROM "Cloud" WHERE (abs(hashtext(slug)) % 10) < 5`);
  // A bulk load leaves every new row for autovacuum (PostgreSQL >= 13 vacuums after inserts too) and
  // gigabytes of WAL for the next checkpoint. Both would land inside the measurements that follow, on
  // the same 2 cores; a database that has been serving for a while has them behind it.
  await client.query('VACUUM (ANALYZE)');
  await client.query('CHECKPOINT');
  const [{ runs }] = (await client.query('SELECT count(*)::int AS runs FROM "Run"')).rows;
  const [{ results }] = (await client.query('SELECT count(*)::int AS results FROM "RunResult"')).rows;
  say(`seeded ${n} clouds, ${runs} runs, ${results} results in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** A memory figure of a live process from /proc/<pid>/status (VmHWM: peak resident set, VmRSS: now), in MB. */
function statusMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | null {
  if (!pid) return null;
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export const peakRssMb = (pid: number | undefined) => statusMb(pid, 'VmHWM');
export const rssMb = (pid: number | undefined) => statusMb(pid, 'VmRSS');

/** `npm start` is a small front process with the web process (its bundle, or scripts/web.ts) as its child. */
export function webProcessPid(frontPid: number | undefined): number | undefined {
  const web = ['dist/server/web.mjs', 'scripts/web.ts'];
  return processTree(frontPid).find((p) => p !== frontPid && web.includes(processName(p))) ?? frontPid;
}

/** The pids of a process and all its live descendants, the process first. */
export function processTree(pid: number | undefined): number[] {
  if (!pid) return [];
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const c of fs.readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim().split(/\s+/)) {
        if (c) out.push(Number(c));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** What a pid runs, for a table: the script a node process runs, else its executable's name. */
export function processName(pid: number): string {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = argv.find((a) => /\.(ts|js|mjs)$/.test(a));
    return script
      ? script.replace(/^.*\/(scripts|node_modules|dist)\//, '$1/')
      : (argv[0] ?? String(pid)).replace(/^.*\//, '');
  } catch {
    return String(pid);
  }
}

/**
 * The server as `npm start` runs it (scripts/server.mjs start: the bundles of scripts/start.ts and its
 * children) with this environment and the V8 heap cap `npm start` sets (NODE_HEAP_MB, else 320 MB; the
 * web process inherits it), resolved once it serves; `log()` is its output.
 */
export function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess; log: () => string }> {
  const heap = `--max-old-space-size=${process.env.NODE_HEAP_MB || 320}`;
  const proc = spawn(process.execPath, [heap, 'scripts/server.mjs', 'start'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web did not start:\n${out.slice(-3000)}`)), 900_000);
    const on = (d: Buffer) => {
      out += String(d);
      if (/serving http/.test(out)) {
        clearTimeout(timer);
        resolve({ proc, log: () => out });
      }
    };
    proc.stdout!.on('data', on);
    proc.stderr!.on('data', on);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web exited ${code}:\n${out.slice(-3000)}`));
    });
  });
}

/** Stops a server started with startServer and waits for it (and its PostgreSQL connections) to end. */
export async function stopServer(proc: ChildProcess | null | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
