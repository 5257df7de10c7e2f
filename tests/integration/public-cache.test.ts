// The front process's kept renders of public answers (scripts/lib/public-cache.ts): through the real
// front (scripts/lib/front.ts) in front of the real route handlers, on the real PostgreSQL. Every
// kind of change a public answer depends on must change the next answer (no stale page after a
// change), a 304 is given only for the current entity tag, and two fronts (two web instances) on
// one database both see a change made anywhere.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { db } from '../../lib/db';
import { approvedAttestation, ctxOf, makeOrg, makeUser, uid } from './support/fixtures';
import { createFront } from '../../scripts/lib/front';
import { createPublicCache, type PublicCache } from '../../scripts/lib/public-cache';
import { revokeCertificate } from '../../lib/compliance/certificates';
import { fixedClock, now, resetClock, setClock } from '../../lib/clock';
import * as statusList from '../../app/status/route';
import * as statusPage from '../../app/status/[slug]/route';
import * as statusApi from '../../app/api/v1/status/route';
import * as feedAll from '../../app/status/feed.atom/route';
import * as feedCloud from '../../app/status/[slug]/feed.atom/route';
import * as revokedPage from '../../app/certificates/revoked/route';
import * as revokedApi from '../../app/api/v1/certificates/revoked/route';
import type { RequestContext } from '../../lib/context';

// The API routes ask for a session outside Next's request scope: nobody is signed in (as api.test.ts).
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));
vi.mock('@/lib/auth/config', () => ({ auth: async () => null }));

// Wednesday: results checked now expire on Monday 2027-03-15 00:00 (add_period, week).
const T0 = new Date('2027-03-03T10:00:00Z');
const EXPIRY = new Date('2027-03-15T00:00:00Z');
const DAY = 86_400_000;
const clock = fixedClock(new Date(T0.getTime() + 3_600_000));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: Array<[RegExp, Handler]> = [
  [/^\/status$/, statusList.GET as Handler],
  [/^\/status\/feed\.atom$/, feedAll.GET as Handler],
  [/^\/status\/(?<slug>[^/]+)\/feed\.atom$/, feedCloud.GET as Handler],
  [/^\/status\/(?<slug>[^/]+)$/, statusPage.GET as Handler],
  [/^\/api\/v1\/status$/, statusApi.GET as Handler],
  [/^\/certificates\/revoked$/, revokedPage.GET as Handler],
  [/^\/api\/v1\/certificates\/revoked$/, revokedApi.GET as Handler],
];

let renders = 0;
let dir: string;
let pool: pg.Pool;
let staff: RequestContext;
const servers: http.Server[] = [];
const fronts: Array<{ url: string; cache: PublicCache }> = [];

/** The web process stand-in: the app's route handlers, on a Unix socket as scripts/web.ts listens. */
async function webProcess(socketPath: string): Promise<void> {
  const server = http.createServer(async (req, res) => {
    renders++;
    const url = new URL(req.url!, `http://${req.headers['x-forwarded-host'] ?? req.headers.host}`);
    const route = ROUTES.find(([re]) => re.test(url.pathname));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const m = route[0].exec(url.pathname)!;
    const answer = await route[1](new Request(url, { headers: req.headers as Record<string, string> }), {
      params: Promise.resolve({ ...m.groups }),
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(socketPath, r));
}

async function front(name: string) {
  const socketPath = path.join(dir, `${name}.sock`);
  await webProcess(socketPath);
  let cache!: PublicCache;
  const server = createFront({
    socketPath,
    host: '127.0.0.1',
    port: 0,
    trustProxy: false,
    publicUrl: null,
    query: async () => [],
    heartbeatAge: () => 0,
    publicCache: (render) => {
      cache = createPublicCache({ query: async (sql, params) => (await pool.query(sql, params)).rows, now, render });
      return cache;
    },
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const f = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cache };
  fronts.push(f);
  return f;
}

beforeAll(async () => {
  setClock(clock);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-public-cache-'));
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  staff = ctxOf(await makeUser('reviewer'));
  await front('a');
  await front('b');
});
afterAll(async () => {
  resetClock();
  for (const s of servers) s.closeAllConnections?.();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await pool.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function world(attestationExpiresAt = new Date(T0.getTime() + 91 * DAY)) {
  const org = await makeOrg({ prefix: 'cache-org' });
  const cloud = await db.cloud.create({
    data: {
      slug: `cached-${uid()}`,
      name: `Cached c-${uid()}`,
      organizationId: org.id,
      public: true,
      createdAt: new Date(T0.getTime() - 30 * DAY),
    },
  });
  await result(cloud.id, 'PASS', T0);
  await approvedAttestation(cloud.id, T0, attestationExpiresAt);
  return cloud;
}

async function result(cloudId: string, verdict: 'PASS' | 'FAIL', at: Date, message = 'ok') {
  const run = await db.run.create({
    data: { cloudId, status: 'finished', trigger: 'schedule', queuedAt: at, startedAt: at, finishedAt: at },
  });
  await db.runResult.createMany({
    data: ['scs-0116-presence', 'scs-0116-permissions'].map((testcase) => ({
      runId: run.id,
      cloudId,
      testcase,
      verdict,
      message,
      durationMs: 5,
      checkedAt: at,
    })),
  });
}

interface Got {
  status: number;
  etag: string | null;
  cache: string | null;
  body: string;
  headers: Headers;
}
async function get(base: string, p: string, headers: Record<string, string> = {}): Promise<Got> {
  const res = await fetch(base + p, { headers });
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    cache: res.headers.get('x-cache'),
    body: await res.text(),
    headers: res.headers,
  };
}

/** The answer until it comes from a kept render (a change may take a render or two to settle). */
async function settled(base: string, p: string): Promise<Got> {
  for (let i = 0; i < 4; i++) {
    const g = await get(base, p);
    if (g.cache === 'hit') return g;
  }
  throw new Error(`${p} is never answered from a kept render`);
}

const headline = (body: string) => /scs-0116-v1[^]*?\b(PASS|FAIL|MISS|DNF)\b/.exec(body)?.[1];

describe('public answer cache', () => {
  it('answers a kept render with an ETag, 304 only for the current one, and gzip when accepted', async () => {
    const cloud = await world();
    const { url } = fronts[0];
    const first = await settled(url, `/status/${cloud.slug}`);
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(first.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(first.body).toContain(cloud.name);
    const before = renders;
    const again = await get(url, `/status/${cloud.slug}`);
    expect(again).toMatchObject({ status: 200, etag: first.etag, cache: 'hit', body: first.body });
    expect(renders).toBe(before);
    const notModified = await get(url, `/status/${cloud.slug}`, { 'If-None-Match': `W/${first.etag}, "other"` });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.etag).toBe(first.etag);
    expect((await get(url, `/status/${cloud.slug}`, { 'If-None-Match': '"other"' })).status).toBe(200);
    // fetch asks for gzip and decodes it: the same page, sent compressed.
    const raw = await new Promise<http.IncomingMessage>((r) =>
      http.get(`${url}/status/${cloud.slug}`, { headers: { 'Accept-Encoding': 'gzip' } }, r),
    );
    raw.resume();
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toBe('Accept-Encoding');
    // A caller with a token gets the ordinary answer, never a kept one.
    expect((await get(url, `/api/v1/status?cloud=${cloud.slug}`, { Authorization: 'Bearer x' })).cache).toBeNull();
  });

  it('a status change (new results) changes the next answer everywhere, on both instances', async () => {
    const cloud = await world();
    const [a, b] = fronts;
    const paths = [`/status/${cloud.slug}`, `/api/v1/status?cloud=${cloud.slug}`, '/status', '/api/v1/status'];
    const feeds = [`/status/${cloud.slug}/feed.atom`, '/status/feed.atom'];
    const before = await Promise.all(paths.map((p) => settled(a.url, p)));
    await Promise.all(paths.map((p) => settled(b.url, p)));
    const feedsBefore = await Promise.all(feeds.map((p) => settled(a.url, p)));
    expect(headline(before[0].body)).toBe('PASS');
    expect(JSON.parse(before[1].body).status).toBe('PASS');

    await result(cloud.id, 'FAIL', new Date(clock.now().getTime() - 60_000));
    for (const f of [a, b]) {
      const page = await get(f.url, paths[0]);
      expect(page.etag).not.toBe(before[0].etag);
      expect(headline(page.body)).toBe('FAIL');
      // The old entity tag no longer gets a 304.
      expect((await get(f.url, paths[0], { 'If-None-Match': before[0].etag! })).status).toBe(200);
      expect(JSON.parse((await get(f.url, paths[1])).body).status).toBe('FAIL');
      const all = JSON.parse((await get(f.url, paths[3])).body) as { items: Array<{ cloud: string; status: string }> };
      expect(all.items.find((i) => i.cloud === cloud.slug)?.status).toBe('FAIL');
      expect((await get(f.url, paths[2])).etag).not.toBe(before[2].etag);
      const settledPage = await settled(f.url, paths[0]);
      expect(headline(settledPage.body)).toBe('FAIL');
      // The feeds gain the change (queued with the snapshot that stored it).
      for (const [i, p] of feeds.entries()) {
        const feed = await get(f.url, p);
        expect(feed.etag).not.toBe(feedsBefore[i].etag);
        expect(feed.body).toContain('FAIL');
        expect((await settled(f.url, p)).body).toBe(feed.body);
      }
    }
  });

  it('a certificate grant and its revocation change the status page, the status JSON and the revocation lists', async () => {
    const cloud = await world();
    const { url } = fronts[0];
    const paths = [`/status/${cloud.slug}`, `/api/v1/status?cloud=${cloud.slug}`];
    const before = await Promise.all(paths.map((p) => settled(url, p)));
    const lists = await Promise.all(
      ['/certificates/revoked', '/api/v1/certificates/revoked'].map((p) => settled(url, p)),
    );
    expect(JSON.parse(before[1].body).certificate.state).toBe('none');

    // What grantCertificate writes (the grant's conditions are tested in certified-endpoint.test.ts).
    const cert = await db.certificate.create({
      data: {
        cloudId: cloud.id,
        standard: 'scs-0116-v1',
        grantedAt: clock.now(),
        validUntil: new Date(clock.now().getTime() + 365 * DAY),
        grantedByLabel: 'test',
      },
    });
    const granted = JSON.parse((await get(url, paths[1])).body);
    expect(granted.certificate.state).toBe('valid');
    expect((await get(url, paths[0])).etag).not.toBe(before[0].etag);
    await settled(url, paths[0]);

    const reason = `revoked in the cache test r-${uid()}`;
    await revokeCertificate(staff, cert.id, { reason });
    expect(JSON.parse((await get(url, paths[1])).body).certificate.state).toBe('revoked');
    const html = await get(url, '/certificates/revoked');
    expect(html.etag).not.toBe(lists[0].etag);
    expect(html.body).toContain(reason);
    const api = JSON.parse((await get(url, '/api/v1/certificates/revoked')).body) as { items: Array<{ id: string }> };
    expect(api.items.map((i) => i.id)).toContain(cert.id);
  });

  it('publication settings change the next answer: run messages shown, renamed, organization renamed, made private', async () => {
    const cloud = await world();
    const { url } = fronts[0];
    const message = `a message only shown when public m-${uid()}`;
    await result(cloud.id, 'FAIL', new Date(clock.now().getTime() - 30_000), message);
    const page = `/status/${cloud.slug}`;
    expect((await settled(url, page)).body).not.toContain(message);
    await db.cloud.update({ where: { id: cloud.id }, data: { publicRunMessages: true } });
    expect((await get(url, page)).body).toContain(message);
    await settled(url, '/status');

    const name = `Renamed n-${uid()}`;
    await db.cloud.update({ where: { id: cloud.id }, data: { name } });
    expect((await get(url, page)).body).toContain(name);
    expect((await get(url, '/status')).body).toContain(name);
    await settled(url, '/api/v1/status');

    // The organization's row is part of every tag too (its name is shown on the status page).
    const orgName = `Org renamed o-${uid()}`;
    await db.organization.update({ where: { id: cloud.organizationId }, data: { name: orgName } });
    expect((await get(url, page)).body).toContain(orgName);
    await settled(url, '/api/v1/status');

    await db.cloud.update({ where: { id: cloud.id }, data: { public: false } });
    expect((await get(url, page)).status).toBe(404);
    expect((await get(url, `/api/v1/status?cloud=${cloud.slug}`)).status).toBe(404);
    expect((await get(url, '/status')).body).not.toContain(name);
    const all = JSON.parse((await get(url, '/api/v1/status')).body) as { items: Array<{ cloud: string }> };
    expect(all.items.map((i) => i.cloud)).not.toContain(cloud.slug);
  });

  it('expiry by time alone (nothing written) changes the next answer, also within the same day', async () => {
    // The approval runs out at 12:00 the same day: only the snapshot's staleAt can tell.
    const cloud = await world(new Date(T0.getTime() + 2 * 3_600_000));
    const { url } = fronts[1];
    const page = `/status/${cloud.slug}`;
    const json = `/api/v1/status?cloud=${cloud.slug}`;
    const before = await settled(url, page);
    expect(JSON.parse((await settled(url, json)).body).status).toBe('PASS');
    const saved = clock.now();
    try {
      clock.set(new Date(T0.getTime() + 2 * 3_600_000 + 60_000));
      const after = await get(url, page);
      expect(after.etag).not.toBe(before.etag);
      expect(headline(after.body)).toBe('MISS');
      const body = JSON.parse((await get(url, json)).body);
      expect(body.status).toBe('MISS');
      expect(body.attestation.verdict).toBe('MISS');
      await settled(url, page);
      // The results' own expiry (Monday 00:00) as well.
      clock.set(EXPIRY);
      const later = JSON.parse((await get(url, json)).body);
      expect(later.versions.find((v: { standard: string }) => v.standard === 'scs-0116-v1').testcases[0].verdict).toBe(
        'MISS',
      );
    } finally {
      clock.set(saved);
    }
  });
});
