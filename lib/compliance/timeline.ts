// One cloud's runs and attestation revisions in one list, newest first, within a history period
// (the same UTC days as the history strips). Interleaving, counting and paging happen in one SQL
// statement, so a page costs the same whether the cloud has 50 runs or 5,000; the results of the
// page's runs come with a second query on RunResult(runId, testcase).
//
// Where an entry sits in time:
// - a run at queuedAt: the moment it came to exist, and what the Run(cloudId, queuedAt) index
//   holds (a run takes minutes, so finishedAt would barely reorder anything and costs the index);
// - a revision at the moment of its current state: decidedAt (approved, rejected), the latest
//   review (changes requested: that sets no decidedAt), submittedAt (submitted), else createdAt.
//   Revisions are few per cloud (one a quarter), so computing that time per row is cheap.

import { db, type AttestationState, type RunSource, type RunStatus } from '../db';
import { authorize } from '../auth/policy';
import { CHECKS } from '../checks/registry';
import { now as clockNow } from '../clock';
import type { RequestContext } from '../context';
import { pageArgs, toPage, type Page } from '../pagination';
import { periodDays, type Period } from './history';
import { VERDICT_TESTCASES } from './profiles';
import { runCounts, signingKeysOf, type Counting } from './certified-endpoint';
import type { ResultVerdict } from './verdict';
import { cloudResource, loadCloud } from '../resources';

export const TIMELINE_PAGE_SIZE = 25;

export interface TestcaseResult {
  testcase: string;
  verdict: ResultVerdict;
  /** km-* checks: shown, never part of a verdict. */
  informational: boolean;
}

export interface RunEntry {
  kind: 'run';
  id: string;
  at: Date;
  queuedAt: Date;
  finishedAt: Date | null;
  trigger: string;
  status: RunStatus;
  /** Why the run ended without results, one sentence (e.g. no credential). */
  error: string | null;
  /** Every result of the run: the scs-0116 testcases first, then the km-* checks in run order. */
  verdicts: TestcaseResult[];
  /** How many of those are informational km-* results. */
  informational: number;
  /**
   * Whether it counts toward verdicts (certified-endpoint.ts runCounts: an imported report signed with
   * an approved key, at the certified endpoint), and why not.
   */
  counts: boolean;
  notCountedReason: string | null;
  notCountedCause: Counting['cause'];
}

export interface AttestationEntry {
  kind: 'attestation';
  id: string;
  at: Date;
  revision: number;
  state: AttestationState;
  createdAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  expiresAt: Date | null;
  /** An approval whose validity has ended (at the time of the request). */
  expired: boolean;
  /** An approval replaced by a later approved revision. */
  superseded: boolean;
  /** Who approved, rejected or returned it (the latest review); null while nobody has. */
  decidedByLabel: string | null;
}

export type TimelineEntry = RunEntry | AttestationEntry;

export interface Timeline extends Page<TimelineEntry> {
  period: Period;
  /** The period's first UTC day and the day after its last (as for the history). */
  from: Date;
  to: Date;
}

interface Row {
  total: number;
  kind: 'run' | 'attestation' | null;
  id: string;
  at: Date;
  state: string;
  trigger: string | null;
  finishedAt: Date | null;
  error: string | null;
  authUrl: string | null;
  region: string | null;
  /** Run.source as stored: 'dashboard' or 'official-runner' (the enum's database value). */
  source: string | null;
  uploadId: string | null;
  revision: number | null;
  createdAt: Date | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  expiresAt: Date | null;
  decidedByLabel: string | null;
  superseded: boolean | null;
}

const RUN_ORDER = new Map(CHECKS.map((c, i) => [c.id, i]));

function byRunOrder(a: { testcase: string }, b: { testcase: string }): number {
  return (
    (RUN_ORDER.get(a.testcase) ?? RUN_ORDER.size) - (RUN_ORDER.get(b.testcase) ?? RUN_ORDER.size) ||
    a.testcase.localeCompare(b.testcase)
  );
}

const countingOf = (c: Counting) => ({ counts: c.counts, notCountedReason: c.reason, notCountedCause: c.cause });

/** The page of the timeline of a cloud; a cloud out of the caller's sight is not found. */
export async function cloudTimeline(
  ctx: RequestContext,
  slug: string,
  opts: { period: Period; page?: number | string | null },
): Promise<Timeline> {
  const cloud = await loadCloud(ctx, { slug }, 'cloud.read', {
    id: true,
    organizationId: true,
    certifiedAuthUrl: true,
    certifiedRegion: true,
  });
  const resource = cloudResource(cloud);
  // The entries are runs and revisions; their own read rights are asked too, so the timeline
  // never shows what the run and attestation pages would refuse.
  authorize(ctx.actor, 'run.read', resource);
  authorize(ctx.actor, 'attestation.read', { type: 'attestation', organizationId: cloud.organizationId });

  const at = clockNow();
  const { from, to } = periodDays(at, opts.period);
  const { skip, take, page, pageSize } = pageArgs({ page: opts.page }, TIMELINE_PAGE_SIZE);

  // The count travels with the page (one round trip); LEFT JOIN LATERAL keeps the count row
  // even for a page past the end. "entries" is used twice, so PostgreSQL materializes it once.
  const rows = await db.$queryRaw<Row[]>`
    WITH entries AS (
      SELECT 'run'::text AS kind, r.id::text AS id, r."queuedAt" AS at, r.status::text AS state, r.trigger, r."finishedAt", r.error,
             r."authUrl", r.region, r.source::text AS source, r."uploadId"::text AS "uploadId", NULL::int AS revision, NULL::timestamp(3) AS "createdAt", NULL::timestamp(3) AS "submittedAt",
             NULL::timestamp(3) AS "decidedAt", NULL::timestamp(3) AS "expiresAt", NULL::text AS "decidedByLabel", NULL::boolean AS superseded
        FROM "Run" r
       WHERE r."cloudId" = ${cloud.id}::uuid AND r."queuedAt" >= ${from} AND r."queuedAt" < ${to}
      UNION ALL
      SELECT 'attestation', a.id::text, t.at, a.state::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             a.revision, a."createdAt", a."submittedAt", a."decidedAt", a."expiresAt",
             CASE WHEN a.state IN ('approved', 'rejected', 'changes_requested') THEN v."reviewerLabel" END,
             a.state = 'approved' AND EXISTS (
               SELECT 1 FROM "Attestation" n WHERE n."cloudId" = a."cloudId" AND n.state = 'approved' AND n.revision > a.revision)
        FROM "Attestation" a
        LEFT JOIN LATERAL (
          SELECT x."reviewerLabel", x.at FROM "AttestationReview" x WHERE x."attestationId" = a.id ORDER BY x.at DESC LIMIT 1) v ON true
        CROSS JOIN LATERAL (
          SELECT CASE WHEN a.state = 'changes_requested' THEN COALESCE(v.at, a."submittedAt", a."createdAt")
                      ELSE COALESCE(a."decidedAt", a."submittedAt", a."createdAt") END AS at) t
       WHERE a."cloudId" = ${cloud.id}::uuid AND t.at >= ${from} AND t.at < ${to}
    )
    SELECT n.total, p.*
      FROM (SELECT count(*)::int AS total FROM entries) n
      LEFT JOIN LATERAL (SELECT * FROM entries ORDER BY at DESC, kind, id LIMIT ${take} OFFSET ${skip}) p ON true`;

  const total = rows[0]?.total ?? 0;
  const pin =
    cloud.certifiedAuthUrl && cloud.certifiedRegion
      ? { authUrl: cloud.certifiedAuthUrl, region: cloud.certifiedRegion }
      : null;
  const entries = rows.filter((r) => r.kind !== null);
  const runRows = entries.filter((r) => r.kind === 'run');
  const runIds = runRows.map((r) => r.id);
  const sourceOf = (r: Row): RunSource => (r.source === 'official-runner' ? 'official_runner' : 'dashboard');
  // Imported runs count by their signing key's approval now: one query for the page's uploads.
  const [results, signers] = await Promise.all([
    runIds.length === 0
      ? []
      : db.runResult.findMany({
          where: { runId: { in: runIds } },
          select: { runId: true, testcase: true, verdict: true },
        }),
    signingKeysOf(runRows.map((r) => ({ id: r.id, source: sourceOf(r), uploadId: r.uploadId }))),
  ]);
  const byRun = new Map<string, TestcaseResult[]>(runIds.map((id) => [id, []]));
  for (const r of results)
    byRun
      .get(r.runId)!
      .push({ testcase: r.testcase, verdict: r.verdict, informational: !VERDICT_TESTCASES.includes(r.testcase) });

  const items = entries.map((r): TimelineEntry => {
    if (r.kind === 'run') {
      const verdicts = byRun
        .get(r.id)!
        .sort((a, b) => Number(a.informational) - Number(b.informational) || byRunOrder(a, b));
      return {
        kind: 'run',
        id: r.id,
        at: r.at,
        queuedAt: r.at,
        finishedAt: r.finishedAt,
        trigger: r.trigger ?? '',
        status: r.state as RunStatus,
        error: r.error,
        verdicts,
        informational: verdicts.filter((v) => v.informational).length,
        ...countingOf(
          runCounts(pin, { authUrl: r.authUrl, region: r.region, source: sourceOf(r), signedBy: signers.get(r.id) }),
        ),
      };
    }
    const state = r.state as AttestationState;
    return {
      kind: 'attestation',
      id: r.id,
      at: r.at,
      revision: r.revision!,
      state,
      createdAt: r.createdAt!,
      submittedAt: r.submittedAt,
      decidedAt: r.decidedAt,
      expiresAt: r.expiresAt,
      expired: state === 'approved' && !!r.expiresAt && r.expiresAt.getTime() <= at.getTime(),
      superseded: !!r.superseded,
      decidedByLabel: r.decidedByLabel,
    };
  });
  return { ...toPage(items, total, page, pageSize), period: opts.period, from, to };
}
