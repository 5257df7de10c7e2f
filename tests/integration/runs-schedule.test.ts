// Schedules with an injected clock, "refresh expiring", and retention pruning.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { jitterMs, nextRunTime, pruneRetention, refreshExpiring, schedulerTick, setSchedule } from '../../lib/jobs';
import { expiresAt } from '../../lib/compliance/lifetime';
import { cspOf, ensureTestUsers, makeCloud, makeOrg, staff } from './support/fixtures';

const H = 3_600_000;
const D = 24 * H;
const noEnqueue = async () => {};

beforeAll(async () => {
  await ensureTestUsers();
});

describe('next run time', () => {
  it("is the cloud's fixed slot strictly after now, spread across the period", () => {
    const now = new Date('2026-03-04T10:20:30Z');
    for (const s of ['hourly', 'daily', 'weekly'] as const) {
      const period = { hourly: H, daily: D, weekly: 7 * D }[s];
      const t = nextRunTime(s, 'cloud-a', now)!;
      expect(t.getTime()).toBeGreaterThan(now.getTime());
      expect(t.getTime() - now.getTime()).toBeLessThanOrEqual(period);
      // the same slot every period
      expect(nextRunTime(s, 'cloud-a', t)!.getTime() - t.getTime()).toBe(period);
      expect(nextRunTime(s, 'cloud-a', new Date(t.getTime() - 1))!.getTime()).toBe(t.getTime());
    }
    expect(nextRunTime('off', 'cloud-a', now)).toBeNull();
    // Jitter spreads 1,000 daily clouds: no hour of the day gets more than twice its share.
    const perHour = new Array(24).fill(0);
    for (let i = 0; i < 1000; i++) perHour[Math.floor(jitterMs(`cloud-${i}`, 'daily') / H)]++;
    expect(Math.max(...perHour)).toBeLessThan((2 * 1000) / 24);
    expect(Math.min(...perHour)).toBeGreaterThan(0);
  });
});

describe('scheduler tick', () => {
  it('plans new clouds, starts due ones once, and moves their slot on', async () => {
    const org = await makeOrg();
    const daily = await makeCloud(org.id, { schedule: 'daily' });
    const off = await makeCloud(org.id, { schedule: 'off' });
    const t0 = new Date('2030-01-01T00:00:00Z');
    await schedulerTick(t0, { enqueue: noEnqueue });
    const planned = await db.cloud.findUniqueOrThrow({ where: { id: daily.id } });
    expect(planned.nextRunAt!.getTime()).toBe(nextRunTime('daily', daily.id, t0)!.getTime());
    expect(await db.run.count({ where: { cloudId: daily.id } })).toBe(0);

    // The clock reaches the slot: one run, trigger schedule; two concurrent ticks do not double it.
    const due = new Date(planned.nextRunAt!.getTime() + 1000);
    await Promise.all([schedulerTick(due, { enqueue: noEnqueue }), schedulerTick(due, { enqueue: noEnqueue })]);
    const runs = await db.run.findMany({ where: { cloudId: daily.id } });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toBe('schedule');
    const moved = await db.cloud.findUniqueOrThrow({ where: { id: daily.id } });
    expect(moved.nextRunAt!.getTime()).toBe(planned.nextRunAt!.getTime() + D);
    expect(await db.run.count({ where: { cloudId: off.id } })).toBe(0);
  });

  it('lets staff change the schedule (CSP users may not) and shows the next run time', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id, { schedule: 'daily' });
    const now = new Date('2030-02-01T12:00:00Z');
    await expect(setSchedule(cspOf(org.id), cloud.slug, { schedule: 'off' }, now)).rejects.toMatchObject({
      status: 403,
    });
    const r = await setSchedule(staff(), cloud.slug, { schedule: 'hourly' }, now);
    expect(r.nextRunAt!.getTime()).toBe(nextRunTime('hourly', cloud.id, now)!.getTime());
    await expect(setSchedule(staff(), cloud.slug, { schedule: 'monthly' }, now)).rejects.toMatchObject({ status: 422 });
    expect((await setSchedule(staff(), cloud.slug, { schedule: 'off' }, now)).nextRunAt).toBeNull();
  });
});

async function finishedRunWith(cloudId: string, checkedAt: Date, testcases: string[], evidence = true) {
  return db.run.create({
    data: {
      cloudId,
      trigger: 'manual',
      status: 'finished',
      queuedAt: checkedAt,
      startedAt: checkedAt,
      finishedAt: checkedAt,
      report: { sweepEvidence: [{ seq: 1 }], leftovers: [] },
      results: {
        create: testcases.map((testcase) => ({
          cloudId,
          testcase,
          verdict: 'PASS' as const,
          message: 'ok',
          durationMs: 5,
          checkedAt,
          evidence: evidence ? [{ seq: 1, url: 'x' }] : undefined,
        })),
      },
    },
  });
}

describe('refresh expiring', () => {
  it('re-runs exactly the testcases whose results expire within the window', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id, { schedule: 'daily' });
    const now = new Date('2030-05-15T12:00:00Z'); // a Wednesday
    // Checked 12 days ago (a Friday): its week lifetime ended on Monday; its month lifetime has weeks left.
    const old = new Date(now.getTime() - 12 * D);
    const fresh = new Date(now.getTime() - 1 * H);
    await finishedRunWith(cloud.id, old, ['scs-0116-presence', 'km-version']);
    await finishedRunWith(cloud.id, fresh, ['scs-0116-permissions']);
    expect(expiresAt(old, 'week').getTime()).toBeLessThanOrEqual(now.getTime() + 24 * H);
    expect(expiresAt(old, 'month').getTime()).toBeGreaterThan(now.getTime() + 24 * H);
    const out = await refreshExpiring(now, { hours: 24, enqueue: noEnqueue });
    const mine = out.find((o) => o.cloudId === cloud.id)!;
    expect(mine.testcases).toEqual(['scs-0116-presence']);
    const run = await db.run.findUniqueOrThrow({ where: { id: mine.runId } });
    expect(run.trigger).toBe('refresh');
    // Its active run blocks a second refresh.
    const again = await refreshExpiring(now, { hours: 24, enqueue: noEnqueue });
    expect(again.find((o) => o.cloudId === cloud.id)).toBeUndefined();
  });

  it('computes SCS result lifetimes', () => {
    const t = new Date('2030-05-15T12:00:00Z'); // Wednesday
    expect(expiresAt(t, 'day').toISOString()).toBe('2030-05-17T00:00:00.000Z'); // upstream add_period: t + 2 days, time dropped
    expect(expiresAt(t, 'week').toISOString()).toBe('2030-05-27T00:00:00.000Z');
    expect(expiresAt(t, 'month').toISOString()).toBe('2030-07-01T00:00:00.000Z');
    expect(expiresAt(t, 'quarter').toISOString()).toBe('2030-10-01T00:00:00.000Z');
    expect(expiresAt(t, 'year').toISOString()).toBe('2031-07-01T00:00:00.000Z');
  });
});

describe('retention', () => {
  it('drops evidence after its window, keeps verdicts and messages at least 18 months', async () => {
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    const now = new Date('2032-01-01T00:00:00Z');
    const r100 = await finishedRunWith(cloud.id, new Date(now.getTime() - 100 * D), ['scs-0116-presence']);
    const r10 = await finishedRunWith(cloud.id, new Date(now.getTime() - 10 * D), ['scs-0116-presence']);
    const r600 = await finishedRunWith(cloud.id, new Date(now.getTime() - 600 * D), ['scs-0116-presence']);
    const r800 = await finishedRunWith(cloud.id, new Date(now.getTime() - 800 * D), ['scs-0116-presence']);
    // A configured result retention below 18 months is raised to 18 months.
    const res = await pruneRetention(now, { evidenceDays: 90, resultDays: Math.max(30, 548), deliveryDays: 180 });
    expect(res.runsDeleted).toBeGreaterThanOrEqual(2);
    expect(await db.run.findUnique({ where: { id: r800.id } })).toBeNull();
    expect(await db.run.findUnique({ where: { id: r600.id } })).toBeNull();
    const kept = await db.runResult.findFirstOrThrow({ where: { runId: r100.id } });
    expect(kept.evidence).toBeNull();
    expect(kept.message).toBe('ok');
    expect(
      ((await db.run.findUniqueOrThrow({ where: { id: r100.id } })).report as Record<string, unknown>).sweepEvidence,
    ).toBeUndefined();
    expect((await db.runResult.findFirstOrThrow({ where: { runId: r10.id } })).evidence).not.toBeNull();

    const { retentionSettings } = await import('../../lib/jobs');
    expect(retentionSettings({ RESULT_RETENTION_DAYS: '30' }).resultDays).toBe(548);
    const r500 = await finishedRunWith(cloud.id, new Date(now.getTime() - 500 * D), ['scs-0116-presence']);
    await pruneRetention(now, retentionSettings({ RESULT_RETENTION_DAYS: '30' }));
    expect(await db.run.findUnique({ where: { id: r500.id } })).not.toBeNull();
  });
});
