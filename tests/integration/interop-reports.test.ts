import { beforeAll, describe, expect, test, vi } from 'vitest';

// POST /reports (the SCS compliance monitor's protocol), report-signing keys, the signed downloads and
// the runs list, over their real route handlers. Signatures are made by our own SSHSIG signer here;
// npm run test:interop uploads reports signed by ssh-keygen through the official runner.
const session = vi.hoisted(() => ({ current: null as null | { userId: string } }));
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));
vi.mock('@/lib/auth/config', () => ({ auth: async () => session.current }));

import * as reports from '@/app/reports/route';
import * as keys from '@/app/api/v1/organizations/[slug]/keys/route';
import * as key from '@/app/api/v1/organizations/[slug]/keys/[name]/route';
import * as runs from '@/app/api/v1/clouds/[slug]/runs/route';
import * as report from '@/app/api/v1/runs/[id]/report/route';
import * as signingKey from '@/app/api/v1/signing-key/route';
import { db } from '@/lib/db';
import { parseSignature, verifySignature } from '@/lib/interop/sshsig';
import { MAX_REPORT_BYTES, SIGNATURE_SEPARATOR } from '@/lib/interop/upload';
import * as runApi from '@/app/api/v1/runs/[id]/route';
import { removeCertifiedEndpoint, setCertifiedEndpoint } from '@/lib/compliance/certified-endpoint';
import { approveKey, withdrawKeyApproval } from '@/lib/interop/keys';
import { cloudCompliance, statusOf } from '@/lib/compliance';
import { pruneRetention } from '@/lib/jobs';
import type { Actor } from '@/lib/auth/policy';
import { setVault } from '@/lib/credentials/vault';
import { forgetInstanceKey } from '@/lib/interop/signing-key';
import { Vault } from '@/lib/vault';
import { auditEvents, ctxOf, makeCloud, makeOrg, makeUser, tempDir, uid } from './support/fixtures';
import { basic, bearer, call, newKey, runnerReport, signed, tokenFor } from './support/reports';

let world: {
  orgA: { id: string; slug: string };
  orgB: { id: string; slug: string };
  cloudA: { id: string; slug: string; subject: string };
  cloudB: { id: string; slug: string };
  cspA: Actor;
  cspB: Actor;
  tokenA: string;
  tokenB: string;
  reviewerToken: string;
  keyA: ReturnType<typeof newKey>;
};

beforeAll(async () => {
  // Our own vault (a file KEK in a temporary directory) for the instance signing key.
  setVault(Vault.fromEnv({ env: { DATA_DIR: tempDir('interop-rep-'), KEK_PROVIDER: 'file' } }));
  // An instance key another test file sealed under its own KEK cannot open here: this file makes its own.
  await db.sealedSecret.deleteMany({ where: { purpose: 'instance-signing-key' } });
  forgetInstanceKey();
  const orgA = await makeOrg({ prefix: 'rep' });
  const orgB = await makeOrg({ prefix: 'rep' });
  const c = await makeCloud(orgA.id, { prefix: 'rep' });
  const subject = `Subj-${uid()}.lab`;
  await db.cloud.update({ where: { id: c.id }, data: { scsSubject: subject } });
  const cloudB = await makeCloud(orgB.id, { prefix: 'rep' });
  const cspA = await makeUser('csp', [orgA.id]);
  const cspB = await makeUser('csp', [orgB.id]);
  world = {
    orgA,
    orgB,
    cloudA: { ...c, subject },
    cloudB,
    cspA,
    cspB,
    tokenA: await tokenFor(cspA),
    tokenB: await tokenFor(cspB),
    reviewerToken: await tokenFor(await makeUser('reviewer')),
    keyA: newKey(),
  };
  const added = await call(keys.POST, {
    method: 'POST',
    path: `/api/v1/organizations/${orgA.slug}/keys`,
    headers: { ...bearer(world.tokenA), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'zuul', publicKey: world.keyA.line }),
    params: { slug: orgA.slug },
  });
  expect(added.status, added.text).toBe(201);
});

const upload = (body: string, headers: Record<string, string>) =>
  call(reports.POST, { method: 'POST', path: '/reports', headers, body });
const asA = () => ({ ...basic(world.cloudA.subject, world.tokenA), 'content-type': 'application/x-signed-yaml' });

describe('report-signing keys (API)', () => {
  test('CSP members register, list and remove keys; staff list them; other organizations see nothing; audited', async () => {
    const { orgA } = world;
    const list = await call(keys.GET, {
      path: '/x',
      headers: bearer(world.reviewerToken),
      params: { slug: orgA.slug },
    });
    expect(list.status).toBe(200);
    expect(list.json.items.map((k: { name: string }) => k.name)).toEqual(['zuul']);
    expect(list.json.items[0]).toMatchObject({
      type: 'ssh-ed25519',
      bits: 256,
      fingerprint: expect.stringMatching(/^SHA256:/),
      // A key the CSP registered is not approved until the certification body approves it.
      approvedAt: null,
      approvedBy: null,
    });
    const hidden = await call(keys.GET, { path: '/x', headers: bearer(world.tokenB), params: { slug: orgA.slug } });
    expect(hidden.status).toBe(404);
    const byReviewer = await call(keys.POST, {
      method: 'POST',
      headers: { ...bearer(world.reviewerToken), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'staff', publicKey: newKey().line }),
      params: { slug: orgA.slug },
    });
    expect(byReviewer.status).toBe(403);
    const anon = await call(keys.POST, { method: 'POST', body: '{}', params: { slug: orgA.slug } });
    expect(anon.status).toBe(401);
    const temp = newKey();
    const add = (name: string, publicKey: string) =>
      call(keys.POST, {
        method: 'POST',
        headers: { ...bearer(world.tokenA), 'content-type': 'application/json' },
        body: JSON.stringify({ name, publicKey }),
        params: { slug: orgA.slug },
      });
    expect((await add('temp', temp.line)).status).toBe(201);
    const again = await add('temp2', temp.line);
    expect([again.status, again.json.error.fields.publicKey]).toEqual([409, 'Registered already as "temp".']);
    const weak = await add('weak', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x');
    expect(weak.status).toBe(422);
    const priv = await add('priv', '-----BEGIN OPENSSH PRIVATE KEY-----');
    expect(priv.json.error.fields.publicKey).toMatch(/looks like a private key/);
    const del = await call(key.DELETE, {
      method: 'DELETE',
      headers: bearer(world.tokenA),
      params: { slug: orgA.slug, name: 'temp' },
    });
    expect(del.status).toBe(204);
    const gone = await call(key.DELETE, {
      method: 'DELETE',
      headers: bearer(world.tokenA),
      params: { slug: orgA.slug, name: 'temp' },
    });
    expect(gone.status).toBe(404);
    const events = await auditEvents(`${orgA.slug}/temp`);
    expect(events.map((e) => e.action)).toEqual(['key.create', 'key.delete']);
  });
});

describe('POST /reports', () => {
  test('a signed runner report becomes a run of the cloud with the runner verdicts; the same run.uuid again is 409', async () => {
    const { text, runUuid } = runnerReport(world.cloudA.subject, { permissions: -1, presence: 1 });
    const body = signed(text, world.keyA.privateKey);
    const r = await upload(body, asA());
    expect(r.status, r.text).toBe(200);
    expect(r.json.runs).toHaveLength(1);
    // Taken and kept, but the CSP's own key is not approved: it does not count (interop-key-approval.test.ts).
    expect(r.json.runs[0]).toMatchObject({
      counts: false,
      notCountedReason: expect.stringMatching(/^Imported from a report signed with key "zuul" .*has not approved/),
    });
    const run = await db.run.findFirstOrThrow({
      where: { reportUuid: runUuid },
      include: { results: true, upload: true },
    });
    expect(run).toMatchObject({
      cloudId: world.cloudA.id,
      status: 'finished',
      source: 'official_runner',
      trigger: 'upload',
    });
    expect(Object.fromEntries(run.results.map((x) => [x.testcase, x.verdict]))).toEqual({
      'scs-0116-permissions': 'FAIL',
      'scs-0116-presence': 'PASS',
    });
    expect(run.results.find((x) => x.testcase === 'scs-0116-permissions')!.message).toMatch(
      /^Reported by the official SCS runner.*ERROR: Unsuccessful at using Key Manager API/,
    );
    // Kept as received: the download is the exact bytes that were uploaded.
    expect(`${run.upload!.signature}&${run.upload!.body}`).toBe(body);
    const dl = await call(report.GET, {
      path: `/api/v1/runs/${run.id}/report?format=signed-yaml`,
      headers: bearer(world.tokenA),
      params: { id: run.id },
    });
    expect([dl.status, dl.headers.get('content-type'), dl.text]).toEqual([200, 'application/x-signed-yaml', body]);
    const again = await upload(body, asA());
    expect([again.status, again.json.detail]).toEqual([
      409,
      expect.stringMatching(/^Conflict: report already present/),
    ]);
    expect(await db.run.count({ where: { reportUuid: runUuid } })).toBe(1);
    const uploaded = (await auditEvents(world.cloudA.slug)).find((e) => e.action === 'report.upload');
    expect(uploaded?.summary).toContain('(not counted: the signing key is not approved)');
    const k = await db.organizationKey.findFirstOrThrow({ where: { organizationId: world.orgA.id, name: 'zuul' } });
    expect(k.lastUsedAt).not.toBeNull();
  });

  test('several --- documents: each a run, all or nothing', async () => {
    const one = runnerReport(world.cloudA.subject);
    const two = runnerReport(world.cloudA.subject, { permissions: 0 });
    const ok = await upload(signed(one.text + two.text, world.keyA.privateKey), asA());
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.runs.map((x: { results: object }) => x.results)).toEqual([
      { 'scs-0116-permissions': 'PASS' },
      { 'scs-0116-permissions': 'ABORT' },
    ]);
    // A new document beside an old one: 409, and the new one is not stored either.
    const three = runnerReport(world.cloudA.subject);
    const mixed = await upload(signed(three.text + one.text, world.keyA.privateKey), asA());
    expect(mixed.status).toBe(409);
    expect(await db.run.count({ where: { reportUuid: three.runUuid } })).toBe(0);
  });

  test('refusals: tampered body, unknown key, missing signature, another subject 401; wrong type 415; bad auth 401', async () => {
    const before = await db.run.count({ where: { cloudId: world.cloudA.id } });
    const { text } = runnerReport(world.cloudA.subject);
    const body = signed(text, world.keyA.privateKey);
    const tampered = await upload(body.replace('scs-0116-permissions: 1', 'scs-0116-permissions: 0'), asA());
    expect([tampered.status, tampered.json.detail]).toEqual([
      401,
      expect.stringMatching(/^verification failed: .*changed after signing/),
    ]);
    const stranger = await upload(signed(text, newKey().privateKey), asA());
    expect([stranger.status, stranger.json.detail]).toEqual([
      401,
      expect.stringMatching(
        /^verification failed: the report is signed with key SHA256:\S+, which is not registered for organization/,
      ),
    ]);
    expect((await upload(text, asA())).json.detail).toMatch(/^missing signature/);
    const other = runnerReport(`${world.cloudA.subject}-other`);
    const wrongSubject = await upload(signed(other.text, world.keyA.privateKey), asA());
    expect([wrongSubject.status, wrongSubject.json.detail]).toEqual([
      401,
      expect.stringMatching(/^Permission denied: the report is for subject/),
    ]);
    const type = await upload(body, { ...asA(), 'content-type': 'application/yaml' });
    expect(type.status).toBe(415);
    const badToken = await upload(body, {
      ...basic(world.cloudA.subject, 'scskm_nope'),
      'content-type': 'application/x-signed-yaml',
    });
    expect([badToken.status, badToken.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="SCS reports"']);
    expect((await upload(body, { 'content-type': 'application/x-signed-yaml' })).status).toBe(401);
    expect(
      (await upload(body, { ...basic('no-such-subject', world.tokenA), 'content-type': 'application/x-signed-yaml' }))
        .status,
    ).toBe(401);
    // Another organization's user (with its own valid token) for this subject: 401 Permission denied.
    const otherOrg = await upload(body, {
      ...basic(world.cloudA.subject, world.tokenB),
      'content-type': 'application/x-signed-yaml',
    });
    // ... answered like an unknown subject: that organization's user does not learn that the cloud exists.
    expect([otherOrg.status, otherOrg.json.detail]).toEqual([401, 'Incorrect username or password.']);
    // Staff may read the cloud but do not upload the CSP's claims: Permission denied.
    const staff = await upload(body, {
      ...basic(world.cloudA.subject, world.reviewerToken),
      'content-type': 'application/x-signed-yaml',
    });
    expect([staff.status, staff.json.detail]).toEqual([401, expect.stringMatching(/^Permission denied: /)]);
    expect(await db.run.count({ where: { cloudId: world.cloudA.id } })).toBe(before);
  });

  test("another organization's key does not sign for this cloud, even when that organization's user uploads", async () => {
    const keyB = newKey();
    const added = await call(keys.POST, {
      method: 'POST',
      headers: { ...bearer(world.tokenB), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'b', publicKey: keyB.line }),
      params: { slug: world.orgB.slug },
    });
    expect(added.status).toBe(201);
    const { text } = runnerReport(world.cloudA.subject);
    const r = await upload(signed(text, keyB.privateKey), asA());
    expect(r.status).toBe(401);
  });

  test('422 with a reason: not YAML, another scope, no key-manager result, a result not 1/0/-1, from the future, too old', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['not yaml', 'a: [b\n', /is not valid YAML/],
      [
        'other scope',
        runnerReport(world.cloudA.subject).text.replace(
          '50393e6f-2ae1-4c5c-a62c-3b75f2abef3f',
          '1fffebe6-fd4b-44d3-a36c-fc58b4bb0180',
        ),
        /this dashboard takes reports of SCS-compatible IaaS/,
      ],
      [
        'no km result',
        runnerReport(world.cloudA.subject).text.replace(/ {8}scs-0116-permissions: 1\n/, ''),
        /no result of a key-manager testcase/,
      ],
      ['bad value', runnerReport(world.cloudA.subject, { permissions: 2 }).text, /is 2, not 1, 0 or -1/],
      ['future', runnerReport(world.cloudA.subject, { at: new Date(Date.now() + 3600_000) }).text, /in the future/],
      [
        'old',
        runnerReport(world.cloudA.subject, { at: new Date(Date.now() - 8 * 86400_000) }).text,
        /more than 7 days ago/,
      ],
    ];
    for (const [what, text, message] of cases) {
      const r = await upload(signed(text, world.keyA.privateKey), asA());
      expect([r.status, r.json.detail], what).toEqual([422, expect.stringMatching(message)]);
    }
  });

  test('a pinned cloud, approved key: a report naming the certified endpoint counts; one naming none or another is kept, not counted', async () => {
    const { cloudA } = world;
    const staffCtx = ctxOf(await makeUser('reviewer'));
    await setCertifiedEndpoint(staffCtx, cloudA.slug, {
      authUrl: 'https://keystone.pinned.example:5000/v3',
      region: 'R1',
    });
    // Only reports signed with a key staff approved count at all; here the pin decides among them.
    await approveKey(staffCtx, world.orgA.slug, 'zuul');
    try {
      const t0 = Date.now() - 50_000;
      const named = runnerReport(cloudA.subject, {
        permissions: -1,
        at: new Date(t0),
        // As the runner writes a subject mapping {os_cloud, auth_url, region} of its config.toml into the report.
        assignment: '    auth_url: HTTPS://Keystone.Pinned.Example:5000/v3/\n    region: R1\n',
      });
      const none = runnerReport(cloudA.subject, { permissions: 1, at: new Date(t0 + 10_000) });
      const other = runnerReport(cloudA.subject, {
        permissions: 1,
        at: new Date(t0 + 20_000),
        assignment: '    auth_url: https://always-pass.evil.test/v3\n    region: R1\n',
      });
      const answers = [];
      for (const r of [named, none, other]) {
        const a = await upload(signed(r.text, world.keyA.privateKey), asA());
        expect(a.status, a.text).toBe(200);
        answers.push(a.json.runs[0]);
      }
      expect(answers.map((a) => a.counts)).toEqual([true, false, false]);
      expect(answers[1].notCountedReason).toMatch(/not recorded/);
      expect(answers[2].notCountedReason).toMatch(
        /named https:\/\/always-pass\.evil\.test \(region R1\), not the certified/,
      );
      const stored = await db.run.findFirstOrThrow({ where: { reportUuid: named.runUuid } });
      expect([stored.authUrl, stored.region]).toEqual(['https://keystone.pinned.example:5000', 'R1']);
      // The run's API view says so (runCounts), and the verdict is the certified endpoint's FAIL, not the later PASSes.
      const view = await call(runApi.GET, {
        path: `/api/v1/runs/${answers[2].id}`,
        headers: bearer(world.tokenA),
        params: { id: answers[2].id },
      });
      expect([view.json.source, view.json.counts]).toEqual(['official-runner', false]);
      const c = await cloudCompliance(staffCtx, cloudA.slug);
      const perm = statusOf(c).testcases.find((x) => x.id === 'scs-0116-permissions')!;
      expect(perm.verdict).toBe('FAIL');
    } finally {
      await withdrawKeyApproval(staffCtx, world.orgA.slug, 'zuul');
      await removeCertifiedEndpoint(staffCtx, cloudA.slug);
    }
  });

  test('a body over the report cap is refused with 413 before it is stored', async () => {
    const before = await db.reportUpload.count();
    const big = 'x'.repeat(MAX_REPORT_BYTES + 1);
    const r = await upload(big, asA());
    expect([r.status, r.json.error.code]).toEqual([413, 'too_large']);
    expect(r.json.detail).toMatch(/larger than 8 MiB/);
    expect(await db.reportUpload.count()).toBe(before);
  });

  test('the separator is the one the monitor splits at', () => {
    expect(SIGNATURE_SEPARATOR).toBe('-----END SSH SIGNATURE-----\n&');
  });
});

describe('our signed reports and the runs list', () => {
  test('signing key: public, one OpenSSH line; a finished dashboard run downloads as a report signed with it', async () => {
    const pub = await call(signingKey.GET, { path: '/api/v1/signing-key' });
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(pub.text).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* scs-km-conformance@\S+\n$/);
    const run = await db.run.create({
      data: {
        cloudId: world.cloudA.id,
        status: 'finished',
        trigger: 'api',
        finishedAt: new Date(),
        results: {
          create: [
            {
              cloudId: world.cloudA.id,
              testcase: 'scs-0116-permissions',
              verdict: 'PASS',
              message: 'ok',
              durationMs: 1,
              checkedAt: new Date(),
            },
          ],
        },
      },
    });
    const dl = await call(report.GET, {
      path: `/api/v1/runs/${run.id}/report?format=signed-yaml`,
      headers: bearer(world.tokenA),
      params: { id: run.id },
    });
    expect(dl.status).toBe(200);
    const at = dl.text.indexOf(SIGNATURE_SEPARATOR) + SIGNATURE_SEPARATOR.length;
    const sig = parseSignature(dl.text.slice(0, at - 1));
    const yaml = dl.text.slice(at);
    verifySignature(sig, Buffer.from(yaml), 'report');
    expect(`ssh-ed25519 ${sig.publicKey.blob.toString('base64')}`).toBe(pub.text.split(' ').slice(0, 2).join(' '));
    expect(yaml).toContain(`\nsubject: ${world.cloudA.subject}\n`);
    const bad = await call(report.GET, {
      path: `/x?format=pdf`,
      headers: bearer(world.tokenA),
      params: { id: run.id },
    });
    expect(bad.status).toBe(422);
    const hidden = await call(report.GET, {
      path: `/x?format=signed-yaml`,
      headers: bearer(world.tokenB),
      params: { id: run.id },
    });
    expect(hidden.status).toBe(404);
  });

  test('GET /clouds/{slug}/runs: newest first, paged, with source; hidden from other organizations', async () => {
    const page = await call(runs.GET, {
      path: `/api/v1/clouds/${world.cloudA.slug}/runs?pageSize=2`,
      headers: bearer(world.tokenA),
      params: { slug: world.cloudA.slug },
    });
    expect(page.status).toBe(200);
    expect(page.json.items).toHaveLength(2);
    expect(page.json.total).toBeGreaterThanOrEqual(4);
    const all = await call(runs.GET, {
      path: `/api/v1/clouds/${world.cloudA.slug}/runs?pageSize=200`,
      headers: bearer(world.tokenA),
      params: { slug: world.cloudA.slug },
    });
    const items = all.json.items as Array<{ queuedAt: string; source: string; id: string; status: string }>;
    expect(items.map((i) => i.queuedAt)).toEqual([...items.map((i) => i.queuedAt)].sort().reverse());
    expect(new Set(items.map((i) => i.source))).toEqual(new Set(['dashboard', 'official-runner']));
    expect(Object.keys(items[0]!)).toEqual(expect.arrayContaining(['id', 'status', 'source', 'queuedAt']));
    const hidden = await call(runs.GET, {
      path: '/x',
      headers: bearer(world.tokenB),
      params: { slug: world.cloudA.slug },
    });
    expect(hidden.status).toBe(404);
  });
});

describe('retention', () => {
  test('an uploaded report goes with the last of its runs; one with runs left stays', async () => {
    const { text } = runnerReport(world.cloudA.subject);
    const r = await upload(signed(text, world.keyA.privateKey), asA());
    expect(r.status).toBe(200);
    const run = await db.run.findUniqueOrThrow({ where: { id: r.json.runs[0].id } });
    const later = new Date(Date.now() + 600 * 86400_000);
    const settings = { evidenceDays: 90, resultDays: 548, deliveryDays: 180 };
    await pruneRetention(new Date(), settings);
    expect(await db.reportUpload.count({ where: { id: run.uploadId! } })).toBe(1);
    await pruneRetention(later, settings);
    expect(await db.run.count({ where: { id: run.id } })).toBe(0);
    expect(await db.reportUpload.count({ where: { id: run.uploadId! } })).toBe(0);
  });
});
