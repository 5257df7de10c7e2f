// The stored compliance snapshot (lib/compliance/snapshot.ts): triggers make it stale in the
// writer's transaction, time alone makes it stale at the next expiry, a clock moved back makes it
// stale, and what it returns always equals a fresh evaluation. The overview's SQL filters, counts,
// sorting, search and paging run over it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { approvedAttestation, ctxOf, makeCloud, makeOrg, makeUser, uid } from './support/fixtures';
import { complianceOf, complianceOverview, evaluateClouds, historyOf } from '../../lib/compliance';
import { clearHistoryCache } from '../../lib/compliance/history-cache';
import { cloudSelect } from '../../lib/compliance/evaluate';
import { publicBadgeStatus } from '../../lib/compliance/public';
import { storedBadge } from '../../lib/compliance/badge';
import pg from 'pg';
import { NotFoundError } from '../../lib/errors';
import { fixedClock, resetClock, setClock } from '../../lib/clock';
import type { RequestContext } from '../../lib/context';

const T0 = new Date('2027-03-01T10:00:00Z');
const clock = fixedClock(T0);
const DAY = 86_400_000;
let staff: RequestContext;
let csp: RequestContext;
let org: { id: string; slug: string };
let other: { id: string; slug: string };
const prefix = `snap-${uid()}`;

async function row(slug: string) {
  return db.cloud.findUniqueOrThrow({ where: { slug }, select: cloudSelect });
}

async function snapshot(cloudId: string) {
  return db.complianceSnapshot.findUniqueOrThrow({ where: { cloudId } });
}

/** A finished run of both official testcases at `at` with the given verdicts. */
async function run(
  cloudId: string,
  at: Date,
  presence: 'PASS' | 'FAIL' | 'ABORT',
  permissions: 'PASS' | 'FAIL' | 'ABORT',
) {
  const r = await db.run.create({
    data: { cloudId, status: 'finished', trigger: 'manual', queuedAt: at, startedAt: at, finishedAt: at },
  });
  await db.runResult.createMany({
    data: [
      {
        runId: r.id,
        cloudId,
        testcase: 'scs-0116-presence',
        verdict: presence,
        message: 'catalog',
        durationMs: 5,
        checkedAt: at,
      },
      {
        runId: r.id,
        cloudId,
        testcase: 'scs-0116-permissions',
        verdict: permissions,
        message: 'member',
        durationMs: 5,
        checkedAt: at,
      },
    ],
  });
  return r.id;
}

async function approve(cloudId: string, at: Date, days = 91) {
  await approvedAttestation(cloudId, at, new Date(at.getTime() + days * DAY));
}

async function statusOf(slug: string) {
  return (await complianceOf([await row(slug)]))[0];
}

beforeAll(async () => {
  setClock(clock);
  org = await makeOrg({ slug: `${prefix}-org` });
  other = await makeOrg({ slug: `${prefix}-other` });
  staff = ctxOf(await makeUser('reviewer'));
  csp = ctxOf(await makeUser('csp', [org.id]));
});
afterAll(() => resetClock());

describe('compliance snapshot', () => {
  it('exists from the cloud’s creation on and is computed on first read', async () => {
    const c = await makeCloud(org.id, { slug: `${prefix}-new` });
    const before = await snapshot(c.id);
    expect(before.computedVersion).toBeLessThan(before.version);
    expect((await statusOf(c.slug)).status).toBe('MISS');
    const after = await snapshot(c.id);
    expect(after.computedVersion).toBe(after.version);
    expect(after.status).toBe('MISS');
    expect(after.computedAt?.toISOString()).toBe(T0.toISOString());
  });

  it('a new result, attestation or certificate makes it stale in the same transaction', async () => {
    const c = await makeCloud(org.id, { slug: `${prefix}-writes` });
    await statusOf(c.slug);
    const v0 = (await snapshot(c.id)).version;
    await run(c.id, new Date(T0.getTime() - 60_000), 'PASS', 'PASS');
    expect((await snapshot(c.id)).version).toBeGreaterThan(v0);
    expect((await statusOf(c.slug)).status).toBe('MISS'); // the manual testcase is missing
    await approve(c.id, new Date(T0.getTime() - 30_000));
    const passed = await statusOf(c.slug);
    expect(passed.status).toBe('PASS');
    expect(passed.manual.verdict).toBe('PASS');
    await db.certificate.create({
      data: {
        cloudId: c.id,
        standard: 'scs-0116-v1',
        grantedAt: T0,
        validUntil: new Date(T0.getTime() + 365 * DAY),
        grantedByLabel: 'test',
      },
    });
    expect((await statusOf(c.slug)).certificate.state).toBe('valid');
    await db.certificate.updateMany({ where: { cloudId: c.id }, data: { revokedAt: T0, revokedReason: 'test' } });
    expect((await statusOf(c.slug)).certificate.state).toBe('revoked');
    await run(c.id, T0, 'PASS', 'FAIL');
    expect((await statusOf(c.slug)).status).toBe('FAIL');
  });

  it('stays fresh through writes the evaluation does not read (progress, heartbeat, draft text, evidence)', async () => {
    const c = await makeCloud(org.id, { slug: `${prefix}-irrelevant` });
    const runId = await run(c.id, new Date(T0.getTime() - 60_000), 'PASS', 'PASS');
    const draft = await db.attestation.create({
      data: {
        cloudId: c.id,
        revision: 1,
        state: 'draft',
        standard: 'scs-0116-v1',
        statement: {},
        createdByLabel: 'test',
      },
    });
    await statusOf(c.slug);
    const v = (await snapshot(c.id)).version;
    await db.run.update({
      where: { id: runId },
      data: { heartbeatAt: T0, progress: { total: 2, done: 1 }, report: { warnings: [] } },
    });
    await db.runResult.updateMany({ where: { runId }, data: { evidence: [] } });
    await db.attestation.update({ where: { id: draft.id }, data: { statement: { kekLocation: 'hsm' } } });
    expect((await snapshot(c.id)).version).toBe(v);
    // What it does read: a run's status, an attestation's state.
    await db.run.update({ where: { id: runId }, data: { status: 'cancelled' } });
    expect((await snapshot(c.id)).version).toBe(v + 1);
    await db.attestation.update({ where: { id: draft.id }, data: { state: 'submitted', submittedAt: T0 } });
    expect((await snapshot(c.id)).version).toBe(v + 2);
    expect((await statusOf(c.slug)).openAttestation).toBe('submitted');
  });

  it('is recomputed when it was stored by code of another snapshot format', async () => {
    const c = await makeCloud(org.id, { slug: `${prefix}-format` });
    await statusOf(c.slug);
    await db.complianceSnapshot.update({ where: { cloudId: c.id }, data: { format: 0, status: 'PASS' } });
    expect((await statusOf(c.slug)).status).toBe('MISS');
    expect((await snapshot(c.id)).format).toBeGreaterThan(0);
  });

  it('turns stale when time alone changes the outcome, at the exact expiry instant', async () => {
    const c = await makeCloud(org.id, { slug: `${prefix}-time` });
    const checked = new Date(T0.getTime() - DAY);
    await run(c.id, checked, 'PASS', 'PASS');
    await approve(c.id, checked);
    const now = await statusOf(c.slug);
    expect(now.status).toBe('PASS');
    const expiry = now.evaluations[0].testcases.find((t) => t.id === 'scs-0116-permissions')!.expiresAt!;
    expect((await snapshot(c.id)).staleAt?.toISOString()).toBe(expiry.toISOString());
    try {
      clock.set(new Date(expiry.getTime() - 1));
      expect((await statusOf(c.slug)).status).toBe('PASS');
      clock.set(expiry);
      expect((await statusOf(c.slug)).status).toBe('MISS');
      // The clock moved back (a snapshot "from the future" is not trusted).
      clock.set(T0);
      expect((await statusOf(c.slug)).status).toBe('PASS');
    } finally {
      clock.set(T0);
    }
  });

  it('equals a fresh evaluation, cloud by cloud', async () => {
    const clouds = await db.cloud.findMany({
      where: { slug: { startsWith: prefix } },
      select: cloudSelect,
      orderBy: { slug: 'asc' },
    });
    expect(clouds.length).toBeGreaterThanOrEqual(3);
    await complianceOf(clouds);
    const stored = await complianceOf(clouds); // now every one comes from its stored row
    expect(JSON.parse(JSON.stringify(stored))).toEqual(JSON.parse(JSON.stringify(await evaluateClouds(clouds))));
  });

  it('never waits for a writer that holds the cloud, and the writer’s change shows once committed', async () => {
    const c = await makeCloud(org.id, { slug: `${prefix}-locked` });
    await statusOf(c.slug);
    // Stale (stored by "other code"), so the reader below recomputes and tries to store it.
    await db.complianceSnapshot.update({ where: { cloudId: c.id }, data: { format: 0 } });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => {
      inserted = r;
    });
    const writer = db.$transaction(
      async (tx) => {
        const r = await tx.run.create({
          data: { cloudId: c.id, status: 'finished', trigger: 'manual', queuedAt: T0, startedAt: T0, finishedAt: T0 },
        });
        await tx.runResult.create({
          data: {
            runId: r.id,
            cloudId: c.id,
            testcase: 'scs-0116-permissions',
            verdict: 'FAIL',
            message: 'x',
            durationMs: 1,
            checkedAt: T0,
          },
        });
        inserted();
        await held;
      },
      { timeout: 20_000 },
    );
    await didInsert;
    const t0 = Date.now();
    try {
      expect((await statusOf(c.slug)).status).toBe('MISS'); // the uncommitted FAIL is not visible
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect((await snapshot(c.id)).format).toBe(0); // the store was skipped, not waited for
    } finally {
      release();
      await writer;
    }
    expect((await statusOf(c.slug)).status).toBe('FAIL');
  });
});

describe('overview over snapshots', () => {
  let slugs: Record<string, string>;
  beforeAll(async () => {
    const mk = async (name: string, orgId: string) =>
      db.cloud.create({ data: { slug: `${prefix}-ov-${name}`, name: `${prefix} ${name}`, organizationId: orgId } });
    const pass = await mk('b-pass', org.id);
    await run(pass.id, new Date(T0.getTime() - 3_600_000), 'PASS', 'PASS');
    await approve(pass.id, new Date(T0.getTime() - 3_600_000));
    const fail = await mk('a-fail', org.id);
    await run(fail.id, new Date(T0.getTime() - 7_200_000), 'PASS', 'FAIL');
    const abort = await mk('c-abort', org.id);
    await run(abort.id, new Date(T0.getTime() - 600_000), 'PASS', 'ABORT');
    await approve(abort.id, new Date(T0.getTime() - 600_000));
    const hidden = await mk('d-other', other.id);
    const pct = await db.cloud.create({
      data: { slug: `${prefix}-ov-pct`, name: `${prefix} 100% literal_`, organizationId: other.id },
    });
    slugs = { pass: pass.slug, fail: fail.slug, abort: abort.slug, hidden: hidden.slug, pct: pct.slug };
  });
  const q = () => `${prefix}-ov`;

  it('counts per status and filters by status in SQL', async () => {
    const all = await complianceOverview(staff, { q: q() });
    expect(all.counts).toMatchObject({ PASS: 1, FAIL: 1, DNF: 1 });
    expect(all.total).toBe(all.counts.PASS + all.counts.FAIL + all.counts.DNF + all.counts.MISS);
    const failed = await complianceOverview(staff, { q: q(), status: 'FAIL' });
    expect(failed.items.map((c) => c.cloud.slug)).toEqual([slugs.fail]);
    expect(failed.total).toBe(1);
  });

  it('sorts by status (fail first), by last run and by name, both directions', async () => {
    const byStatus = (await complianceOverview(staff, { q: q(), sort: 'status' })).items.map((c) => c.status);
    expect(byStatus).toEqual(
      [...byStatus].sort(
        (a, b) => ['FAIL', 'MISS', 'DNF', 'PASS'].indexOf(a) - ['FAIL', 'MISS', 'DNF', 'PASS'].indexOf(b),
      ),
    );
    const byName = (await complianceOverview(staff, { q: q(), sort: 'name', dir: 'desc' })).items.map((c) =>
      c.cloud.name.toLowerCase(),
    );
    expect(byName).toEqual([...byName].sort().reverse());
    const byRun = (await complianceOverview(staff, { q: q(), sort: 'lastRun', dir: 'desc' })).items.filter(
      (c) => c.lastRun,
    );
    const times = byRun.map((c) => c.lastRun!.queuedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('pages in SQL and keeps the total', async () => {
    const p1 = await complianceOverview(staff, { q: q(), pageSize: 2, page: 1 });
    const p2 = await complianceOverview(staff, { q: q(), pageSize: 2, page: 2 });
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBe(p2.total);
    expect(new Set([...p1.items, ...p2.items].map((c) => c.cloud.id)).size).toBe(p1.items.length + p2.items.length);
  });

  it('shows a cloud whose first store was skipped because a writer held its row', async () => {
    const c = await db.cloud.create({
      data: { slug: `${prefix}-ov-held`, name: `${prefix} held`, organizationId: org.id },
    });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const didStart = new Promise<void>((r) => {
      started = r;
    });
    const writer = db.$transaction(
      async (tx) => {
        await tx.run.create({ data: { cloudId: c.id, status: 'queued', trigger: 'manual', queuedAt: T0 } });
        started();
        await held;
      },
      { timeout: 20_000 },
    );
    await didStart;
    try {
      const page = await complianceOverview(staff, { q: `${prefix}-ov-held` });
      expect(page.items.map((x) => x.cloud.slug)).toEqual([c.slug]);
      expect(page.counts.MISS).toBe(1);
      expect((await complianceOverview(staff, { q: `${prefix}-ov-held`, status: 'MISS' })).total).toBe(1);
      expect((await snapshot(c.id)).summary).toBeNull(); // the store was skipped, not waited for
    } finally {
      release();
      await writer;
    }
  });

  it('treats % and _ in the search as literal characters', async () => {
    const hits = await complianceOverview(staff, { q: '100% literal_' });
    expect(hits.items.map((c) => c.cloud.slug)).toEqual([slugs.pct]);
    expect((await complianceOverview(staff, { q: `${prefix}-ov-1_0` })).total).toBe(0);
  });

  it('shows a CSP only their organization’s clouds, in items and in counts', async () => {
    const mine = await complianceOverview(csp, { q: q() });
    const seen = mine.items.map((c) => c.cloud.slug);
    expect(seen).toContain(slugs.pass);
    expect(seen).not.toContain(slugs.hidden);
    expect(seen).not.toContain(slugs.pct);
    expect(mine.total).toBe(seen.length);
  });
});

describe('badge status from the snapshot', () => {
  it('reads a fresh snapshot, recomputes a stale one, and knows only public clouds', async () => {
    const c = await db.cloud.create({
      data: { slug: `${prefix}-badge`, name: `${prefix} badge`, organizationId: org.id },
    });
    await expect(publicBadgeStatus(c.slug)).rejects.toBeInstanceOf(NotFoundError);
    await db.cloud.update({ where: { id: c.id }, data: { public: true } });
    await run(c.id, new Date(T0.getTime() - 60_000), 'PASS', 'PASS');
    await approve(c.id, new Date(T0.getTime() - 60_000));
    expect(await publicBadgeStatus(c.slug)).toEqual({ name: c.name, status: 'PASS', certified: false });
    expect((await snapshot(c.id)).computedVersion).toBe((await snapshot(c.id)).version);
    await db.certificate.create({
      data: {
        cloudId: c.id,
        standard: 'scs-0116-v1',
        grantedAt: T0,
        validUntil: new Date(T0.getTime() + 365 * DAY),
        grantedByLabel: 'test',
      },
    });
    expect(await publicBadgeStatus(c.slug)).toEqual({ name: c.name, status: 'PASS', certified: true });
    await run(c.id, T0, 'PASS', 'FAIL');
    expect((await publicBadgeStatus(c.slug)).status).toBe('FAIL');
    expect((await publicBadgeStatus(c.slug)).status).toBe('FAIL'); // now from the stored row
    // The front process reads the same row through a plain pg pool.
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    try {
      const viaPg = (sql: string, params: unknown[]) => pool.query(sql, params).then((r) => r.rows);
      expect(await storedBadge(viaPg, c.slug, T0)).toEqual({ name: c.name, status: 'FAIL', certified: true });
      expect(await storedBadge(viaPg, `${c.slug}-nope`, T0)).toBe('not-found');
      expect(await storedBadge(viaPg, c.slug, new Date(T0.getTime() + 30 * DAY))).toBe('stale');
    } finally {
      await pool.end();
    }
    await db.cloud.update({ where: { id: c.id }, data: { archivedAt: T0 } });
    await expect(publicBadgeStatus(c.slug)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('history cache', () => {
  it('serves a history again only while the snapshot shows nothing changed', async () => {
    clearHistoryCache();
    const c = await makeCloud(org.id, { slug: `${prefix}-hist` });
    const checked = new Date(T0.getTime() - 2 * DAY);
    await run(c.id, checked, 'PASS', 'PASS');
    // The snapshot is stale (never computed since the run): nothing is kept.
    const a = await historyOf(c.id, '30d');
    expect(await historyOf(c.id, '30d')).not.toBe(a);
    await statusOf(c.slug); // fresh snapshot
    const b = await historyOf(c.id, '30d');
    expect(await historyOf(c.id, '30d')).toBe(b); // kept
    expect(b).toEqual(a);
    // A new result: the next history is computed again and shows it.
    await run(c.id, T0, 'PASS', 'FAIL');
    await statusOf(c.slug);
    const d = await historyOf(c.id, '30d');
    expect(d).not.toBe(b);
    expect(d.strips.find((s) => s.testcase === 'scs-0116-permissions')!.cells.at(-1)!.verdict).toBe('FAIL');
    // Time passing an expiry (the snapshot's staleAt) is a change as well.
    const staleAt = (await snapshot(c.id)).staleAt!;
    try {
      clock.set(staleAt);
      expect(await historyOf(c.id, '30d')).not.toBe(d);
    } finally {
      clock.set(T0);
    }
  });
});
