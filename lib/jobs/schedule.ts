// Schedules per cloud: off, hourly, daily (default) or weekly. Each cloud gets a fixed slot within
// its period, derived from its id (jitter that does not move between restarts), so a thousand
// daily clouds start spread over the day instead of all at midnight. Clock injected for tests.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { db, type RunSchedule } from '../db';
import { authorize, systemActor } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { NotFoundError, parseInput } from '../errors';
import { createRun } from '../runs';
import { enqueueRun } from './boss';
import { now as clockNow } from '../clock';

export const SCHEDULES = ['off', 'hourly', 'daily', 'weekly'] as const;
const PERIOD_MS: Record<Exclude<RunSchedule, 'off'>, number> = {
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};
/** Weekly slots count from a Monday 00:00 UTC. */
const MONDAY = Date.UTC(1970, 0, 5);

/** The cloud's offset within a period: stable per cloud, spread evenly by a hash of its id. */
export function jitterMs(cloudId: string, schedule: Exclude<RunSchedule, 'off'>): number {
  const h = createHash('sha256').update(cloudId).digest();
  const n = h.readUInt32BE(0) * 2 ** 16 + h.readUInt16BE(4); // 48 bits
  return Math.floor((n / 2 ** 48) * PERIOD_MS[schedule]);
}

/** The first slot of this cloud strictly after `after`; null for "off". */
export function nextRunTime(schedule: RunSchedule, cloudId: string, after: Date): Date | null {
  if (schedule === 'off') return null;
  const period = PERIOD_MS[schedule];
  const origin = MONDAY + jitterMs(cloudId, schedule);
  const k = Math.floor((after.getTime() - origin) / period) + 1;
  return new Date(origin + k * period);
}

export const scheduleInput = z.object({
  schedule: z.enum(SCHEDULES, { message: 'Choose off, hourly, daily or weekly.' }),
});

/** Staff set how often a cloud is checked (it is part of the certification body's monitoring). */
export async function setSchedule(
  ctx: RequestContext,
  slug: string,
  input: unknown,
  now = clockNow(),
): Promise<{ schedule: RunSchedule; nextRunAt: Date | null }> {
  const cloud = await db.cloud.findUnique({ where: { slug } });
  authorize(ctx.actor, 'cloud.update', {
    type: 'cloud',
    organizationId: cloud?.organizationId ?? '00000000-0000-0000-0000-000000000000',
  });
  if (!cloud) throw new NotFoundError('Cloud');
  const { schedule } = parseInput(scheduleInput, input);
  const nextRunAt = nextRunTime(schedule, cloud.id, now);
  await db.$transaction(async (tx) => {
    await tx.cloud.update({ where: { id: cloud.id }, data: { schedule, nextRunAt } });
    await recordAudit(tx, ctx, {
      action: 'cloud.schedule',
      targetType: 'cloud',
      targetId: cloud.slug,
      organizationId: cloud.organizationId,
      summary: `set the schedule of ${cloud.slug} to ${schedule}`,
    });
  });
  return { schedule, nextRunAt };
}

/**
 * One scheduler tick: give new clouds their next slot, and start a run for every cloud whose
 * slot has come (claimed with SKIP LOCKED, so concurrent ticks in several processes never start
 * a cloud twice; the one-active-run rule would catch it anyway). Returns the run ids started.
 */
export async function schedulerTick(
  now = clockNow(),
  opts: { enqueue?: (runId: string) => Promise<void>; limit?: number } = {},
): Promise<string[]> {
  const enqueue = opts.enqueue ?? enqueueRun;
  const unplanned = await db.cloud.findMany({
    where: { schedule: { not: 'off' }, archivedAt: null, nextRunAt: null },
    select: { id: true, schedule: true },
    take: 5000,
  });
  for (const c of unplanned) {
    await db.cloud.updateMany({
      where: { id: c.id, nextRunAt: null },
      data: { nextRunAt: nextRunTime(c.schedule, c.id, now) },
    });
  }
  const due = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string; schedule: RunSchedule }>>`
      SELECT id::text AS id, schedule FROM "Cloud"
      WHERE schedule <> 'off' AND "archivedAt" IS NULL AND "nextRunAt" <= ${now}
      ORDER BY "nextRunAt" LIMIT ${opts.limit ?? 1000} FOR UPDATE SKIP LOCKED`;
    for (const r of rows)
      await tx.cloud.update({ where: { id: r.id }, data: { nextRunAt: nextRunTime(r.schedule, r.id, now) } });
    return rows;
  });
  const ctx = { actor: systemActor('scheduler'), clientAddress: null, via: 'scheduler' };
  const started: string[] = [];
  for (const c of due) {
    const { run, created } = await createRun(ctx, { cloudId: c.id }, { trigger: 'schedule' });
    if (created) {
      await enqueue(run.id);
      started.push(run.id);
    }
  }
  return started;
}
