// The database side of compliance: a few aggregate queries that serve every page. No policy here;
// the callers (index.ts, public.ts) decide who sees which clouds and pass their ids.
//
// - latest automated result per cloud and testcase: one LATERAL index probe per pair on
//   RunResult(cloudId, testcase, checkedAt) — 2,000 probes for 1,000 clouds;
// - attestation decisions per cloud -> the manual result (lib/attestations/result.ts);
// - certificates per cloud;
// - history: one GROUP BY day per testcase over the same index.
// Only results of runs that count (certified-endpoint.ts: the run's endpoint is the cloud's pin, or
// the cloud has none) reach a verdict; the others are kept and shown on their run, nowhere else.

import { db } from '../db';
import { countedSql } from './certified-endpoint';
import { manualVerdict, type DecisionRow } from '../attestations/result';
import type { AutomatedInput, ManualInput, ResultVerdict } from './verdict';
import { INFORMATIONAL_TESTCASES, VERDICT_TESTCASES } from './profiles';

/** Every testcase a profile shows: the official ones, then the informational km-* checks. */
export const SHOWN_TESTCASES = [...VERDICT_TESTCASES, ...INFORMATIONAL_TESTCASES];

export type LatestResults = Map<string, Record<string, AutomatedInput & { runId: string }>>;

export async function latestResults(cloudIds: string[], testcases: string[] = SHOWN_TESTCASES): Promise<LatestResults> {
  const out: LatestResults = new Map(cloudIds.map((id) => [id, {}]));
  if (cloudIds.length === 0) return out;
  const rows = await db.$queryRaw<
    Array<{
      cloudId: string;
      testcase: string;
      verdict: ResultVerdict;
      checkedAt: Date;
      message: string;
      runId: string;
    }>
  >`SELECT c.id AS "cloudId", t.testcase, r.verdict::text AS verdict, r."checkedAt", r.message, r."runId"
       FROM unnest(${cloudIds}::uuid[]) AS u(id) JOIN "Cloud" c ON c.id = u.id
      CROSS JOIN unnest(${testcases}::text[]) AS t(testcase)
      JOIN LATERAL (
        SELECT x.verdict, x."checkedAt", x.message, x."runId" FROM "RunResult" x JOIN "Run" run ON run.id = x."runId"
         WHERE x."cloudId" = c.id AND x.testcase = t.testcase AND ${countedSql('run', 'c')}
         ORDER BY x."checkedAt" DESC LIMIT 1) r ON true`;
  for (const r of rows)
    out.get(r.cloudId)![r.testcase] = {
      verdict: r.verdict,
      checkedAt: r.checkedAt,
      message: r.message,
      runId: r.runId,
    };
  return out;
}

export async function decisionsOf(cloudIds: string[]): Promise<Map<string, DecisionRow[]>> {
  const out = new Map<string, DecisionRow[]>(cloudIds.map((id) => [id, []]));
  if (cloudIds.length === 0) return out;
  const rows = await db.attestation.findMany({
    where: { cloudId: { in: cloudIds }, state: { in: ['approved', 'rejected'] }, decidedAt: { not: null } },
    select: { id: true, cloudId: true, revision: true, state: true, decidedAt: true, expiresAt: true },
  });
  for (const r of rows)
    out.get(r.cloudId)!.push({
      id: r.id,
      revision: r.revision,
      state: r.state as 'approved' | 'rejected',
      decidedAt: r.decidedAt!,
      expiresAt: r.expiresAt,
    });
  return out;
}

export function manualInput(decisions: DecisionRow[], now: Date): ManualInput {
  const m = manualVerdict(decisions, now);
  return { verdict: m.verdict, reason: m.reason, decidedAt: m.decidedAt, expiresAt: m.expiresAt };
}

/** The open attestation state per cloud (for the overview: draft, submitted, changes requested). */
export async function openAttestations(cloudIds: string[]): Promise<Map<string, string>> {
  if (cloudIds.length === 0) return new Map();
  const rows = await db.attestation.findMany({
    where: { cloudId: { in: cloudIds }, state: { in: ['draft', 'submitted', 'changes_requested'] } },
    select: { cloudId: true, state: true },
  });
  return new Map(rows.map((r) => [r.cloudId, r.state]));
}

export interface CertificateRow {
  id: string;
  cloudId: string;
  standard: string;
  grantedAt: Date;
  validUntil: Date;
  grantedByLabel: string;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export async function certificatesOf(cloudIds: string[]): Promise<Map<string, CertificateRow[]>> {
  const out = new Map<string, CertificateRow[]>(cloudIds.map((id) => [id, []]));
  if (cloudIds.length === 0) return out;
  const rows = await db.certificate.findMany({
    where: { cloudId: { in: cloudIds } },
    orderBy: { grantedAt: 'desc' },
    select: {
      id: true,
      cloudId: true,
      standard: true,
      grantedAt: true,
      validUntil: true,
      grantedByLabel: true,
      revokedAt: true,
      revokedReason: true,
    },
  });
  for (const r of rows) out.get(r.cloudId)!.push(r);
  return out;
}

export interface LastRun {
  id: string;
  status: string;
  queuedAt: Date;
  finishedAt: Date | null;
}

export async function lastRuns(cloudIds: string[]): Promise<Map<string, LastRun>> {
  if (cloudIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<LastRun & { cloudId: string }>>`
    SELECT c.id AS "cloudId", r.id, r.status::text AS status, r."queuedAt", r."finishedAt"
      FROM unnest(${cloudIds}::uuid[]) AS c(id)
      JOIN LATERAL (SELECT id, status, "queuedAt", "finishedAt" FROM "Run" x WHERE x."cloudId" = c.id
                     ORDER BY x."queuedAt" DESC LIMIT 1) r ON true`;
  return new Map(rows.map((r) => [r.cloudId, r]));
}

export interface DayAggregate {
  testcase: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  pass: number;
  fail: number;
  abort: number;
  /** The day's last result. */
  last: ResultVerdict;
  lastAt: Date;
  lastMessage: string;
}

/** Results of a cloud per UTC day and testcase in [from, to): counts and the day's last result. */
export async function dailyAggregates(
  cloudId: string,
  testcases: string[],
  from: Date,
  to: Date,
): Promise<DayAggregate[]> {
  return db.$queryRaw<DayAggregate[]>`
    SELECT x.testcase, to_char((x."checkedAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE x.verdict = 'PASS')::int AS pass,
            count(*) FILTER (WHERE x.verdict = 'FAIL')::int AS fail,
            count(*) FILTER (WHERE x.verdict = 'ABORT')::int AS abort,
            (array_agg(x.verdict::text ORDER BY x."checkedAt" DESC))[1] AS last,
            max(x."checkedAt") AS "lastAt",
            (array_agg(x.message ORDER BY x."checkedAt" DESC))[1] AS "lastMessage"
       FROM "RunResult" x JOIN "Run" run ON run.id = x."runId" JOIN "Cloud" c ON c.id = x."cloudId"
      WHERE x."cloudId" = ${cloudId}::uuid AND x.testcase = ANY(${testcases}::text[])
        AND x."checkedAt" >= ${from} AND x."checkedAt" < ${to} AND ${countedSql('run', 'c')}
      GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** The last result of each testcase before `before` (carries validity into the first days of a period). */
export async function resultsBefore(
  cloudId: string,
  testcases: string[],
  before: Date,
): Promise<Record<string, AutomatedInput>> {
  const rows = await db.$queryRaw<
    Array<{ testcase: string; verdict: ResultVerdict; checkedAt: Date; message: string }>
  >`
    SELECT t.testcase, r.verdict::text AS verdict, r."checkedAt", r.message FROM unnest(${testcases}::text[]) AS t(testcase)
      JOIN LATERAL (SELECT x.verdict, x."checkedAt", x.message FROM "RunResult" x
                      JOIN "Run" run ON run.id = x."runId" JOIN "Cloud" c ON c.id = x."cloudId"
                     WHERE x."cloudId" = ${cloudId}::uuid AND x.testcase = t.testcase AND x."checkedAt" < ${before}
                       AND ${countedSql('run', 'c')}
                     ORDER BY x."checkedAt" DESC LIMIT 1) r ON true`;
  return Object.fromEntries(
    rows.map((r) => [r.testcase, { verdict: r.verdict, checkedAt: r.checkedAt, message: r.message }]),
  );
}
