// `npm run bench:load`: the public answers under many concurrent clients. Seeds --clouds clouds
// (bench/lib.ts) into a fresh embedded PostgreSQL, starts our production server (scripts/start.ts,
// WORKERS=off) and, for each public answer in turn, lets --clients clients (keep-alive, loopback
// only, Accept-Encoding: gzip as browsers and curl --compressed send) request it without pause for
// --seconds seconds. Prints requests/s, latency percentiles, bytes per answer and errors per answer,
// and the ratio of each answer's requests/s to the badge's measured in the same run (the badge is
// measured before and after the others; the mean of both is the baseline). The baseline row "web
// process floor" (robots.txt, a static file Next.js serves without any database) shows what any
// answer that reaches the web process could at best do. Stops by itself.
//
// Targets: every public answer >= 0.5 x the badge's requests/s, and no errors at all (a non-200 or
// a failed request). Exits non-zero when one is missed.
//
// Options: --clouds N (1000), --days N (90), --clients N (200), --seconds N (8), --port N (4705).
// Needs a built app (scripts/start.ts builds when sources changed).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Agent, request } from 'undici';
import { startEmbeddedDatabase } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { loadAverage, pct, say, seedClouds, startServer, stopServer } from './lib';

const { values: args } = parseArgs({
  options: {
    clouds: { type: 'string', default: '1000' },
    days: { type: 'string', default: '90' },
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '8' },
    port: { type: 'string', default: '4705' },
  },
});
const N = Number(args.clouds),
  DAYS = Number(args.days),
  CLIENTS = Number(args.clients),
  SECONDS = Number(args.seconds),
  PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const TARGET_RATIO = 0.5;

interface Figures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  bytes: number;
  count: number;
  firstError?: string;
}

/** CLIENTS clients requesting `path` without pause for SECONDS seconds. */
async function load(agent: Agent, path: string, headers: Record<string, string> = {}): Promise<Figures> {
  const times: number[] = [];
  let errors = 0,
    bytes = 0,
    firstError: string | undefined;
  const end = performance.now() + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await request(BASE + path, {
          dispatcher: agent,
          headers: { 'accept-encoding': 'gzip', ...headers },
        });
        const body = await res.body.arrayBuffer();
        if (res.statusCode !== 200 && res.statusCode !== 304) {
          errors++;
          firstError ??= `HTTP ${res.statusCode}`;
        } else bytes = body.byteLength;
        times.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
        times.push(performance.now() - t0);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const wall = (performance.now() - t0) / 1000;
  return {
    rps: times.length / wall,
    p50: pct(times, 0.5),
    p95: pct(times, 0.95),
    p99: pct(times, 0.99),
    errors,
    bytes,
    count: times.length,
    firstError,
  };
}

async function main(): Promise<boolean> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-bench-load-'));
  fs.chmodSync(tmp, 0o755);
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : await startEmbeddedDatabase({ dataDir: path.join(tmp, 'data') });
  let web: Awaited<ReturnType<typeof startServer>> | null = null;
  const agent = new Agent({ connections: CLIENTS, pipelining: 1, keepAliveTimeout: 30_000 });
  try {
    await applyMigrations(db.url);
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    await seedClouds(client, N, DAYS);
    // Some revocations, so the revocation lists have content.
    await client.query(
      `UPDATE "Certificate" SET "revokedAt" = now() - interval '1 day', "revokedReason" = 'bench revocation'
        WHERE id IN (SELECT id FROM "Certificate" ORDER BY id LIMIT 20)`,
    );
    await client.end();
    web = await startServer({
      PORT: String(PORT),
      HOST: '127.0.0.1',
      WORKERS: 'off',
      DATABASE_URL: db.url,
      DATA_DIR: path.join(tmp, 'web'),
      AUTH_SECRET: 'bench-auth-secret-bench-auth-secret',
      PUBLIC_URL: BASE,
    });
    say(`serving; ${CLIENTS} clients, ${SECONDS} s per answer, ${N} clouds`);
    const slug = N >= 42 ? 'cloud-42' : 'cloud-2';
    // Computes and stores every snapshot once (as the workers would have), outside the measurement.
    for (const p of ['/api/v1/status', `/status/${slug}`]) await request(BASE + p).then((r) => r.body.dump());

    const answers: Array<[string, string, Record<string, string>?]> = [
      [`status page (/status/${slug})`, `/status/${slug}`],
      [`status JSON, one cloud (/api/v1/status?cloud=${slug})`, `/api/v1/status?cloud=${slug}`],
      [`status JSON, all ${Math.floor(N / 2)} public clouds (/api/v1/status)`, '/api/v1/status'],
      ['status list (/status)', '/status'],
      [`Atom feed, one cloud (/status/${slug}/feed.atom)`, `/status/${slug}/feed.atom`],
      ['Atom feed, all public clouds (/status/feed.atom)', '/status/feed.atom'],
      ['revocation list (/certificates/revoked)', '/certificates/revoked'],
      ['revocation list JSON (/api/v1/certificates/revoked)', '/api/v1/certificates/revoked'],
    ];
    const badgePath = `/badge/${slug}.svg`;
    const badgeBefore = await load(agent, badgePath);
    say(`badge ${badgeBefore.rps.toFixed(0)}/s`);
    const measured: Array<{ name: string; f: Figures; target: boolean }> = [];
    for (const [name, p, h] of answers) {
      const f = await load(agent, p, h);
      measured.push({ name, f, target: true });
      say(`${name} ${f.rps.toFixed(0)}/s`);
    }
    // A conditional request with the current entity tag (what a browser or monitor sends again).
    const etag = String((await request(BASE + `/status/${slug}`)).headers.etag);
    const revalidated = await load(agent, `/status/${slug}`, { 'if-none-match': etag });
    measured.push({ name: 'status page revalidated (If-None-Match, 304)', f: revalidated, target: true });
    const floor = await load(agent, '/robots.txt');
    const badgeAfter = await load(agent, badgePath);
    say(`badge again ${badgeAfter.rps.toFixed(0)}/s; ${loadAverage()}`);
    const badge = (badgeBefore.rps + badgeAfter.rps) / 2;
    const rows = [
      { name: `badge (/badge/${slug}.svg), before`, f: badgeBefore, target: false },
      ...measured,
      { name: 'web process floor (/robots.txt through Next.js)', f: floor, target: false },
      { name: `badge (/badge/${slug}.svg), after`, f: badgeAfter, target: false },
    ];

    let ok = badgeBefore.errors === 0 && badgeAfter.errors === 0;
    console.log(`\n== bench:load (${CLIENTS} clients, ${SECONDS} s each, ${N} clouds, ${loadAverage()}) ==`);
    console.log(`baseline: badge ${badge.toFixed(0)} req/s (mean of before and after)`);
    for (const { name, f, target } of rows) {
      const met = f.errors === 0 && f.rps >= TARGET_RATIO * badge;
      if (target) ok &&= met;
      console.log(
        `${name.padEnd(62)} ${f.rps.toFixed(0).padStart(6)} req/s  ratio ${(f.rps / badge).toFixed(2)}  p50 ${f.p50.toFixed(1).padStart(6)} ms  p95 ${f.p95.toFixed(1).padStart(6)} ms  p99 ${f.p99.toFixed(1).padStart(6)} ms  ${String(f.bytes).padStart(7)} B  errors ${f.errors}${f.firstError ? ` (${f.firstError})` : ''}${target ? `  | target >= ${TARGET_RATIO} x badge, 0 errors: ${met ? 'MET' : 'MISSED'}` : ''}`,
      );
    }
    console.log(ok ? 'all targets met' : 'NOT all targets met');
    return ok;
  } finally {
    await agent.close().catch(() => {});
    await stopServer(web?.proc);
    await db.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
