import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { ctxOf, expectPolicy, makeWorld, rejection } from './support/fixtures';
import { addAttestationFile, createAttestation, reviewAttestation, submitAttestation } from '../../lib/attestations';
import { samplePdf, sampleStatement } from '../fixtures/attestation-files';
import { fixedClock, resetClock, setClock } from '../../lib/clock';
import type { PolicyError } from '../../lib/auth/policy';
import { NotFoundError } from '../../lib/errors';
import { cloudTimeline, type AttestationEntry, type RunEntry, type TimelineEntry } from '../../lib/compliance/timeline';
import type { Period } from '../../lib/compliance/history';

const DAY = 86_400_000;
// Noon, so "n days ago at 10:00" never crosses a period's first UTC day by accident.
const NOW = new Date('2027-03-15T12:00:00Z');
const daysAgo = (d: number, hour = 10) => new Date(Date.UTC(2027, 2, 15 - d, hour));
// periodDays: a 30-day period starts at 00:00 UTC of the 29th day before today.
const FROM_30D = new Date('2027-02-14T00:00:00Z');

const clock = fixedClock(NOW);
let w: Awaited<ReturnType<typeof makeWorld>>;
const ids = { runAtBoundary: '', runBeforeBoundary: '', interrupted: '', old: '' };
const rev: Record<number, string> = {};

async function run(
  queuedAt: Date,
  opts: {
    status?: 'finished' | 'interrupted';
    error?: string;
    permissions?: 'PASS' | 'FAIL' | 'ABORT';
    km?: number;
  } = {},
): Promise<string> {
  const status = opts.status ?? 'finished';
  const finishedAt = new Date(queuedAt.getTime() + 90_000);
  const testcases =
    status === 'finished'
      ? [
          // Stored in an order unlike the run order, so the timeline's ordering is what is tested.
          ...['km-tls', 'km-roles', 'km-version']
            .slice(0, opts.km ?? 3)
            .map((t) => ({ testcase: t, verdict: 'PASS' as const })),
          { testcase: 'scs-0116-permissions', verdict: opts.permissions ?? 'PASS' },
          { testcase: 'scs-0116-presence', verdict: 'PASS' as const },
        ]
      : [];
  const r = await db.run.create({
    data: {
      cloudId: w.cloud.id,
      status,
      trigger: 'schedule',
      queuedAt,
      startedAt: queuedAt,
      finishedAt,
      error: opts.error ?? null,
      results: {
        create: testcases.map((t) => ({
          cloudId: w.cloud.id,
          testcase: t.testcase,
          verdict: t.verdict,
          message: 'ok',
          durationMs: 100,
          checkedAt: finishedAt,
        })),
      },
    },
  });
  return r.id;
}

/** A revision taken through the review at given times (the lib's own clock decides every timestamp). */
async function revision(
  n: number,
  created: Date,
  submitted: Date | null,
  review?: { at: Date; decision: 'approve' | 'reject' | 'request_changes' },
) {
  clock.set(created);
  const id = (await createAttestation(w.csp, w.cloud.slug, sampleStatement)).id;
  if (n === 1) await addAttestationFile(w.csp, id, { name: 'kek.pdf', bytes: samplePdf(`timeline ${w.cloud.slug}`) });
  if (submitted) {
    clock.set(submitted);
    await submitAttestation(w.csp, id, { confirm: true, signerName: 'Ada Ops' });
  }
  if (review) {
    clock.set(review.at);
    await reviewAttestation(w.reviewer, id, { decision: review.decision, comment: 'Reviewed for the timeline.' });
  }
  rev[n] = id;
}

async function all(period: Period, ctx = w.reviewer): Promise<TimelineEntry[]> {
  const first = await cloudTimeline(ctx, w.cloud.slug, { period });
  const out = [...first.items];
  for (let p = 2; p <= first.pages; p++)
    out.push(...(await cloudTimeline(ctx, w.cloud.slug, { period, page: p })).items);
  return out;
}

beforeAll(async () => {
  setClock(clock);
  w = await makeWorld();
  // Revision 1: approved 110 days ago, expired 19 days ago, superseded by revision 3.
  await revision(1, daysAgo(121), daysAgo(120), { at: daysAgo(110), decision: 'approve' });
  // Revision 2: rejected 55 days ago.
  await revision(2, daysAgo(61), daysAgo(60), { at: daysAgo(55, 11), decision: 'reject' });
  // Revision 3: approved 35 days ago (valid), submitted 40 days ago.
  await revision(3, daysAgo(41), daysAgo(40, 9), { at: daysAgo(35, 11), decision: 'approve' });
  // Revision 4: submitted 10 days ago, changes requested 8 days ago; stays open.
  await revision(4, daysAgo(12), daysAgo(10, 9), { at: daysAgo(8, 11), decision: 'request_changes' });
  clock.set(NOW);

  // A run every day for the last 60 days (10:00 UTC), a FAIL 20 days ago, and runs on either side of
  // the 30-day period's first instant.
  for (let d = 0; d < 60; d++) await run(daysAgo(d), { permissions: d === 20 ? 'FAIL' : 'PASS' });
  ids.runAtBoundary = await run(FROM_30D);
  ids.runBeforeBoundary = await run(new Date(FROM_30D.getTime() - 1));
  ids.interrupted = await run(daysAgo(3, 14), {
    status: 'interrupted',
    error: 'The worker stopped while the run was going on.',
  });
  ids.old = await run(daysAgo(400));
  // Another cloud's runs never show up.
  const other = await db.cloud.create({
    data: { slug: `other-${w.cloud.slug}`, name: 'Other', organizationId: w.orgA.id },
  });
  await db.run.create({ data: { cloudId: other.id, status: 'finished', trigger: 'manual', queuedAt: daysAgo(1) } });
});
afterAll(() => resetClock());

describe('cloudTimeline', () => {
  it('interleaves runs and revisions, newest first, each revision at the time of its current state', async () => {
    const entries = await all('90d');
    const times = entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // 60 daily runs + the two boundary runs + the interrupted one; revisions 2, 3 and 4 (1 is older than 90 days).
    expect(entries.filter((e) => e.kind === 'run')).toHaveLength(63);
    const revisions = entries.filter((e): e is AttestationEntry => e.kind === 'attestation');
    expect(revisions.map((r) => [r.revision, r.state, r.at.toISOString()])).toEqual([
      [4, 'changes_requested', daysAgo(8, 11).toISOString()],
      [3, 'approved', daysAgo(35, 11).toISOString()],
      [2, 'rejected', daysAgo(55, 11).toISOString()],
    ]);
    // Runs are at 10:00 and the reviews at 11:00: each decision sits right after its day's run.
    const i3 = entries.findIndex((e) => e.id === rev[3]);
    expect(entries[i3 - 1]).toMatchObject({ kind: 'run', at: daysAgo(34) });
    expect(entries[i3 + 1]).toMatchObject({ kind: 'run', at: daysAgo(35) });
    const i4 = entries.findIndex((e) => e.id === rev[4]);
    expect(entries[i4 - 1]).toMatchObject({ kind: 'run', at: daysAgo(7) });
    expect(entries[i4 + 1]).toMatchObject({ kind: 'run', at: daysAgo(8) });
    // Only this cloud's runs.
    const own = new Set(
      (await db.run.findMany({ where: { cloudId: w.cloud.id }, select: { id: true } })).map((r) => r.id),
    );
    expect(entries.filter((e) => e.kind === 'run').every((e) => own.has(e.id))).toBe(true);
  });

  it('describes runs: status, trigger, scs-0116 verdicts first, the km-* results counted', async () => {
    const entries = await all('30d');
    const fail = entries.find((e): e is RunEntry => e.kind === 'run' && e.at.getTime() === daysAgo(20).getTime())!;
    expect(fail).toMatchObject({ status: 'finished', trigger: 'schedule', error: null, informational: 3 });
    expect(fail.finishedAt).toEqual(new Date(daysAgo(20).getTime() + 90_000));
    expect(fail.verdicts.map((v) => [v.testcase, v.verdict, v.informational])).toEqual([
      ['scs-0116-presence', 'PASS', false],
      ['scs-0116-permissions', 'FAIL', false],
      ['km-roles', 'PASS', true],
      ['km-version', 'PASS', true],
      ['km-tls', 'PASS', true],
    ]);
    const interrupted = entries.find((e) => e.id === ids.interrupted) as RunEntry;
    expect(interrupted).toMatchObject({
      status: 'interrupted',
      verdicts: [],
      informational: 0,
      error: 'The worker stopped while the run was going on.',
    });
  });

  it('describes revisions: times, expiry, supersession and who decided', async () => {
    const entries = await all('6m');
    const r = Object.fromEntries(
      entries.filter((e): e is AttestationEntry => e.kind === 'attestation').map((e) => [e.revision, e]),
    );
    const reviewer = w.reviewer.actor!.email;
    expect(r[1]).toMatchObject({
      state: 'approved',
      at: daysAgo(110),
      decidedAt: daysAgo(110),
      expired: true,
      superseded: true,
      decidedByLabel: reviewer,
    });
    expect(r[1].expiresAt!.getTime()).toBe(daysAgo(110).getTime() + 91 * DAY);
    expect(r[2]).toMatchObject({
      state: 'rejected',
      decidedAt: daysAgo(55, 11),
      expiresAt: null,
      expired: false,
      superseded: false,
      decidedByLabel: reviewer,
    });
    expect(r[3]).toMatchObject({
      state: 'approved',
      submittedAt: daysAgo(40, 9),
      expired: false,
      superseded: false,
      decidedByLabel: reviewer,
    });
    expect(r[4]).toMatchObject({
      state: 'changes_requested',
      submittedAt: daysAgo(10, 9),
      decidedAt: null,
      createdAt: daysAgo(12),
      decidedByLabel: reviewer,
    });
  });

  it('keeps to the period: the first instant of its first UTC day is in, the millisecond before is out', async () => {
    const entries = await all('30d');
    const ids30 = new Set(entries.map((e) => e.id));
    expect(ids30.has(ids.runAtBoundary)).toBe(true);
    expect(ids30.has(ids.runBeforeBoundary)).toBe(false);
    expect(entries.every((e) => e.at >= FROM_30D && e.at.getTime() < NOW.getTime() + DAY)).toBe(true);
    expect(entries.filter((e) => e.kind === 'attestation').map((e) => (e as AttestationEntry).revision)).toEqual([4]);
    // 30 daily runs (0..29 days ago), the boundary run and the interrupted run.
    expect(entries.filter((e) => e.kind === 'run')).toHaveLength(32);
    const all18 = await all('18m');
    expect(all18.some((e) => e.id === ids.old)).toBe(true);
    expect(all18.filter((e) => e.kind === 'attestation')).toHaveLength(4);
    const first = await cloudTimeline(w.reviewer, w.cloud.slug, { period: '30d' });
    expect(first.from).toEqual(FROM_30D);
    expect(first.to).toEqual(new Date('2027-03-16T00:00:00Z'));
  });

  it('pages by 25 in SQL order, without gaps or repeats, and says how many there are', async () => {
    const p1 = await cloudTimeline(w.reviewer, w.cloud.slug, { period: '90d' });
    expect(p1).toMatchObject({ page: 1, pageSize: 25, total: 66, pages: 3, period: '90d' });
    expect(p1.items).toHaveLength(25);
    const p2 = await cloudTimeline(w.reviewer, w.cloud.slug, { period: '90d', page: 2 });
    const p3 = await cloudTimeline(w.reviewer, w.cloud.slug, { period: '90d', page: '3' });
    expect(p2.items).toHaveLength(25);
    expect(p3.items).toHaveLength(16);
    expect(p1.items[24].at.getTime()).toBeGreaterThanOrEqual(p2.items[0].at.getTime());
    const seen = [...p1.items, ...p2.items, ...p3.items].map((e) => e.id);
    expect(new Set(seen).size).toBe(66);
    expect(seen).toEqual((await all('90d')).map((e) => e.id));
    // Past the end: no entries, but the count is still right; nonsense pages are page 1.
    expect(await cloudTimeline(w.reviewer, w.cloud.slug, { period: '90d', page: 9 })).toMatchObject({
      items: [],
      total: 66,
      page: 9,
      pages: 3,
    });
    expect((await cloudTimeline(w.reviewer, w.cloud.slug, { period: '90d', page: 'x' })).page).toBe(1);
  });

  it('an empty period is an empty page', async () => {
    const empty = await db.cloud.create({
      data: { slug: `empty-${w.cloud.slug}`, name: 'Empty', organizationId: w.orgA.id },
    });
    expect(await cloudTimeline(w.csp, empty.slug, { period: '18m' })).toMatchObject({
      items: [],
      total: 0,
      page: 1,
      pages: 1,
    });
  });

  it('asks the policy like the other compliance functions: own organization and staff see it, others get not found', async () => {
    expect((await cloudTimeline(w.csp, w.cloud.slug, { period: '90d' })).total).toBe(66);
    await expectPolicy(cloudTimeline(w.cspB, w.cloud.slug, { period: '90d' }), 'hidden');
    expect(((await rejection(cloudTimeline(w.cspB, w.cloud.slug, { period: '90d' }))) as PolicyError).status).toBe(404);
    // An unknown slug: staff learn it does not exist, a CSP user gets the same 404 as for a hidden one.
    expect(await rejection(cloudTimeline(w.reviewer, 'no-such-cloud', { period: '90d' }))).toBeInstanceOf(
      NotFoundError,
    );
    await expectPolicy(cloudTimeline(w.csp, 'no-such-cloud', { period: '90d' }), 'hidden');
    await expectPolicy(cloudTimeline(ctxOf(null), w.cloud.slug, { period: '90d' }), 'unauthenticated');
  });
});
