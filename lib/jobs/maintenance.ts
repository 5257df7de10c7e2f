// Housekeeping jobs: "refresh expiring" (re-run testcases whose results lapse within N hours, as
// SCS's own runner does) and retention (verdicts and messages are kept at least 18 months, as
// SCS-0004 asks; evidence bodies may go earlier). Clock injected for tests.

import { db } from '../db';
import { systemActor } from '../auth/policy';
import { CHECKS } from '../checks';
import { createRun } from '../runs';
import { expiresAt } from '../compliance/lifetime';
import { enqueueRun } from './boss';
import { now as clockNow } from '../clock';
import { config, parseConfig } from '../config';

const DAY = 86_400_000;
/** SCS-0004: the history of the past 18 months is shown; never prune results younger than this. */
export const MIN_RESULT_RETENTION_DAYS = 548;

export interface RetentionSettings {
  evidenceDays: number;
  resultDays: number;
  deliveryDays: number;
}

/** From the configuration (lib/config.ts), or from the given variables (tests). */
export function retentionSettings(env?: Record<string, string | undefined>): RetentionSettings {
  const c = env ? parseConfig(env) : config();
  return {
    evidenceDays: c.EVIDENCE_RETENTION_DAYS,
    resultDays: Math.max(c.RESULT_RETENTION_DAYS, MIN_RESULT_RETENTION_DAYS),
    deliveryDays: c.DELIVERY_LOG_RETENTION_DAYS,
  };
}

export async function pruneRetention(
  now = clockNow(),
  settings = retentionSettings(),
): Promise<{ evidencePruned: number; runsDeleted: number; deliveriesDeleted: number }> {
  const evidenceBefore = new Date(now.getTime() - settings.evidenceDays * DAY);
  const resultBefore = new Date(now.getTime() - settings.resultDays * DAY);
  const deliveryBefore = new Date(now.getTime() - settings.deliveryDays * DAY);
  const evidencePruned = await db.$executeRaw`
    UPDATE "RunResult" SET evidence = NULL WHERE "checkedAt" < ${evidenceBefore} AND evidence IS NOT NULL`;
  await db.$executeRaw`
    UPDATE "Run" SET report = (report - 'sweepEvidence') #- '{earlierRuns,evidence}'
    WHERE "finishedAt" < ${evidenceBefore} AND report IS NOT NULL AND (report ? 'sweepEvidence' OR report #> '{earlierRuns,evidence}' IS NOT NULL)`;
  const runsDeleted = await db.$executeRaw`
    DELETE FROM "Run" WHERE "finishedAt" < ${resultBefore} AND status NOT IN ('queued', 'running')`;
  // Uploaded runner reports (signature and text, kept for download) go with the last of their runs.
  await db.$executeRaw`
    DELETE FROM "ReportUpload" u WHERE u."createdAt" < ${resultBefore}
       AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."uploadId" = u.id)`;
  const deliveriesDeleted = await db.$executeRaw`
    DELETE FROM "NotificationDelivery" WHERE "createdAt" < ${deliveryBefore}`;
  return { evidencePruned, runsDeleted, deliveriesDeleted };
}

export function refreshWindowHours(): number {
  return config().REFRESH_EXPIRING_HOURS;
}

/**
 * For every scheduled cloud: the latest result of each testcase; those expiring within the
 * window (or expired) are re-run together in one "refresh" run. A cloud with an active run is
 * left alone (its run refreshes them anyway).
 */
export async function refreshExpiring(
  now = clockNow(),
  opts: { hours?: number; enqueue?: (runId: string) => Promise<void> } = {},
): Promise<Array<{ cloudId: string; runId: string; testcases: string[] }>> {
  const hours = opts.hours ?? refreshWindowHours();
  const enqueue = opts.enqueue ?? enqueueRun;
  const lifetimes = new Map(CHECKS.map((c) => [c.id, c.lifetime]));
  const latest = await db.$queryRaw<Array<{ cloudId: string; testcase: string; checkedAt: Date }>>`
    SELECT DISTINCT ON (r."cloudId", r.testcase) r."cloudId"::text AS "cloudId", r.testcase, r."checkedAt"
    FROM "RunResult" r JOIN "Cloud" c ON c.id = r."cloudId"
    WHERE c.schedule <> 'off' AND c."archivedAt" IS NULL
    ORDER BY r."cloudId", r.testcase, r."checkedAt" DESC`;
  const horizon = now.getTime() + hours * 3_600_000;
  const due = new Map<string, string[]>();
  for (const r of latest) {
    const lifetime = lifetimes.get(r.testcase);
    if (!lifetime) continue;
    if (expiresAt(r.checkedAt, lifetime).getTime() <= horizon)
      due.set(r.cloudId, [...(due.get(r.cloudId) ?? []), r.testcase]);
  }
  const ctx = { actor: systemActor('refresh-expiring'), clientAddress: null, via: 'refresh-expiring' };
  const out: Array<{ cloudId: string; runId: string; testcases: string[] }> = [];
  for (const [cloudId, testcases] of due) {
    const { run, created } = await createRun(ctx, { cloudId }, { trigger: 'refresh', testcases });
    if (!created) continue;
    await enqueue(run.id);
    out.push({ cloudId, runId: run.id, testcases: run.testcases });
  }
  return out;
}

/** Queued runs whose job never made it into the queue (e.g. the send failed): send again. */
export async function requeueOrphans(olderThanMs = 120_000, enqueue = enqueueRun): Promise<number> {
  const rows = await db.run.findMany({
    where: { status: 'queued', queuedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true },
    take: 1000,
  });
  for (const r of rows) await enqueue(r.id);
  return rows.length;
}
