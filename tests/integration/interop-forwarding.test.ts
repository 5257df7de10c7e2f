import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));
vi.mock('@/lib/auth/config', () => ({ auth: async () => null }));

import * as forwardingRoute from '@/app/api/v1/clouds/[slug]/forwarding/route';
import { createToken } from '@/lib/tokens';
import { db } from '@/lib/db';
import { setVault } from '@/lib/credentials/vault';
import { Vault } from '@/lib/vault';
import {
  MAX_ATTEMPTS,
  deliverDue,
  forwardFinishedRun,
  getForwarding,
  listDeliveries,
  planForwarding,
  removeForwarding,
  retryDelivery,
  setForwarding,
} from '@/lib/interop/forwarding';
import { forgetInstanceKey, instanceKey } from '@/lib/interop/signing-key';
import { parseSignature, verifySignature } from '@/lib/interop/sshsig';
import { SIGNATURE_SEPARATOR } from '@/lib/interop/upload';
import {
  auditEvents,
  ctxOf,
  expectAppError,
  expectPolicy,
  makeCloud,
  makeOrg,
  makeUser,
  tempDir,
} from './support/fixtures';

// Forwarding to a compliance monitor, against a receiver that records what it gets and answers as told.
// npm run test:interop does the same against the real SCS compliance monitor.
const API_KEY = 'monitor-api-key-canary-4f1d';
const received: Array<{ path: string; auth: string; type: string; body: string }> = [];
let answers: number[] = [];
let server: http.Server;
let url = '';

beforeAll(async () => {
  process.env.MONITOR_ALLOW_PRIVATE_ADDRESSES = 'true';
  setVault(Vault.fromEnv({ env: { DATA_DIR: tempDir('interop-fwd-'), KEK_PROVIDER: 'file' } }));
  // An instance key another test file sealed under its own KEK cannot open here: this file makes its own.
  await db.sealedSecret.deleteMany({ where: { purpose: 'instance-signing-key' } });
  forgetInstanceKey();
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        auth: String(req.headers.authorization ?? ''),
        type: String(req.headers['content-type'] ?? ''),
        body,
      });
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? 'null' : JSON.stringify({ detail: `answer ${status} for key ${API_KEY}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/monitor`;
});
afterAll(async () => {
  delete process.env.MONITOR_ALLOW_PRIVATE_ADDRESSES;
  await new Promise((r) => server.close(r));
});

async function finishedRun(cloudId: string, at = new Date(), source: 'dashboard' | 'official_runner' = 'dashboard') {
  return db.run.create({
    data: {
      cloudId,
      status: 'finished',
      trigger: 'schedule',
      source,
      finishedAt: at,
      results: {
        create: [
          { cloudId, testcase: 'scs-0116-permissions', verdict: 'PASS', message: 'ok', durationMs: 1, checkedAt: at },
        ],
      },
    },
  });
}

describe('forwarding to a compliance monitor', () => {
  test('staff set it (the API key sealed, never shown); a CSP may read it, not set it; audited', async () => {
    const org = await makeOrg({ prefix: 'fwd' });
    const cloud = await makeCloud(org.id, { prefix: 'fwd' });
    const staff = ctxOf(await makeUser('reviewer'));
    const csp = ctxOf(await makeUser('csp', [org.id]));
    await expectPolicy(setForwarding(csp, cloud.slug, { url, apiKey: API_KEY }), 'forbidden');
    const missing = await expectAppError(setForwarding(staff, cloud.slug, { url }), 422);
    expect(missing.fields?.apiKey).toMatch(/required/);
    for (const [bad, why] of [
      ['ftp://x/', 'http:// or https:// only.'],
      ['not a url', 'The monitor URL, e.g. https://compliance.sovereignit.cloud/.'],
      ['https://user:pw@monitor.example/', 'No credentials in the URL: use account and API key.'],
    ]) {
      const e = await expectAppError(setForwarding(staff, cloud.slug, { url: bad, apiKey: API_KEY }), 422);
      expect(e.fields?.url, bad).toBe(why);
    }
    const f = await setForwarding(staff, cloud.slug, { url, apiKey: API_KEY });
    expect(f).toMatchObject({ url, account: cloud.slug, enabled: true });
    expect(JSON.stringify(f)).not.toContain(API_KEY);
    expect(await getForwarding(csp, cloud.slug)).toMatchObject({ url });
    const other = ctxOf(await makeUser('csp', [(await makeOrg({ prefix: 'fwd' })).id]));
    await expectPolicy(getForwarding(other, cloud.slug), 'hidden');
    // The key is only in the vault: no table holds it in the clear.
    const rows = await db.$queryRaw<Array<{ t: string }>>`SELECT row_to_json(f)::text AS t FROM "MonitorForwarding" f`;
    expect(rows.map((r) => r.t).join()).not.toContain(API_KEY);
    const events = await auditEvents(cloud.slug);
    expect(events.map((e) => e.summary).join('\n')).not.toContain(API_KEY);
    expect(events.map((e) => e.action)).toContain('forwarding.set');
  });

  test('a run finished after it was switched on is POSTed signed, as the runner does; earlier and imported runs are not', async () => {
    const org = await makeOrg({ prefix: 'fwd' });
    const cloud = await makeCloud(org.id, { prefix: 'fwd' });
    const staff = ctxOf(await makeUser('admin'));
    await db.cloud.update({ where: { id: cloud.id }, data: { scsSubject: `fwd-subject-${cloud.slug}` } });
    const before = await finishedRun(cloud.id, new Date(Date.now() - 60_000));
    await setForwarding(staff, cloud.slug, { url: `${url}/`, account: 'monitor-account', apiKey: API_KEY });
    const imported = await finishedRun(cloud.id, new Date(Date.now() + 1000), 'official_runner');
    const run = await finishedRun(cloud.id, new Date(Date.now() + 1000));
    received.length = 0;
    await forwardFinishedRun(run.id);
    expect(await planForwarding()).toBe(0);
    expect(await db.monitorDelivery.count({ where: { runId: { in: [before.id, imported.id] } } })).toBe(0);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.path).toBe('/monitor/reports');
    expect(got.type).toBe('application/x-signed-yaml');
    expect(got.auth).toBe(`Basic ${Buffer.from(`monitor-account:${API_KEY}`).toString('base64')}`);
    const at = got.body.indexOf(SIGNATURE_SEPARATOR) + SIGNATURE_SEPARATOR.length;
    const sig = parseSignature(got.body.slice(0, at - 1));
    verifySignature(sig, Buffer.from(got.body.slice(at)), 'report');
    expect(sig.publicKey.fingerprint).toBe((await instanceKey()).fingerprint);
    expect(got.body).toContain(`\nsubject: fwd-subject-${cloud.slug}\n`);
    expect(got.body).toContain(`\n  uuid: ${run.id}\n`);
    const d = await db.monitorDelivery.findUniqueOrThrow({ where: { runId: run.id } });
    expect([d.status, d.attempts]).toEqual(['delivered', 1]);
  });

  test('failures are retried with backoff and logged without the key; 409 counts as delivered; the last failure is final', async () => {
    const org = await makeOrg({ prefix: 'fwd' });
    const cloud = await makeCloud(org.id, { prefix: 'fwd' });
    const staff = ctxOf(await makeUser('admin'));
    await setForwarding(staff, cloud.slug, { url, apiKey: API_KEY });
    const run = await finishedRun(cloud.id, new Date(Date.now() + 1000));
    answers = [503];
    await forwardFinishedRun(run.id);
    let d = await db.monitorDelivery.findUniqueOrThrow({ where: { runId: run.id } });
    expect([d.status, d.attempts, d.lastError]).toEqual(['pending', 1, 'the monitor answered 503']);
    expect(d.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(JSON.stringify(d.log)).not.toContain(API_KEY);
    expect(JSON.stringify(d.log)).toContain('answer 503 for key [REDACTED]');
    // Not due yet; due later: 409 (the monitor has it) ends it as delivered.
    expect(await deliverDue(new Date(), { runId: run.id })).toBe(0);
    answers = [409];
    expect(await deliverDue(new Date(Date.now() + 5 * 60_000), { runId: run.id })).toBe(1);
    d = await db.monitorDelivery.findUniqueOrThrow({ where: { runId: run.id } });
    expect([d.status, d.attempts]).toEqual(['delivered', 2]);

    const run2 = await finishedRun(cloud.id, new Date(Date.now() + 2000));
    await planForwarding(run2.id);
    let t = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      answers = [500];
      t += 24 * 3600_000;
      await deliverDue(new Date(t), { runId: run2.id });
    }
    d = await db.monitorDelivery.findUniqueOrThrow({ where: { runId: run2.id } });
    expect([d.status, d.attempts, (d.log as unknown[]).length]).toEqual(['failed', MAX_ATTEMPTS, MAX_ATTEMPTS]);
    // Staff send it again: delivered now; the log shows every attempt.
    answers = [];
    await retryDelivery(staff, d.id);
    d = await db.monitorDelivery.findUniqueOrThrow({ where: { runId: run2.id } });
    expect(d.status).toBe('delivered');
    const log = await listDeliveries(staff, { cloud: cloud.slug });
    expect(log.items.map((x) => x.status)).toEqual(['delivered', 'delivered']);
    await expectPolicy(listDeliveries(ctxOf(await makeUser('csp', [org.id]))), 'forbidden');
  });

  test('switched off or removed, nothing more is sent; removing deletes the sealed key', async () => {
    const org = await makeOrg({ prefix: 'fwd' });
    const cloud = await makeCloud(org.id, { prefix: 'fwd' });
    const staff = ctxOf(await makeUser('admin'));
    await setForwarding(staff, cloud.slug, { url, apiKey: API_KEY, enabled: false });
    const run = await finishedRun(cloud.id, new Date(Date.now() + 1000));
    expect(await planForwarding(run.id)).toBe(0);
    await setForwarding(staff, cloud.slug, { url, enabled: true });
    expect(await db.sealedSecret.count({ where: { purpose: 'monitor-api-key', ownerId: cloud.id } })).toBe(1);
    await removeForwarding(staff, cloud.slug);
    expect(await db.sealedSecret.count({ where: { purpose: 'monitor-api-key', ownerId: cloud.id } })).toBe(0);
    expect(await getForwarding(staff, cloud.slug)).toBeNull();
    expect(await planForwarding(run.id)).toBe(0);
  });
});

describe('forwarding API', () => {
  const call = async (method: string, slug: string, token: string | null, body?: unknown) => {
    const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
    if (body) headers.set('content-type', 'application/json');
    const handler = (forwardingRoute as Record<string, unknown>)[method] as (
      r: Request,
      c: { params: Promise<{ slug: string }> },
    ) => Promise<Response>;
    const res = await handler(
      new Request(`http://127.0.0.1/api/v1/clouds/${slug}/forwarding`, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
      }),
      { params: Promise.resolve({ slug }) },
    );
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : null };
  };

  test('PUT by staff, GET by the CSP without the key, DELETE by staff; 401/403/404 as the policy says', async () => {
    const org = await makeOrg({ prefix: 'fwd' });
    const cloud = await makeCloud(org.id, { prefix: 'fwd' });
    const staff = await makeUser('reviewer');
    const csp = await makeUser('csp', [org.id]);
    const tok = async (a: typeof staff) => (await createToken(ctxOf(a), a.id, { name: 'fwd api' })).token;
    const [staffToken, cspToken] = [await tok(staff), await tok(csp)];
    expect((await call('PUT', cloud.slug, null, { url })).status).toBe(401);
    expect((await call('PUT', cloud.slug, cspToken, { url, apiKey: API_KEY })).status).toBe(403);
    const put = await call('PUT', cloud.slug, staffToken, { url, apiKey: API_KEY });
    expect(put.status, put.text).toBe(200);
    const got = await call('GET', cloud.slug, cspToken);
    expect(got.json.forwarding).toMatchObject({ url, account: cloud.slug, enabled: true });
    expect(got.text).not.toContain(API_KEY);
    const other = await tok(await makeUser('csp', [(await makeOrg({ prefix: 'fwd' })).id]));
    expect((await call('GET', cloud.slug, other)).status).toBe(404);
    expect((await call('DELETE', cloud.slug, staffToken)).status).toBe(204);
    expect((await call('GET', cloud.slug, cspToken)).json.forwarding).toBeNull();
  });
});
