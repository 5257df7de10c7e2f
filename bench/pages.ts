// `npm run bench:pages`: 1,000 clouds with 18 months of daily runs of both official testcases
// (548,000 runs, 1,096,000 results) seeded into a fresh embedded PostgreSQL with bulk SQL
// (INSERT ... SELECT generate_series), then, under our production server (scripts/start.ts ->
// next start, WORKERS=off), the p50/p95 server time of: the compliance overview, a cloud page, a
// public status page, the badge, GET /api/v1/status (all public clouds); in the same run the plain
// SQL that fetches the same data, and the ratio page / SQL. Then /api/health p95 while 8 clients
// load overview pages without pause, the JavaScript the public status page ships, the first overview
// after seeding (it computes every stored snapshot) and the peak RSS of every server process.
//
// Options: --clouds N (1000), --days N (548), --samples N (200), --port N (3695), --keep (keep the data dir and
// print it), --data DIR (a data dir kept before: no seeding; every stored snapshot is made stale first, so
// the first overview computes them all again as after seeding).
// Needs a built app (`npm run build`; scripts/start.ts builds when sources changed).

import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedDatabase } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import {
  loadAverage,
  pct,
  peakRssMb,
  processName,
  processTree,
  rssMb,
  say,
  seedClouds,
  startServer,
  stopServer,
  webProcessPid,
} from './lib';

const { values: args } = parseArgs({
  options: {
    clouds: { type: 'string', default: '1000' },
    days: { type: 'string', default: '548' },
    samples: { type: 'string', default: '200' },
    port: { type: 'string', default: '3695' },
    keep: { type: 'boolean', default: false },
    data: { type: 'string' },
  },
});
const N = Number(args.clouds),
  DAYS = Number(args.days),
  SAMPLES = Number(args.samples),
  PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
/** Issue 14's targets that are not per page: the first overview after seeding, every server process's memory. */
const FIRST_OVERVIEW_MS = 10_000;
const PEAK_RSS_MB = 400;

let webLog = () => '';

/** A session cookie for the user, minted as Auth.js does (JWT strategy; only the user id travels). */
async function sessionCookie(userId: string, secret: string): Promise<string> {
  const { encode } = await import('next-auth/jwt');
  const name = 'authjs.session-token';
  const token = await encode({ token: { uid: userId, sub: userId }, secret, salt: name, maxAge: 3600 });
  return `${name}=${token}`;
}

async function timeGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/** n timed calls of fn after 3 untimed ones; `before` runs untimed ahead of each call. */
async function measure(fn: () => Promise<unknown>, n = SAMPLES, before?: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) {
    await before?.();
    await fn();
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await before?.();
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<boolean> {
  const reuse = args.data ? path.resolve(args.data) : null;
  const tmp = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-bench-pages-'));
  fs.chmodSync(tmp, 0o755);
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : await startEmbeddedDatabase({ dataDir: path.join(tmp, 'data') });
  let web: ChildProcess | null = null;
  try {
    await applyMigrations(db.url);
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    if (reuse) {
      const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM "Cloud"')).rows;
      if (n !== N) throw new Error(`${reuse} holds ${n} clouds, not ${N}: pass --clouds ${n}`);
      await client.query('UPDATE "ComplianceSnapshot" SET version = version + 1');
      await client.query('VACUUM ANALYZE "ComplianceSnapshot"');
      say(`reusing ${reuse} (${n} clouds); every stored snapshot made stale`);
    } else await seedClouds(client, N, DAYS);
    const email = `bench-admin-${Date.now()}@bench.example`,
      password = 'bench-password-bench-password';
    const adm = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/admin.ts', 'create-user', email, '--role', 'admin', '--password-stdin'],
      { input: password, encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url } },
    );
    if (adm.status !== 0) throw new Error(adm.stderr);
    const started = await startServer({
      PORT: String(PORT),
      HOST: '127.0.0.1',
      WORKERS: 'off',
      DATABASE_URL: db.url,
      DATA_DIR: path.join(tmp, 'web'),
      AUTH_SECRET: 'bench-auth-secret-bench-auth-secret',
      AUTH_URL: BASE,
      PUBLIC_URL: BASE,
    });
    web = started.proc;
    webLog = started.log;
    say('web serving');
    const [{ id: adminId }] = (await client.query('SELECT id FROM "User" WHERE email = $1', [email])).rows;
    const cookie = await sessionCookie(adminId, 'bench-auth-secret-bench-auth-secret');
    const H = { Cookie: cookie };
    const publicSlug = N >= 42 ? 'cloud-42' : 'cloud-2';
    const [{ id: cloudId }] = (await client.query('SELECT id FROM "Cloud" WHERE slug = $1', [publicSlug])).rows;

    // The plain SQL that fetches the same data as each page: the stored compliance snapshots
    // (lib/compliance/snapshot.ts; counts per status and one sorted page for the overview), the
    // history aggregate and the latest runs for a cloud.
    const from = `"Cloud" c JOIN "Organization" o ON o.id = c."organizationId" JOIN "ComplianceSnapshot" s ON s."cloudId" = c.id`;
    const overviewSql = async () =>
      Promise.all([
        client.query(`SELECT s.status, count(*) FROM ${from} WHERE c."archivedAt" IS NULL GROUP BY s.status`),
        client.query(
          `SELECT c.id, c.slug, c.name, c.public, c.region, c."nextRunAt", o.name, s.summary FROM ${from} WHERE c."archivedAt" IS NULL ORDER BY lower(c.name), c.name, c.id LIMIT 50`,
        ),
      ]);
    const snapshotSql = (slugs: 'public' | string) =>
      client.query(
        `SELECT c.id, c.slug, c.name, c.region, o.name, s.summary FROM ${from} WHERE c.public AND c."archivedAt" IS NULL ${slugs === 'public' ? '' : 'AND c.slug = $1'} ORDER BY c.name`,
        slugs === 'public' ? [] : [slugs],
      );
    const historySql = () =>
      client.query(
        `SELECT testcase, ("checkedAt" AT TIME ZONE 'UTC')::date AS day, count(*) FILTER (WHERE verdict = 'PASS'), count(*) FILTER (WHERE verdict = 'FAIL'), count(*) FILTER (WHERE verdict = 'ABORT'),
        (array_agg(verdict::text ORDER BY "checkedAt" DESC))[1], max("checkedAt"), (array_agg(message ORDER BY "checkedAt" DESC))[1]
        FROM "RunResult" WHERE "cloudId" = $1 AND "checkedAt" >= now() - interval '548 days' GROUP BY 1, 2`,
        [cloudId],
      );
    const cloudSql = async () =>
      Promise.all([
        snapshotSql(publicSlug),
        historySql(),
        client.query(`SELECT * FROM "Run" WHERE "cloudId" = $1 ORDER BY "queuedAt" DESC LIMIT 10`, [cloudId]),
      ]);

    // A write to the cloud (what a new result, attestation or certificate does through the triggers):
    // its stored snapshot and its cached history are stale, so the next view recomputes them.
    const change = () =>
      client.query('UPDATE "ComplianceSnapshot" SET version = version + 1 WHERE "cloudId" = $1', [cloudId]);
    const cases: Array<{
      name: string;
      target: number | null;
      page: () => Promise<unknown>;
      sql: () => Promise<unknown>;
      before?: () => Promise<unknown>;
    }> = [
      {
        name: `overview (/compliance, ${N.toLocaleString('en')} clouds, page 1)`,
        target: 200,
        page: () => timeGet(`${BASE}/compliance`, H),
        sql: overviewSql,
      },
      {
        name: `cloud page (/clouds/${publicSlug}, ${DAYS} days)`,
        target: 60,
        page: () => timeGet(`${BASE}/clouds/${publicSlug}`, H),
        sql: cloudSql,
      },
      {
        name: `public status page (/status/${publicSlug})`,
        target: 50,
        page: () => timeGet(`${BASE}/status/${publicSlug}`),
        sql: cloudSql,
      },
      {
        name: 'badge (/badge/{slug}.svg)',
        target: 10,
        page: () => timeGet(`${BASE}/badge/${publicSlug}.svg`),
        sql: () => snapshotSql(publicSlug),
      },
      {
        name: 'GET /api/v1/status (all public clouds)',
        target: 300,
        page: () => timeGet(`${BASE}/api/v1/status`),
        sql: () => snapshotSql('public'),
      },
      // The same pages on their first view after a change to the cloud (informational).
      {
        name: '  cloud page, first view after a change',
        target: null,
        page: () => timeGet(`${BASE}/clouds/${publicSlug}`, H),
        sql: cloudSql,
        before: change,
      },
      {
        name: '  public status page, first view after a change',
        target: null,
        page: () => timeGet(`${BASE}/status/${publicSlug}`),
        sql: cloudSql,
        before: change,
      },
      {
        name: '  badge, first view after a change (by the app)',
        target: null,
        page: () => timeGet(`${BASE}/badge/${publicSlug}.svg`),
        sql: () => snapshotSql(publicSlug),
        before: change,
      },
    ];
    const rows: string[] = [];
    let ok = true;
    const loadStart = loadAverage();
    say(loadStart);
    // The first overview after seeding computes and stores every cloud's snapshot; later ones read them.
    const webPid = webProcessPid(started.proc.pid);
    const idleRss = { rss: rssMb(webPid), peak: peakRssMb(webPid) };
    const cold = await timeGet(`${BASE}/compliance`, H);
    const coldRss = { rss: rssMb(webPid), peak: peakRssMb(webPid) };
    const coldMet = cold < FIRST_OVERVIEW_MS;
    ok &&= coldMet;
    rows.push(
      `first overview after seeding (computes ${N.toLocaleString('en')} stored snapshots): ${cold.toFixed(0)} ms | target < ${FIRST_OVERVIEW_MS / 1000} s ${coldMet ? 'MET' : 'MISSED'}`,
    );
    rows.push(
      `  web process RSS: ${idleRss.rss} MB serving, before any request (peak ${idleRss.peak}); ${coldRss.rss} MB after the first overview (peak ${coldRss.peak}) (not a target)`,
    );
    say(rows.join('\n'));
    // The first overview rewrote every snapshot row; autovacuum would clean them up within its next
    // minute, in the middle of the samples below. Done here, so the samples measure serving, not that.
    await client.query('VACUUM ANALYZE "ComplianceSnapshot"');
    for (const c of cases) {
      const page = await measure(c.page, SAMPLES, c.before);
      const sql = await measure(c.sql);
      const p95 = pct(page, 0.95);
      const met = c.target === null || p95 < c.target;
      ok &&= met;
      rows.push(
        `${c.name.padEnd(48)} p50 ${pct(page, 0.5).toFixed(1).padStart(7)} ms  p95 ${p95.toFixed(1).padStart(7)} ms  | SQL p50 ${pct(sql, 0.5).toFixed(1).padStart(6)} ms p95 ${pct(sql, 0.95).toFixed(1).padStart(6)} ms | ratio p50 ${(pct(page, 0.5) / pct(sql, 0.5)).toFixed(1).padStart(5)}x | ${c.target === null ? 'no target' : `target p95 < ${c.target} ms ${met ? 'MET' : 'MISSED'}`} | web peak RSS ${peakRssMb(webPid)} MB`,
      );
      say(rows[rows.length - 1]);
    }

    // /api/health while 8 clients load overview pages without pause.
    let stop = false;
    let loaded = 0;
    const loaders = Array.from({ length: 8 }, async (_, i) => {
      while (!stop) {
        await timeGet(`${BASE}/compliance?page=${(i % 5) + 1}`, H);
        loaded++;
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const health = await measure(() => timeGet(`${BASE}/api/health`), SAMPLES);
    stop = true;
    await Promise.all(loaders);
    const hp95 = pct(health, 0.95);
    ok &&= hp95 < 20;
    rows.push(
      `/api/health under 8 overview clients               p50 ${pct(health, 0.5).toFixed(1).padStart(7)} ms  p95 ${hp95.toFixed(1).padStart(7)} ms  (${loaded} overview pages meanwhile) | target p95 < 20 ms ${hp95 < 20 ? 'MET' : 'MISSED'}`,
    );

    // JavaScript shipped by the public status page.
    const html = await (await fetch(`${BASE}/status/${publicSlug}`)).text();
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
    let bytes = 0;
    for (const s of scripts) bytes += (await (await fetch(new URL(s, BASE))).arrayBuffer()).byteLength;
    const inline = [...html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].reduce(
      (n, m) => n + m[1].length,
      0,
    );
    const jsKb = (bytes + inline) / 1024;
    ok &&= jsKb < 50;
    rows.push(
      `public status page JavaScript: ${scripts.length} files ${(bytes / 1024).toFixed(1)} kB + inline ${(inline / 1024).toFixed(1)} kB (uncompressed) | HTML ${(html.length / 1024).toFixed(1)} kB | target < 50 kB ${jsKb < 50 ? 'MET' : 'MISSED'}`,
    );

    // Peak resident memory of every process of the server (the front and the web process it started).
    for (const pid of processTree(started.proc.pid)) {
      const peak = peakRssMb(pid);
      if (peak === null) continue;
      const met = peak < PEAK_RSS_MB;
      ok &&= met;
      rows.push(
        `peak RSS ${processName(pid).padEnd(40)} ${String(peak).padStart(5)} MB | target < ${PEAK_RSS_MB} MB ${met ? 'MET' : 'MISSED'}`,
      );
    }

    console.log(
      `\n== bench:pages (${N} clouds, ${DAYS} days; at the start ${loadStart}, at the end ${loadAverage()}) ==`,
    );
    for (const r of rows) console.log(r);
    console.log(ok ? 'all targets met' : 'NOT all targets met');
    await client.end();
    return ok;
  } finally {
    await stopServer(web);
    await db.stop();
    if (args.keep && !reuse) console.log(`data kept in ${tmp} (again: --data ${tmp} --clouds ${N})`);
    if (!args.keep && !reuse) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(err);
    console.error(webLog().slice(-3000));
    process.exit(1);
  },
);
