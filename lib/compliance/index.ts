// Compliance as the app sees it: the overview of clouds (staff: all; CSP users: their own), one
// cloud's status with reasons, and its history. Every function asks the policy; public.ts serves
// the pages without sign-in (public clouds only).

import { db, Prisma } from '../db';
import { authorize, visibleOrganizationIds } from '../auth/policy';
import { now as clockNow } from '../clock';
import type { RequestContext } from '../context';
import { toPage, pageArgs, type Page, type PageRequest } from '../pagination';
import { dailyAggregates, decisionsOf, resultsBefore } from './data';
import { cloudSelect, type CloudCompliance, type CloudRow } from './evaluate';
import { buildHistory, periodDays, type History, type Period } from './history';
import { complianceOf, fromSnapshot, refreshWhere, utc } from './snapshot';
import { cachedHistory } from './history-cache';
import { VERDICT_TESTCASES } from './profiles';
import { STATUSES, type Status } from './verdict';
import { cloudResource, loadFor } from '../resources';

export * from './profiles';
export * from './verdict';
export * from './presentation';
export {
  certificateState,
  grantCertificate,
  revokeCertificate,
  revocationList,
  sendCertificateReminders,
  type CertificateState,
} from './certificates';
export { PERIODS, parsePeriod, type History, type Period } from './history';
export { evaluateClouds, type CloudCompliance } from './evaluate';
export { complianceOf } from './snapshot';

export type OverviewSort = 'name' | 'organization' | 'status' | 'lastRun' | 'attestation' | 'certificate';
export const OVERVIEW_SORTS: OverviewSort[] = [
  'name',
  'organization',
  'status',
  'lastRun',
  'attestation',
  'certificate',
];

export interface OverviewRequest extends PageRequest {
  q?: string;
  organization?: string;
  status?: string;
  sort?: string;
  dir?: string;
}

export interface Overview extends Page<CloudCompliance> {
  counts: Record<Status, number>;
}

/**
 * ORDER BY per sort key over the visible rows `v`; a missing date sorts as the oldest (first ascending), ties by name.
 * The one raw fragment of these queries: built only from the whitelisted sort key and direction.
 */
function orderBy(sort: OverviewSort, dir: 'ASC' | 'DESC'): string {
  const nulls = dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST';
  const byName = `lower(v.name) ${dir}, v.name ${dir}, v.id ${dir}`;
  switch (sort) {
    case 'organization':
      return `lower(v."orgName") ${dir}, ${byName}`;
    case 'status':
      return `array_position(ARRAY[${STATUSES.map((x) => `'${x}'`).join(',')}], v.status) ${dir}, ${byName}`;
    case 'lastRun':
      return `v."lastRunAt" ${dir} ${nulls}, ${byName}`;
    case 'attestation':
      return `v."attestationExpiresAt" ${dir} ${nulls}, ${byName}`;
    case 'certificate':
      return `v."certificateValidUntil" ${dir} ${nulls}, ${byName}`;
    default:
      return byName;
  }
}

type OverviewRow = {
  id: string;
  slug: string;
  name: string;
  public: boolean;
  archivedAt: Date | null;
  region: string;
  publicRunMessages: boolean;
  schedule: string;
  nextRunAt: Date | null;
  orgId: string;
  orgSlug: string;
  orgName: string;
  summary: Parameters<typeof fromSnapshot>[1] | null;
};

/**
 * The overview: stale snapshots of the visible clouds are recomputed first, then search,
 * organization and status filters, the counts per status, sorting and paging all run in SQL over
 * the stored snapshots (lib/compliance/snapshot.ts), so only one page of clouds reaches the app.
 * Clouds recomputed by this request take their status and sort keys from that computation (its
 * store may have been skipped: a writer held the row, or the cloud changed meanwhile).
 */
export async function complianceOverview(
  ctx: RequestContext,
  req: OverviewRequest = {},
  opts: { all?: boolean } = {},
): Promise<Overview> {
  authorize(ctx.actor, 'cloud.list', { type: 'global' });
  const at = clockNow();
  const orgIds = visibleOrganizationIds(ctx.actor);
  const q = req.q?.trim();
  const cond: Prisma.Sql[] = [Prisma.sql`c."archivedAt" IS NULL`];
  if (orgIds) cond.push(Prisma.sql`c."organizationId" = ANY(${orgIds}::uuid[])`);
  if (req.organization) cond.push(Prisma.sql`o.slug = ${req.organization}`);
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    cond.push(Prisma.sql`(c.name ILIKE ${like} OR c.slug ILIKE ${like})`);
  }
  const where = Prisma.join(cond, ' AND ');
  const recomputed = await refreshWhere(where, at);
  const fresh = [...recomputed].map(([id, r]) => ({ id, ...r }));
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  const pick = (c: Prisma.Sql, cast?: (x: Prisma.Sql) => Prisma.Sql) => {
    const f = Prisma.sql`f.${c}`;
    return Prisma.sql`CASE WHEN f.id IS NULL THEN s.${c} ELSE ${cast ? cast(f) : f} END AS ${c}`;
  };
  // A cloud created after the refresh above has no summary yet: it shows from the next request on.
  const visible = Prisma.sql`WITH f AS (
      SELECT * FROM unnest(${fresh.map((c) => c.id)}::uuid[], ${fresh.map((c) => c.status)}::text[],
                           ${fresh.map((c) => iso(c.lastRunAt))}::text[], ${fresh.map((c) => iso(c.attestationExpiresAt))}::text[],
                           ${fresh.map((c) => iso(c.certificateValidUntil))}::text[])
        AS f(id, status, "lastRunAt", "attestationExpiresAt", "certificateValidUntil")),
    v AS (
      SELECT c.id, c.slug, c.name, c.public, c."archivedAt", c.region, c."publicRunMessages", c.schedule::text AS schedule, c."nextRunAt",
             o.id AS "orgId", o.slug AS "orgSlug", o.name AS "orgName", CASE WHEN f.id IS NULL THEN s.summary END AS summary,
             ${pick(Prisma.sql`status`)}, ${pick(Prisma.sql`"lastRunAt"`, utc)},
             ${pick(Prisma.sql`"attestationExpiresAt"`, utc)}, ${pick(Prisma.sql`"certificateValidUntil"`, utc)}
        FROM "Cloud" c JOIN "Organization" o ON o.id = c."organizationId"
        LEFT JOIN "ComplianceSnapshot" s ON s."cloudId" = c.id LEFT JOIN f ON f.id = c.id
       WHERE ${where} AND (f.id IS NOT NULL OR s.summary IS NOT NULL))`;
  const status = STATUSES.find((s) => s === req.status);
  const sort = (OVERVIEW_SORTS.find((s) => s === req.sort) ?? 'name') as OverviewSort;
  const { skip, take, page, pageSize } = pageArgs(req, 50);
  const statusCond = status ? Prisma.sql` WHERE v.status = ${status}` : Prisma.empty;
  const limit = opts.all ? Prisma.empty : Prisma.sql` LIMIT ${take} OFFSET ${skip}`;
  const [countRows, rows] = await Promise.all([
    db.$queryRaw<
      Array<{ status: Status; n: number }>
    >`${visible} SELECT status, count(*)::int AS n FROM v GROUP BY status`,
    db.$queryRaw<OverviewRow[]>`${visible}
      SELECT id, slug, name, public, "archivedAt", region, "publicRunMessages", schedule, "nextRunAt", "orgId", "orgSlug", "orgName", summary
        FROM v${statusCond} ORDER BY ${Prisma.raw(orderBy(sort, req.dir === 'desc' ? 'DESC' : 'ASC'))}${limit}`,
  ]);
  const counts = Object.fromEntries(STATUSES.map((x) => [x, 0])) as Record<Status, number>;
  for (const r of countRows) if (r.status in counts) counts[r.status] = r.n;
  const total = status ? counts[status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const rowsOf = rows.map((r) => {
    const cloud: CloudRow = {
      id: r.id,
      slug: r.slug,
      name: r.name,
      public: r.public,
      archivedAt: r.archivedAt,
      region: r.region,
      publicRunMessages: r.publicRunMessages,
      schedule: r.schedule,
      nextRunAt: r.nextRunAt,
      organization: { id: r.orgId, slug: r.orgSlug, name: r.orgName },
    };
    // Null for the clouds this request recomputed (the SQL above leaves their stored summary out).
    return { cloud, summary: r.summary };
  });
  // The clouds this request recomputed come without their summary (refreshWhere keeps only sort keys):
  // read theirs from the snapshots just stored, or recompute the few whose store was skipped.
  const recomputedShown = await complianceOf(
    rowsOf.filter((x) => !x.summary).map((x) => x.cloud),
    at,
  );
  const byId = new Map(recomputedShown.map((c) => [c.cloud.id, c]));
  const items = rowsOf.map((x) => (x.summary ? fromSnapshot(x.cloud, x.summary) : byId.get(x.cloud.id)!));
  if (opts.all) return { ...toPage(items, items.length, 1, Math.max(items.length, 1)), counts };
  return { ...toPage(items, total, page, pageSize), counts };
}

async function visibleCloud(ctx: RequestContext, slug: string): Promise<CloudRow> {
  return loadFor(ctx, 'cloud.read', 'Cloud', db.cloud.findUnique({ where: { slug }, select: cloudSelect }), (c) =>
    cloudResource({ organizationId: c.organization.id }),
  );
}

export async function cloudCompliance(ctx: RequestContext, slug: string): Promise<CloudCompliance> {
  const c = await visibleCloud(ctx, slug);
  return (await complianceOf([c]))[0];
}

/**
 * History of a cloud by id, no policy (callers decide): strips per testcase and compliance per day (cached while
 * nothing changed).
 */
export async function historyOf(cloudId: string, period: Period, at: Date = clockNow()): Promise<History> {
  return cachedHistory(cloudId, period, at, () => computeHistory(cloudId, period, at));
}

async function computeHistory(cloudId: string, period: Period, at: Date): Promise<History> {
  const { from, to } = periodDays(at, period);
  const [aggregates, before, decisions, cloud] = await Promise.all([
    dailyAggregates(cloudId, VERDICT_TESTCASES, from, to),
    resultsBefore(cloudId, VERDICT_TESTCASES, from),
    decisionsOf([cloudId]),
    db.cloud.findUniqueOrThrow({ where: { id: cloudId }, select: { createdAt: true } }),
  ]);
  return buildHistory(at, period, aggregates, before, decisions.get(cloudId) ?? [], cloud.createdAt);
}

export async function cloudHistory(ctx: RequestContext, slug: string, period: Period): Promise<History> {
  const c = await visibleCloud(ctx, slug);
  return historyOf(c.id, period);
}
