// Compliance as the app sees it: the overview of clouds (staff: all; CSP users: their own), one
// cloud's status with reasons, and its history. Every function asks the policy; public.ts serves
// the pages without sign-in (public clouds only).

import { db, type Prisma } from '../db';
import { authorize, visibleOrganizationIds } from '../auth/policy';
import { now as clockNow } from '../clock';
import type { RequestContext } from '../context';
import { NotFoundError } from '../errors';
import { toPage, pageArgs, type Page, type PageRequest } from '../pagination';
import { certificateState, type CertificateState } from './certificates';
import { certificatesOf, dailyAggregates, decisionsOf, lastRuns, latestResults, manualInput, openAttestations, resultsBefore, type CertificateRow, type LastRun } from './data';
import { buildHistory, periodDays, type History, type Period } from './history';
import { DEFAULT_STANDARD, STANDARDS, VERDICT_TESTCASES, type StandardId } from './standard';
import { evaluateAll, type ComplianceStatus, type Evaluation, type ManualInput } from './verdict';

export * from './standard';
export * from './verdict';
export * from './presentation';
export { certificateState, grantCertificate, revokeCertificate, revocationList, sendCertificateReminders, type CertificateState } from './certificates';
export { PERIODS, parsePeriod, type History, type Period } from './history';

const NO_ID = '00000000-0000-0000-0000-000000000000';

export interface CloudCompliance {
  cloud: { id: string; slug: string; name: string; public: boolean; archived: boolean; region: string; organization: { id: string; slug: string; name: string } };
  evaluations: Evaluation[];
  /** The status of the certifiable version (scs-0116 v1). */
  status: ComplianceStatus;
  manual: ManualInput;
  openAttestation: string | null;
  certificate: { state: CertificateState; current: CertificateRow | null; all: CertificateRow[] };
  lastRun: LastRun | null;
  schedule: string;
  nextRunAt: Date | null;
}

type CloudRow = { id: string; slug: string; name: string; public: boolean; archivedAt: Date | null; region: string; schedule: string; nextRunAt: Date | null; organization: { id: string; slug: string; name: string } };

const cloudSelect = {
  id: true, slug: true, name: true, public: true, archivedAt: true, region: true, schedule: true, nextRunAt: true,
  organization: { select: { id: true, slug: true, name: true } },
} as const;

/** Evaluates many clouds with five queries in all, whatever their number. */
export async function evaluateClouds(clouds: CloudRow[], at: Date = clockNow()): Promise<CloudCompliance[]> {
  const ids = clouds.map((c) => c.id);
  const [latest, decisions, certs, runs, open] = await Promise.all([latestResults(ids), decisionsOf(ids), certificatesOf(ids), lastRuns(ids), openAttestations(ids)]);
  return clouds.map((c) => {
    const manual = manualInput(decisions.get(c.id) ?? [], at);
    const evaluations = evaluateAll(latest.get(c.id) ?? {}, manual, at);
    const all = certs.get(c.id) ?? [];
    const current = all.find((x) => x.standard === DEFAULT_STANDARD) ?? null;
    return {
      cloud: { id: c.id, slug: c.slug, name: c.name, public: c.public, archived: !!c.archivedAt, region: c.region, organization: c.organization },
      evaluations,
      status: evaluations.find((e) => e.standard === DEFAULT_STANDARD)!.status,
      manual,
      openAttestation: open.get(c.id) ?? null,
      certificate: { state: certificateState(current ?? undefined, at), current, all },
      lastRun: runs.get(c.id) ?? null,
      schedule: c.schedule,
      nextRunAt: c.nextRunAt,
    };
  });
}

export type OverviewSort = 'name' | 'organization' | 'status' | 'lastRun' | 'attestation' | 'certificate';
export const OVERVIEW_SORTS: OverviewSort[] = ['name', 'organization', 'status', 'lastRun', 'attestation', 'certificate'];
export const STATUSES: ComplianceStatus[] = ['FAIL', 'MISSING', 'INCONCLUSIVE', 'PASS'];

export interface OverviewRequest extends PageRequest {
  q?: string;
  organization?: string;
  status?: string;
  sort?: string;
  dir?: string;
}

export interface Overview extends Page<CloudCompliance> {
  counts: Record<ComplianceStatus, number>;
}

/** The overview: filtered by search and organization in SQL, by status after evaluation; sorted and paged. */
export async function complianceOverview(ctx: RequestContext, req: OverviewRequest = {}, opts: { all?: boolean } = {}): Promise<Overview> {
  authorize(ctx.actor, 'cloud.list', { type: 'global' });
  const orgIds = visibleOrganizationIds(ctx.actor);
  const q = req.q?.trim();
  const where: Prisma.CloudWhereInput = {
    archivedAt: null,
    ...(orgIds ? { organizationId: { in: orgIds } } : {}),
    ...(req.organization ? { organization: { slug: req.organization } } : {}),
    ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { slug: { contains: q, mode: 'insensitive' } }] } : {}),
  };
  const clouds = await db.cloud.findMany({ where, select: cloudSelect, orderBy: { name: 'asc' } });
  const evaluated = await evaluateClouds(clouds);
  const counts = { PASS: 0, FAIL: 0, MISSING: 0, INCONCLUSIVE: 0 } as Record<ComplianceStatus, number>;
  for (const e of evaluated) counts[e.status]++;
  const status = STATUSES.find((s) => s === req.status);
  const filtered = status ? evaluated.filter((e) => e.status === status) : evaluated;
  const sort = (OVERVIEW_SORTS.find((s) => s === req.sort) ?? 'name') as OverviewSort;
  const dir = req.dir === 'desc' ? -1 : 1;
  const rank = (s: ComplianceStatus) => STATUSES.indexOf(s);
  const key = (e: CloudCompliance): string | number => {
    switch (sort) {
      case 'organization': return `${e.cloud.organization.name}\u0000${e.cloud.name}`.toLowerCase();
      case 'status': return rank(e.status);
      case 'lastRun': return e.lastRun?.queuedAt.getTime() ?? 0;
      case 'attestation': return e.manual.expiresAt?.getTime() ?? 0;
      case 'certificate': return e.certificate.current?.validUntil.getTime() ?? 0;
      default: return e.cloud.name.toLowerCase();
    }
  };
  filtered.sort((a, b) => {
    const x = key(a), y = key(b);
    return (x < y ? -1 : x > y ? 1 : a.cloud.name.localeCompare(b.cloud.name)) * dir;
  });
  if (opts.all) return { ...toPage(filtered, filtered.length, 1, Math.max(filtered.length, 1)), counts };
  const { skip, take, page, pageSize } = pageArgs(req, 50);
  return { ...toPage(filtered.slice(skip, skip + take), filtered.length, page, pageSize), counts };
}

async function visibleCloud(ctx: RequestContext, slug: string): Promise<CloudRow> {
  const c = await db.cloud.findUnique({ where: { slug }, select: cloudSelect });
  authorize(ctx.actor, 'cloud.read', { type: 'cloud', organizationId: c?.organization.id ?? NO_ID });
  if (!c) throw new NotFoundError('Cloud');
  return c;
}

export async function cloudCompliance(ctx: RequestContext, slug: string): Promise<CloudCompliance> {
  const c = await visibleCloud(ctx, slug);
  return (await evaluateClouds([c]))[0];
}

/** History of a cloud by id, no policy (callers decide): strips per testcase and compliance per day. */
export async function historyOf(cloudId: string, period: Period, at: Date = clockNow()): Promise<History> {
  const { from, to } = periodDays(at, period);
  const [aggregates, before, decisions] = await Promise.all([
    dailyAggregates(cloudId, VERDICT_TESTCASES, from, to),
    resultsBefore(cloudId, VERDICT_TESTCASES, from),
    decisionsOf([cloudId]),
  ]);
  return buildHistory(at, period, aggregates, before, decisions.get(cloudId) ?? [], STANDARDS);
}

export async function cloudHistory(ctx: RequestContext, slug: string, period: Period): Promise<History> {
  const c = await visibleCloud(ctx, slug);
  return historyOf(c.id, period);
}

export function statusOf(c: CloudCompliance, standard: StandardId = DEFAULT_STANDARD): Evaluation {
  return c.evaluations.find((e) => e.standard === standard)!;
}
