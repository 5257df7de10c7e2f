// Runs on a real PostgreSQL against the in-process OpenStack simulator: the one-active-run rule
// under concurrent requests, execution and persistence (no secret in anything stored), the missing
// credential, policy refusals, cancel, the diff, the API view and the SCS-shaped report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { db } from '../../lib/db';
import { runDto } from '../../lib/api/dto';
import { OpenStackSimulator, simulatorCloud } from '../../lab/simulator';
import {
  cancelRun,
  createRun,
  diffWithPrevious,
  executeRun,
  getRun,
  markInterrupted,
  RunHeartbeat,
  scsReportYaml,
  NoCredentialError,
  type CloudConfigResolver,
} from '../../lib/runs';
import { PolicyError } from '../../lib/auth/policy';
import { cspOf, ensureTestUsers, makeCloud, makeOrg, reviewer, staff, waitFor } from './support/fixtures';

let sim: OpenStackSimulator;
const heartbeat = new RunHeartbeat(60_000);
let resolver: CloudConfigResolver;

beforeAll(async () => {
  await ensureTestUsers();
  sim = await new OpenStackSimulator({ policy: 'creator' }).start();
  resolver = async () => simulatorCloud(sim, 'member');
});
afterAll(async () => {
  await sim.stop();
});

describe('one active run per cloud', () => {
  it('30 concurrent requests create exactly one run and all get its id', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createRun(i % 2 ? staff() : cspOf(org.id), { slug: cloud.slug }, { trigger: 'api' }),
      ),
    );
    const ids = new Set(results.map((r) => r.run.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.run.count({ where: { cloudId: cloud.id } })).toBe(1);
    // A finished run frees the slot.
    await db.run.updateMany({ where: { cloudId: cloud.id }, data: { status: 'finished' } });
    const next = await createRun(staff(), { slug: cloud.slug }, { trigger: 'manual' });
    expect(next.created).toBe(true);
  });

  it('refuses unknown testcases and archived clouds', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    await expect(
      createRun(staff(), { slug: cloud.slug }, { trigger: 'api', testcases: ['nope'] }),
    ).rejects.toMatchObject({ status: 422 });
    await db.cloud.update({ where: { id: cloud.id }, data: { archivedAt: new Date() } });
    await expect(createRun(staff(), { slug: cloud.slug }, { trigger: 'api' })).rejects.toMatchObject({ status: 409 });
  });
});

describe('policy', () => {
  it('hides runs of other organizations, lets CSP users start their own, and only staff cancel', async () => {
    const orgA = await makeOrg();
    const orgB = await makeOrg();
    const cloudB = await makeCloud(orgB.id);
    await expect(createRun(cspOf(orgA.id), { slug: cloudB.slug }, { trigger: 'manual' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      createRun({ actor: null, clientAddress: null }, { slug: cloudB.slug }, { trigger: 'manual' }),
    ).rejects.toMatchObject({ status: 401 });
    const { run } = await createRun(cspOf(orgB.id), { slug: cloudB.slug }, { trigger: 'manual' });
    await expect(getRun(cspOf(orgA.id), run.id)).rejects.toBeInstanceOf(PolicyError);
    await expect(getRun(cspOf(orgA.id), run.id)).rejects.toMatchObject({ status: 404 });
    await expect(cancelRun(cspOf(orgB.id), run.id)).rejects.toMatchObject({ status: 403 });
    await expect(cancelRun(cspOf(orgA.id), run.id)).rejects.toMatchObject({ status: 404 });
    const cancelled = await cancelRun(reviewer(), run.id);
    expect(cancelled.status).toBe('cancelled');
    // A cancelled queued run is never executed.
    expect(await executeRun(run.id, { resolver, heartbeat })).toBe('skipped');
  });
});

describe('executing a run', () => {
  it('persists every result with redacted evidence, changes the stored status once, and answers the API shape', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    const { run } = await createRun(staff(), { slug: cloud.slug }, { trigger: 'manual' });
    const outcome = await executeRun(run.id, { resolver, heartbeat });
    expect(outcome).toBe('finished');
    // The worker stored the cloud's new compliance: fresh, with this run's results.
    const snap = await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: cloud.id } });
    expect(snap.computedVersion).toBe(snap.version);
    expect((snap.summary as { lastRun: { id: string } }).lastRun.id).toBe(run.id);
    // Executing again (a job delivered twice) does nothing.
    expect(await executeRun(run.id, { resolver, heartbeat })).toBe('skipped');

    const full = await getRun(staff(), run.id, { evidence: true });
    expect(full.status).toBe('finished');
    expect(full.namePrefix).toMatch(/^kmc-[0-9a-f]{24}-$/);
    expect(full.results.length).toBeGreaterThanOrEqual(10);
    expect(full.results.find((r) => r.testcase === 'scs-0116-permissions')?.verdict).toBe('PASS');
    expect(full.results.every((r) => Array.isArray(r.evidence))).toBe(true);
    const stored = JSON.stringify(await db.run.findUnique({ where: { id: run.id }, include: { results: true } }));
    for (const secret of sim.knownSecrets())
      expect(stored.includes(secret), 'a credential or token reached the database').toBe(false);

    const api = runDto(full);
    expect(Object.keys(api)).toEqual(
      expect.arrayContaining(['id', 'cloud', 'status', 'startedAt', 'finishedAt', 'results']),
    );
    expect(api.cloud).toBe(cloud.slug);
    expect(Object.keys(api.results[0]!).sort()).toEqual(['durationMs', 'message', 'testcase', 'verdict']);

    // The one status: the stored snapshot. No attestation yet, so the full profile is MISS and the
    // official verdict PASS; the change from a new cloud's MISS is queued once.
    const changes = () =>
      db.notification.findMany({
        where: { cloudId: cloud.id, kind: 'statusChange' },
        orderBy: { createdAt: 'asc' },
      });
    const s1 = await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: cloud.id } });
    expect([s1.status, s1.officialStatus]).toEqual(['MISS', 'PASS']);
    expect(await changes()).toHaveLength(1);

    // A second identical run: no new notification (one message per change, not per run).
    const second = await createRun(staff(), { slug: cloud.slug }, { trigger: 'manual' });
    await executeRun(second.run.id, { resolver, heartbeat });
    expect(await changes()).toHaveLength(1);
    const same = await diffWithPrevious(staff(), second.run.id);
    expect(same.previous?.id).toBe(run.id);
    expect(same.changes.filter((c) => c.kind === 'verdict')).toEqual([]);

    // Barbican's policy no longer lets a member create secrets: FAIL, one notification, and the diff shows it.
    const lost = new OpenStackSimulator({ policy: 'default' });
    await lost.start();
    try {
      const third = await createRun(
        staff(),
        { slug: cloud.slug },
        { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions'] },
      );
      await executeRun(third.run.id, { resolver: async () => simulatorCloud(lost, 'member'), heartbeat });
      const s3 = await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: cloud.id } });
      expect([s3.status, s3.officialStatus]).toEqual(['FAIL', 'FAIL']);
      const notes = await changes();
      expect(notes).toHaveLength(2);
      expect(notes[1]!.data).toMatchObject({ from: 'MISS', to: 'FAIL', official: { from: 'PASS', to: 'FAIL' } });
      expect(notes[1]!.subject).toBe(`${cloud.slug}: scs-0116-v1 MISS -> FAIL, SCS v5.1 PASS -> FAIL`);
      const diff = await diffWithPrevious(staff(), third.run.id);
      expect(
        diff.changes.some(
          (c) => c.testcase === 'scs-0116-permissions' && c.kind === 'verdict' && c.before?.verdict === 'PASS',
        ),
      ).toBe(true);
      expect(diff.changes.some((c) => c.kind === 'removed')).toBe(true);
    } finally {
      await lost.stop();
    }
  });

  it('ends a run without a credential with an ABORT per testcase saying so', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    const { run } = await createRun(staff(), { slug: cloud.slug }, { trigger: 'manual' });
    await executeRun(run.id, {
      resolver: async () => {
        throw new NoCredentialError();
      },
      heartbeat,
    });
    const r = await getRun(staff(), run.id);
    expect(r.status).toBe('finished');
    expect(r.error).toMatch(/No credential is stored/);
    expect(r.results.length).toBeGreaterThan(5);
    expect(r.results.every((x) => x.verdict === 'ABORT' && /No credential is stored/.test(x.message))).toBe(true);
    // ABORT never fails: the official verdict did not finish (DNF); the full profile misses its attestation.
    const snap = await db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId: cloud.id } });
    expect([snap.status, snap.officialStatus]).toEqual(['MISS', 'DNF']);
  });

  it('writes a YAML report the SCS compliance monitor can read', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    const { run } = await createRun(
      staff(),
      { slug: cloud.slug },
      { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions', 'km-version'] },
    );
    await executeRun(run.id, { resolver, heartbeat });
    const doc = parse(scsReportYaml(await getRun(staff(), run.id)));
    expect(doc.spec.uuid).toBe('50393e6f-2ae1-4c5c-a62c-3b75f2abef3f');
    expect(doc.subject).toBe(cloud.slug);
    expect(doc.reference_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.run.uuid).toBe(run.id);
    const inv = Object.values(doc.run.invocations)[0] as { results: Record<string, number> };
    expect(inv.results).toEqual({ 'scs-0116-presence': 1, 'scs-0116-permissions': 1 });
  });

  it('stops a running run that staff cancel, at the next heartbeat', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    const slow = await new OpenStackSimulator({ policy: 'creator' }).start();
    slow.addFault({ service: 'barbican', action: { kind: 'latency', ms: 150 } });
    const hb = new RunHeartbeat(100);
    hb.start();
    try {
      const { run } = await createRun(staff(), { slug: cloud.slug }, { trigger: 'manual' });
      const done = executeRun(run.id, { resolver: async () => simulatorCloud(slow, 'member'), heartbeat: hb });
      // Cancel once the run is well under way (two checks done, the rest still to come).
      await waitFor(async () => (await db.runResult.count({ where: { runId: run.id } })) >= 2, 20_000, 50);
      expect((await getRun(staff(), run.id)).status).toBe('running');
      await cancelRun(reviewer(), run.id);
      expect(await done).toBe('cancelled');
      const r = await getRun(staff(), run.id);
      expect(r.status).toBe('cancelled');
      expect(r.results.some((x) => x.verdict === 'ABORT' && /cancelled/i.test(x.message))).toBe(true);
      // Cancelled runs still clean up after themselves.
      expect(slow.liveSecrets().filter((s) => s.name?.startsWith(r.namePrefix!))).toEqual([]);
    } finally {
      await hb.stop();
      await slow.stop();
    }
  });

  it('marks a stale run interrupted, but never one the calling process says it is executing', async () => {
    const org = await makeOrg();
    const mine = await createRun(staff(), { slug: (await makeCloud(org.id)).slug }, { trigger: 'manual' });
    const theirs = await createRun(staff(), { slug: (await makeCloud(org.id)).slug }, { trigger: 'manual' });
    const ids = [mine.run.id, theirs.run.id];
    // Both stamped 10 s ago: stale for a 100 ms interval (4 x 100 ms).
    await db.$executeRaw`UPDATE "Run" SET status = 'running', "heartbeatAt" = now() - interval '10 seconds'
      WHERE id = ANY(${ids}::uuid[])`;
    const marked = await markInterrupted(100, [mine.run.id]);
    expect(marked.map((r) => r.id)).toContain(theirs.run.id);
    expect(marked.map((r) => r.id)).not.toContain(mine.run.id);
    expect((await db.run.findUnique({ where: { id: mine.run.id } }))?.status).toBe('running');
    expect((await db.run.findUnique({ where: { id: theirs.run.id } }))?.status).toBe('interrupted');
    await db.run.update({ where: { id: mine.run.id }, data: { status: 'cancelled', finishedAt: new Date() } });
  });
});
