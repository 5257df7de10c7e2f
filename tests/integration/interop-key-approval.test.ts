import { beforeAll, describe, expect, test, vi } from 'vitest';

// The security finding this guards against: a CSP registers its organization's report-signing keys
// itself, so it could sign a YAML with PASS results naming the pinned certified endpoint and upload
// it. Such a report is taken and kept, but counts toward nothing (verdicts, the stored status, the
// history, certificates) until the certification body approves the key; withdrawing the approval, or
// staff removing the approved key, makes it stop counting again. A CSP can neither approve nor remove
// an approved key. Over the real route handlers and real PostgreSQL.
const session = vi.hoisted(() => ({ current: null as null | { userId: string } }));
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));
vi.mock('@/lib/auth/config', () => ({ auth: async () => session.current }));

import * as reports from '@/app/reports/route';
import * as keys from '@/app/api/v1/organizations/[slug]/keys/route';
import * as key from '@/app/api/v1/organizations/[slug]/keys/[name]/route';
import * as approval from '@/app/api/v1/organizations/[slug]/keys/[name]/approval/route';
import * as runApi from '@/app/api/v1/runs/[id]/route';
import { db } from '@/lib/db';
import { setCertifiedEndpoint } from '@/lib/compliance/certified-endpoint';
import { cloudCompliance, grantCertificate, historyOf, statusOf } from '@/lib/compliance';
import { cloudTimeline } from '@/lib/compliance/timeline';
import { approveKey, deleteKey, withdrawKeyApproval } from '@/lib/interop/keys';
import type { Actor } from '@/lib/auth/policy';
import type { RequestContext } from '@/lib/context';
import {
  approvedAttestation,
  auditEvents,
  ctxOf,
  expectPolicy,
  makeCloud,
  makeOrg,
  makeUser,
  uid,
} from './support/fixtures';
import { basic, bearer, call, newKey, runnerReport, signed, tokenFor } from './support/reports';

const PINNED = 'https://keystone.certified.example:5000/v3';
const ASSIGNMENT = `    auth_url: ${PINNED}\n    region: RegionOne\n`;

let w: {
  org: { id: string; slug: string };
  cloud: { id: string; slug: string; subject: string };
  csp: Actor;
  cspToken: string;
  otherToken: string;
  staff: RequestContext;
  staffToken: string;
  staffEmail: string;
  key: ReturnType<typeof newKey>;
};

const snapshot = (cloudId: string) => db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId } });

/** The cloud's headline status and scs-0116-permissions verdict as every page reads them (stored snapshot). */
async function standing() {
  const c = await cloudCompliance(w.staff, w.cloud.slug);
  const perm = statusOf(c).testcases.find((t) => t.id === 'scs-0116-permissions')!;
  const stored = await snapshot(w.cloud.id);
  return { status: c.status, stored: stored.status, permissions: perm.verdict, message: perm.message };
}

const upload = (body: string) =>
  call(reports.POST, {
    method: 'POST',
    path: '/reports',
    headers: { ...basic(w.cloud.subject, w.cspToken), 'content-type': 'application/x-signed-yaml' },
    body,
  });

const approvalCall = (method: 'PUT' | 'DELETE', token: string, name = 'csp-own') =>
  call(approval[method], {
    method,
    headers: bearer(token),
    params: { slug: w.org.slug, name },
  });

beforeAll(async () => {
  const org = await makeOrg({ prefix: 'appr' });
  const c = await makeCloud(org.id, { prefix: 'appr' });
  const subject = `appr-${uid()}.lab`;
  await db.cloud.update({ where: { id: c.id }, data: { scsSubject: subject } });
  const csp = await makeUser('csp', [org.id]);
  const other = await makeUser('csp', [(await makeOrg({ prefix: 'appr' })).id]);
  const reviewer = await makeUser('reviewer');
  w = {
    org,
    cloud: { ...c, subject },
    csp,
    cspToken: await tokenFor(csp),
    otherToken: await tokenFor(other),
    staff: ctxOf(reviewer),
    staffToken: await tokenFor(reviewer),
    staffEmail: reviewer.email,
    key: newKey(),
  };
  // The certified endpoint, pinned by staff, and our own run there two hours ago: permissions FAIL.
  await setCertifiedEndpoint(w.staff, c.slug, { authUrl: PINNED, region: 'RegionOne' });
  const at = new Date(Date.now() - 2 * 3_600_000);
  await db.run.create({
    data: {
      cloudId: c.id,
      status: 'finished',
      trigger: 'schedule',
      queuedAt: at,
      startedAt: at,
      finishedAt: at,
      authUrl: 'https://keystone.certified.example:5000',
      region: 'RegionOne',
      results: {
        create: ['scs-0116-presence', 'scs-0116-permissions'].map((testcase) => ({
          cloudId: c.id,
          testcase,
          verdict: testcase === 'scs-0116-permissions' ? ('FAIL' as const) : ('PASS' as const),
          message: 'our own run at the certified endpoint',
          durationMs: 1,
          checkedAt: at,
        })),
      },
    },
  });
  // The manual testcase is approved: a counted PASS of permissions would make the cloud PASS.
  await approvedAttestation(c.id, at, new Date(Date.now() + 80 * 86_400_000));
  // The CSP registers its own key, as it may.
  const added = await call(keys.POST, {
    method: 'POST',
    headers: { ...bearer(w.cspToken), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'csp-own', publicKey: w.key.line }),
    params: { slug: org.slug },
  });
  expect(added.status, added.text).toBe(201);
  expect([added.json.approvedAt, added.json.approvedBy]).toEqual([null, null]);
});

describe('a report signed with a key the certification body has not approved', () => {
  let runId: string;

  test('is taken and kept, but does not count: status, stored snapshot, history, timeline and certificates unchanged', async () => {
    const before = await standing();
    expect(before).toMatchObject({ status: 'FAIL', stored: 'FAIL', permissions: 'FAIL' });
    // PASS results, naming exactly the pinned endpoint, signed with the CSP's own key.
    const { text, runUuid } = runnerReport(w.cloud.subject, { permissions: 1, presence: 1, assignment: ASSIGNMENT });
    const r = await upload(signed(text, w.key.privateKey));
    expect(r.status, r.text).toBe(200);
    const fingerprint = (await db.organizationKey.findFirstOrThrow({ where: { organizationId: w.org.id } }))
      .fingerprint;
    expect(r.json.runs[0]).toMatchObject({
      results: { 'scs-0116-permissions': 'PASS', 'scs-0116-presence': 'PASS' },
      counts: false,
      notCountedReason: `Imported from a report signed with key "csp-own" (${fingerprint}), which the certification body has not approved; kept and shown, but it does not count toward verdicts or certificates.`,
    });
    runId = r.json.runs[0].id;
    // Stored as received, with its endpoint: the pin alone would have let it count.
    const run = await db.run.findFirstOrThrow({ where: { reportUuid: runUuid }, include: { results: true } });
    expect([run.source, run.authUrl, run.region, run.results.length]).toEqual([
      'official_runner',
      'https://keystone.certified.example:5000',
      'RegionOne',
      2,
    ]);
    // Nothing the party being certified steers: the verdict is still our own run's FAIL ...
    expect(await standing()).toEqual(before);
    // ... the history of today holds no PASS ...
    const h = await historyOf(w.cloud.id, '30d');
    const today = h.strips.find((s) => s.testcase === 'scs-0116-permissions')!.cells.at(-1)!;
    expect(today.counts?.pass ?? 0).toBe(0);
    // ... the certificate grant does not see a PASS ...
    await expect(grantCertificate(w.staff, w.cloud.slug)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('it is FAIL'),
    });
    // ... and the run's API view and the timeline say why.
    const view = await call(runApi.GET, { headers: bearer(w.cspToken), params: { id: runId } });
    expect(view.json).toMatchObject({
      source: 'official-runner',
      counts: false,
      notCountedReason: expect.stringContaining('which the certification body has not approved'),
      signedBy: { key: 'csp-own', fingerprint, approvedAt: null, approvedBy: null },
    });
    const tl = await cloudTimeline(w.staff, w.cloud.slug, { period: '30d' });
    expect(tl.items.find((e) => e.id === runId)).toMatchObject({
      counts: false,
      notCountedCause: 'signing-key',
      notCountedReason: expect.stringContaining('"csp-own"'),
    });
    const audit = (await auditEvents(w.cloud.slug)).find((e) => e.action === 'report.upload');
    expect(audit?.summary).toContain('(not counted: the signing key is not approved)');
  });

  test('the CSP cannot approve its own key (403 saying why), another organization does not see it (404)', async () => {
    const own = await approvalCall('PUT', w.cspToken);
    expect([own.status, own.json.error.message]).toEqual([
      403,
      'You may not approve report-signing keys: only the certification body decides whose signature makes a report count.',
    ]);
    expect((await approvalCall('PUT', w.otherToken)).status).toBe(404);
    expect((await approvalCall('PUT', w.staffToken, 'no-such-key')).status).toBe(404);
    expect((await call(approval.PUT, { method: 'PUT', params: { slug: w.org.slug, name: 'csp-own' } })).status).toBe(
      401,
    );
    await expectPolicy(approveKey(ctxOf(w.csp), w.org.slug, 'csp-own'), 'forbidden');
    const k = await db.organizationKey.findFirstOrThrow({ where: { organizationId: w.org.id, name: 'csp-own' } });
    expect(k.approvedAt).toBeNull();
    expect((await standing()).status).toBe('FAIL');
  });

  test('once staff approve the key it counts at once (snapshot stale in the same transaction); audited', async () => {
    const v0 = (await snapshot(w.cloud.id)).version;
    const r = await approvalCall('PUT', w.staffToken);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ name: 'csp-own', approvedBy: w.staffEmail, approvedAt: expect.any(String) });
    expect((await snapshot(w.cloud.id)).version).toBeGreaterThan(v0);
    expect(await standing()).toMatchObject({ status: 'PASS', stored: 'PASS', permissions: 'PASS' });
    const view = await call(runApi.GET, { headers: bearer(w.cspToken), params: { id: runId } });
    expect([view.json.counts, view.json.notCountedReason, view.json.signedBy.approvedBy]).toEqual([
      true,
      null,
      w.staffEmail,
    ]);
    // Approving again changes nothing and is not audited twice.
    expect((await approvalCall('PUT', w.staffToken)).status).toBe(200);
    const events = (await auditEvents(`${w.org.slug}/csp-own`)).map((e) => [e.action, e.summary]);
    expect(events.filter(([a]) => a === 'key.approve')).toEqual([
      [
        'key.approve',
        expect.stringMatching(
          /^approved report-signing key "csp-own" .*count toward verdicts and certificates \(runs imported with it so far: 1\)$/,
        ),
      ],
    ]);
    // The API lists the approval for everyone who sees the organization, the CSP included.
    const list = await call(keys.GET, { headers: bearer(w.cspToken), params: { slug: w.org.slug } });
    expect(list.json.items[0]).toMatchObject({ name: 'csp-own', approvedBy: w.staffEmail });
  });

  test('withdrawing the approval makes it stop counting again; audited with what it does', async () => {
    const v0 = (await snapshot(w.cloud.id)).version;
    const r = await approvalCall('DELETE', w.cspToken);
    expect(r.status).toBe(403);
    const ok = await approvalCall('DELETE', w.staffToken);
    expect([ok.status, ok.json.approvedAt, ok.json.approvedBy]).toEqual([200, null, null]);
    expect((await snapshot(w.cloud.id)).version).toBeGreaterThan(v0);
    expect(await standing()).toMatchObject({ status: 'FAIL', stored: 'FAIL', permissions: 'FAIL' });
    await expect(grantCertificate(w.staff, w.cloud.slug)).rejects.toMatchObject({ status: 409 });
    const last = (await auditEvents(`${w.org.slug}/csp-own`)).at(-1)!;
    expect([last.action, last.summary]).toEqual([
      'key.unapprove',
      expect.stringContaining(
        'the runs imported with it (1) are kept but no longer count toward verdicts or certificates',
      ),
    ]);
  });

  test('a certificate is granted on it only while the key is approved', async () => {
    await approveKey(w.staff, w.org.slug, 'csp-own');
    const cert = await grantCertificate(w.staff, w.cloud.slug);
    expect(cert.standard).toBe('scs-0116-v1');
  });

  test('the CSP cannot remove an approved key (403 saying why); staff can, and its runs stop counting', async () => {
    const refused = await call(key.DELETE, {
      method: 'DELETE',
      headers: bearer(w.cspToken),
      params: { slug: w.org.slug, name: 'csp-own' },
    });
    expect([refused.status, refused.json.error.message]).toEqual([
      403,
      'You may not remove this key: the certification body approved it, so the reports it signed count toward verdicts and certificates, and only certification staff may remove it or withdraw its approval.',
    ]);
    await expectPolicy(deleteKey(ctxOf(w.csp), w.org.slug, 'csp-own'), 'forbidden');
    expect(await db.organizationKey.count({ where: { organizationId: w.org.id } })).toBe(1);
    expect((await standing()).permissions).toBe('PASS');
    const v0 = (await snapshot(w.cloud.id)).version;
    const removed = await call(key.DELETE, {
      method: 'DELETE',
      headers: bearer(w.staffToken),
      params: { slug: w.org.slug, name: 'csp-own' },
    });
    expect(removed.status, removed.text).toBe(204);
    // The upload loses its key (ON DELETE SET NULL) and the organization's snapshots go stale at once.
    expect((await snapshot(w.cloud.id)).version).toBeGreaterThan(v0);
    expect((await standing()).permissions).toBe('FAIL');
    const view = await call(runApi.GET, { headers: bearer(w.cspToken), params: { id: runId } });
    expect(view.json).toMatchObject({
      counts: false,
      notCountedReason: expect.stringMatching(
        /^Imported from a report signed with key SHA256:\S+, which has been removed since/,
      ),
      signedBy: { key: null },
    });
    const last = (await auditEvents(`${w.org.slug}/csp-own`)).at(-1)!;
    expect([last.action, last.summary]).toEqual([
      'key.delete',
      expect.stringContaining('it was approved, so the runs imported with it (1) are kept but no longer count'),
    ]);
  });

  test("an unapproved key is the CSP's to remove, not a reviewer's; the audit says its runs never counted", async () => {
    const spare = newKey();
    const added = await call(keys.POST, {
      method: 'POST',
      headers: { ...bearer(w.cspToken), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'spare', publicKey: spare.line }),
      params: { slug: w.org.slug },
    });
    expect(added.status).toBe(201);
    // Staff do not remove what the CSP registered and nobody approved (the reviewer's 403) ...
    await expectPolicy(deleteKey(w.staff, w.org.slug, 'spare'), 'forbidden');
    // ... the CSP does.
    await deleteKey(ctxOf(w.csp), w.org.slug, 'spare');
    const last = (await auditEvents(`${w.org.slug}/spare`)).at(-1)!;
    expect(last.summary).toContain('(they did not count: the key was not approved)');
  });

  test('a key that is gone is not found; withdrawing the approval of an unapproved key changes nothing', async () => {
    await expectPolicy(withdrawKeyApproval(ctxOf(w.csp), w.org.slug, 'csp-own'), 'hidden');
    const third = newKey();
    await call(keys.POST, {
      method: 'POST',
      headers: { ...bearer(w.cspToken), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'third', publicKey: third.line }),
      params: { slug: w.org.slug },
    });
    const before = (await auditEvents(`${w.org.slug}/third`)).length;
    expect((await withdrawKeyApproval(w.staff, w.org.slug, 'third')).approvedAt).toBeNull();
    expect((await auditEvents(`${w.org.slug}/third`)).length).toBe(before);
  });
});
