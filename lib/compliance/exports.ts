// Exports: the overview as CSV and as a Markdown table (like SCS's compliance monitor's table),
// a cloud's history as CSV and JSON; and the Prometheus metrics. Pure formatting plus one query.

import { db } from '../db';
import { authorize } from '../auth/policy';
import { now as clockNow } from '../clock';
import type { RequestContext } from '../context';
import { complianceOverview, statusOf, type CloudCompliance, type OverviewRequest } from './index';
import type { History } from './history';
import type { Status } from './verdict';
import { LOOK } from './presentation';
import { STATUSES } from './index';
import { OFFICIAL_PREFIX } from './profiles';
import { markdownText } from '../markdown';

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  // Spreadsheet formula injection: a leading = + - @ is made text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const HEAD = [
  'cloud',
  'name',
  'organization',
  'public',
  'status_v1',
  'status_official',
  'official_version',
  'status_draft',
  'reasons',
  'warnings',
  'last_run',
  'last_run_status',
  'next_run',
  'attestation',
  'attestation_until',
  'certificate',
  'certificate_until',
];

function row(c: CloudCompliance): unknown[] {
  const v1 = statusOf(c, 'scs-0116-v1');
  return [
    c.cloud.slug,
    c.cloud.name,
    c.cloud.organization.name,
    c.cloud.public,
    v1.status,
    c.official?.status ?? null,
    c.official?.version ?? null,
    statusOf(c, 'scs-0116-draft').status,
    v1.reasons.join('; '),
    v1.warnings.join('; '),
    c.lastRun?.queuedAt ?? null,
    c.lastRun?.status ?? null,
    c.nextRunAt,
    c.manual.verdict,
    c.manual.verdict === 'PASS' ? (c.manual.expiresAt ?? null) : null,
    c.certificate.state,
    c.certificate.current?.validUntil ?? null,
  ];
}

export async function overviewExport(
  ctx: RequestContext,
  req: OverviewRequest,
  format: 'csv' | 'markdown' | 'json',
): Promise<{ body: string; type: string; filename: string }> {
  const page = await complianceOverview(ctx, req, { all: true });
  const day = clockNow().toISOString().slice(0, 10);
  if (format === 'csv')
    return {
      body: toCsv([HEAD, ...page.items.map(row)]),
      type: 'text/csv; charset=utf-8',
      filename: `compliance-${day}.csv`,
    };
  if (format === 'markdown') {
    const md = markdownText;
    const lines = [
      '| Name | Organization | scs-0116 v1 | SCS official | Draft | Attestation | Certificate |',
      '|---|---|---|---|---|---|---|',
      ...page.items.map(
        (c) =>
          `| [${md(c.cloud.name)}](/clouds/${c.cloud.slug}) | ${md(c.cloud.organization.name)} | ${LOOK[c.status].label} | ${c.official ? `${LOOK[c.official.status].label} (${c.official.version.replace(OFFICIAL_PREFIX, '')})` : '—'} | ${LOOK[statusOf(c, 'scs-0116-draft').status].label} | ${c.manual.verdict}${c.manual.verdict === 'PASS' && c.manual.expiresAt ? ` until ${c.manual.expiresAt.toISOString().slice(0, 10)}` : ''} | ${c.certificate.state}${c.certificate.current ? ` until ${c.certificate.current.validUntil.toISOString().slice(0, 10)}` : ''} |`,
      ),
      '',
      `Legend: ${STATUSES.map((s) => `${LOOK[s].label} = ${LOOK[s].meaning}`).join('; ')}. Generated ${clockNow().toISOString()}.`,
      '',
    ];
    return { body: lines.join('\n'), type: 'text/markdown; charset=utf-8', filename: `compliance-${day}.md` };
  }
  return {
    body: JSON.stringify({
      items: page.items.map((c) => Object.fromEntries(HEAD.map((h, i) => [h, row(c)[i]]))),
      total: page.total,
      counts: page.counts,
    }),
    type: 'application/json',
    filename: `compliance-${day}.json`,
  };
}

export function historyCsv(slug: string, h: History): string {
  const rows: unknown[][] = [
    ['cloud', 'day', 'testcase', 'verdict', 'results', 'pass', 'fail', 'abort', 'carried', 'note'],
  ];
  for (const s of h.strips)
    for (const c of s.cells)
      rows.push([
        slug,
        c.day,
        s.testcase,
        c.verdict,
        c.runs,
        c.counts?.pass ?? 0,
        c.counts?.fail ?? 0,
        c.counts?.abort ?? 0,
        c.carried,
        c.note,
      ]);
  for (const v of h.compliance)
    for (const d of v.days) rows.push([slug, d.day, `status:${v.standard}`, d.status, '', '', '', '', '', '']);
  return toCsv(rows);
}

export function historyJson(slug: string, h: History) {
  return {
    cloud: slug,
    from: h.from,
    to: h.to,
    testcases: h.strips.map((s) => ({
      testcase: s.testcase,
      requirement: s.requirement,
      days: s.cells.map((c) => ({ day: c.day, verdict: c.verdict, results: c.runs, carried: c.carried })),
    })),
    since: h.since,
    compliance: h.compliance.map((c) => ({
      standard: c.standard,
      share: c.share,
      daysWithData: c.daysWithData,
      days: c.days,
    })),
  };
}

/** Upstream's canonical numbers (1 PASS, 0 ABORT, -1 FAIL), and -2 for a missing result (upstream: None). */
const STATUS_VALUE: Record<Status, number> = { PASS: 1, DNF: 0, FAIL: -1, MISS: -2 };

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text format 0.0.4: per-cloud status, last run duration, last successful run age, queue depth. */
export async function prometheusMetrics(ctx: RequestContext): Promise<string> {
  authorize(ctx.actor, 'metrics.read', { type: 'global' });
  const at = clockNow();
  const page = await complianceOverview(ctx, {}, { all: true });
  const [queue, runs] = await Promise.all([
    db.$queryRaw<Array<{ status: string; n: number }>>`
      SELECT status::text AS status, count(*)::int AS n FROM "Run" WHERE status IN ('queued', 'running') GROUP BY 1`,
    db.$queryRaw<Array<{ cloudId: string; duration: number | null; lastOk: Date | null }>>`
      SELECT c.id AS "cloudId",
             (SELECT EXTRACT(EPOCH FROM (r."finishedAt" - r."startedAt"))::float FROM "Run" r
               WHERE r."cloudId" = c.id AND r.status = 'finished' AND r."startedAt" IS NOT NULL
               ORDER BY r."queuedAt" DESC LIMIT 1) AS duration,
             (SELECT max(r."finishedAt") FROM "Run" r WHERE r."cloudId" = c.id AND r.status = 'finished') AS "lastOk"
        FROM "Cloud" c WHERE c."archivedAt" IS NULL`,
  ]);
  const byId = new Map(runs.map((r) => [r.cloudId, r]));
  const out: string[] = [];
  out.push(
    '# HELP scs_km_cloud_status Status per cloud and profile: the official SCS versions of the day, scs-0116-v1 and the draft (1 PASS, 0 DNF, -1 FAIL, -2 MISS).',
    '# TYPE scs_km_cloud_status gauge',
  );
  for (const c of page.items)
    for (const e of c.evaluations)
      out.push(
        `scs_km_cloud_status{cloud="${label(c.cloud.slug)}",organization="${label(c.cloud.organization.slug)}",standard="${e.standard}",status="${e.status}"} ${STATUS_VALUE[e.status]}`,
      );
  out.push(
    '# HELP scs_km_certificate_valid Whether the cloud holds a valid scs-0116 v1 certificate.',
    '# TYPE scs_km_certificate_valid gauge',
  );
  for (const c of page.items)
    out.push(`scs_km_certificate_valid{cloud="${label(c.cloud.slug)}"} ${c.certificate.state === 'valid' ? 1 : 0}`);
  out.push(
    '# HELP scs_km_last_run_duration_seconds Duration of the latest finished run.',
    '# TYPE scs_km_last_run_duration_seconds gauge',
  );
  for (const c of page.items) {
    const d = byId.get(c.cloud.id)?.duration;
    if (d !== null && d !== undefined)
      out.push(`scs_km_last_run_duration_seconds{cloud="${label(c.cloud.slug)}"} ${d.toFixed(3)}`);
  }
  out.push(
    '# HELP scs_km_last_successful_run_age_seconds Seconds since the latest finished run.',
    '# TYPE scs_km_last_successful_run_age_seconds gauge',
  );
  for (const c of page.items) {
    const t = byId.get(c.cloud.id)?.lastOk;
    if (t)
      out.push(
        `scs_km_last_successful_run_age_seconds{cloud="${label(c.cloud.slug)}"} ${Math.max(0, (at.getTime() - new Date(t).getTime()) / 1000).toFixed(0)}`,
      );
  }
  out.push('# HELP scs_km_queue_runs Runs waiting or running.', '# TYPE scs_km_queue_runs gauge');
  for (const s of ['queued', 'running'])
    out.push(`scs_km_queue_runs{status="${s}"} ${queue.find((q) => q.status === s)?.n ?? 0}`);
  return out.join('\n') + '\n';
}
