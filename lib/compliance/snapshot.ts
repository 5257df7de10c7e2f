// Stored compliance (table ComplianceSnapshot): lists of many clouds read one row per cloud instead
// of evaluating every cloud per request. Correctness rests on two things:
//   - triggers (migration compliance_snapshot) bump a cloud's `version` in the same transaction as
//     any change to its runs, results, attestations or certificates;
//   - a snapshot records the version it was computed from and `staleAt`, the next instant at which
//     time alone could change the outcome (a result or approval expiring, a certificate running out,
//     anything dated in the future). A snapshot computed "later" than now (a test clock moved back)
//     is stale too.
// Readers call `refresh*` first; it recomputes stale snapshots with evaluate.ts and stores them
// unless the cloud changed meanwhile (then the next reader recomputes). Rows a writer holds locked
// are skipped rather than waited for, so a long write never stalls a page; the evaluation computed
// here is still what the caller gets.

import { db, Prisma } from '../db';
import { now as clockNow } from '../clock';
import type { DecisionRow } from '../attestations/result';
import type { CertificateRow } from './data';
import { SNAPSHOT_FORMAT, staleCondition } from './freshness';
import { nextTimelineChange, scope } from './scope';
import { enqueueAll, type OutboxMessage } from '../notify/outbox';
import { HEADLINE_PROFILE, OFFICIAL_PREFIX } from './profiles';
import { STATUSES, type Status } from './verdict';
import { LOOK } from './presentation';
import { cloudPart, cloudSelect, evaluateCloudsWithInputs, type CloudCompliance, type CloudRow } from './evaluate';

type Summary = Omit<CloudCompliance, 'cloud' | 'schedule' | 'nextRunAt'>;

/** The next instant after `at` among every date the outcome depends on (null: only data changes matter). */
export function nextChange(c: CloudCompliance, decisions: DecisionRow[], at: Date): Date | null {
  let next: number | null = null;
  const consider = (d: Date | null | undefined) => {
    const t = d?.getTime();
    if (t !== undefined && t > at.getTime() && (next === null || t < next)) next = t;
  };
  for (const e of c.evaluations)
    for (const t of e.testcases) {
      consider(t.checkedAt);
      consider(t.expiresAt);
    }
  consider(c.manual.decidedAt);
  consider(c.manual.expiresAt);
  for (const d of decisions) {
    consider(d.decidedAt);
    consider(d.expiresAt);
  }
  for (const x of c.certificate.all) {
    consider(x.grantedAt);
    consider(x.validUntil);
    consider(x.revokedAt);
  }
  // The official versions of the day change with the scope's timeline.
  consider(nextTimelineChange(scope(), at));
  return next === null ? null : new Date(next);
}

const date = (v: string | null | undefined): Date | null => (v ? new Date(v) : null);
const cert = (x: CertificateRow): CertificateRow => ({
  ...x,
  grantedAt: new Date(x.grantedAt),
  validUntil: new Date(x.validUntil),
  revokedAt: date(x.revokedAt as unknown as string),
});

/** The stored JSON back to the evaluation's types (dates were stored as ISO strings). */
export function reviveSummary(s: Summary): Summary {
  return {
    ...s,
    evaluations: s.evaluations.map((e) => ({
      ...e,
      testcases: e.testcases.map((t) => ({
        ...t,
        checkedAt: date(t.checkedAt as unknown as string),
        expiresAt: date(t.expiresAt as unknown as string),
      })),
    })),
    manual: {
      ...s.manual,
      decidedAt: date(s.manual.decidedAt as unknown as string) ?? undefined,
      expiresAt: date(s.manual.expiresAt as unknown as string) ?? undefined,
    },
    certificate: {
      state: s.certificate.state,
      current: s.certificate.current ? cert(s.certificate.current) : null,
      all: s.certificate.all.map(cert),
    },
    lastRun: s.lastRun
      ? {
          ...s.lastRun,
          queuedAt: new Date(s.lastRun.queuedAt),
          finishedAt: date(s.lastRun.finishedAt as unknown as string),
        }
      : null,
  };
}

function summaryOf(c: CloudCompliance): Summary {
  const { cloud: _cloud, schedule: _schedule, nextRunAt: _next, ...rest } = c;
  return rest;
}

/** Joins a cloud row and its stored summary into the evaluation callers use. */
export function fromSnapshot(c: CloudRow, summary: Summary): CloudCompliance {
  return { ...cloudPart(c), ...reviveSummary(summary) };
}

/** A timestamp parameter compared with the snapshot's `timestamp(3)` columns (stored as UTC). */
export const utc = (d: Date | Prisma.Sql) =>
  Prisma.sql`(${d instanceof Date ? d.toISOString() : d}::timestamptz AT TIME ZONE 'UTC')`;

/** The snapshot `s` must be recomputed before it is read at `at`. */
export const staleAt = (at: Date) => staleCondition(Prisma.sql, utc(at));

/**
 * Recomputes and stores the snapshots of these clouds (their versions as read before computing).
 * Returns the evaluations computed, by cloud id.
 */
async function recompute(
  clouds: CloudRow[],
  versions: Map<string, number | null>,
  at: Date,
): Promise<Map<string, CloudCompliance>> {
  const batch = await evaluateBatch(clouds, versions, at);
  await batch.store();
  return batch.evaluated;
}

/**
 * Evaluates these clouds; `store()` then stores their snapshots. Apart, so that a refresh of many
 * clouds evaluates one batch while PostgreSQL stores the previous one.
 */
async function evaluateBatch(
  clouds: CloudRow[],
  versions: Map<string, number | null>,
  at: Date,
): Promise<{ evaluated: Map<string, CloudCompliance>; store: () => Promise<void> }> {
  const out = new Map<string, CloudCompliance>();
  if (clouds.length === 0) return { evaluated: out, store: async () => {} };
  const evaluated = await evaluateCloudsWithInputs(clouds, at);
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  // The rows to store, sent as one JSON text (jsonb_to_recordset below) rather than one array
  // parameter per column: the driver would escape every summary (about 10 kB each) into an array
  // literal, which cost more than evaluating the clouds when 10,000 are stored at once.
  const input = evaluated.map(({ compliance: c, decisions }) => {
    out.set(c.cloud.id, c);
    return {
      cloudId: c.cloud.id,
      readVersion: versions.get(c.cloud.id) ?? 0,
      staleAt: iso(nextChange(c, decisions, at)),
      status: c.status,
      officialStatus: c.official?.status ?? null,
      lastRunAt: iso(c.lastRun?.queuedAt),
      attestationExpiresAt: iso(c.manual.expiresAt),
      certificateValidUntil: iso(c.certificate.current?.validUntil),
      summary: summaryOf(c),
    };
  });
  return { evaluated: out, store: () => store(input, out, versions, at) };
}

async function store(
  input: Array<{ cloudId: string; readVersion: number } & Record<string, unknown>>,
  out: Map<string, CloudCompliance>,
  versions: Map<string, number | null>,
  at: Date,
): Promise<void> {
  // A cloud created while the trigger was absent has no row yet: create it at version 0. Only for
  // those: ON CONFLICT would wait for a writer that holds an existing row.
  const missing = input.map((r) => r.cloudId).filter((id) => versions.get(id) == null);
  if (missing.length)
    await db.$executeRaw`
      INSERT INTO "ComplianceSnapshot" ("cloudId", version, "computedVersion")
      SELECT unnest(${missing}::uuid[]), 0, -1 ON CONFLICT DO NOTHING`;
  // The store and the decision whether the status changed are one conditional UPDATE: it takes only
  // rows still at the version read (and not held by another writer), compares the status stored
  // there with the new one and counts a change in statusSeq; the change's message is queued in the
  // same transaction. Two processes recomputing at once therefore store, and notify, once.
  await db.$transaction(
    async (tx) => {
      const changed = await tx.$queryRaw<StoredChange[]>`
      WITH input AS (
         SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
           AS t("cloudId" uuid, "readVersion" int, "staleAt" text, status text, "officialStatus" text, "lastRunAt" text,
                "attestationExpiresAt" text, "certificateValidUntil" text, summary jsonb)),
       target AS (
         SELECT s."cloudId", s.status AS "oldStatus", s."officialStatus" AS "oldOfficial", s."computedAt" IS NULL AS "first"
           FROM "ComplianceSnapshot" s JOIN input i ON i."cloudId" = s."cloudId" AND s.version = i."readVersion"
            FOR UPDATE OF s SKIP LOCKED),
       decided AS (
         SELECT t.*, ${changeOf(Prisma.sql`t."oldStatus"`, Prisma.sql`i.status`)} AS "statusChanged",
                ${changeOf(Prisma.sql`t."oldOfficial"`, Prisma.sql`i."officialStatus"`)} AS "officialChanged"
           FROM target t JOIN input i USING ("cloudId"))
       UPDATE "ComplianceSnapshot" s SET
         format = ${SNAPSHOT_FORMAT}, "computedVersion" = i."readVersion", "computedAt" = ${utc(at)},
         "staleAt" = ${utc(Prisma.sql`i."staleAt"`)}, status = i.status, "officialStatus" = i."officialStatus",
         "lastRunAt" = ${utc(Prisma.sql`i."lastRunAt"`)}, "attestationExpiresAt" = ${utc(Prisma.sql`i."attestationExpiresAt"`)},
         "certificateValidUntil" = ${utc(Prisma.sql`i."certificateValidUntil"`)}, summary = i.summary,
         "statusSeq" = s."statusSeq" + CASE WHEN d."statusChanged" OR d."officialChanged" THEN 1 ELSE 0 END,
         "statusChangedAt" = CASE WHEN d."statusChanged" OR d."officialChanged" THEN ${utc(at)} ELSE s."statusChangedAt" END
         FROM input i JOIN decided d USING ("cloudId")
        WHERE s."cloudId" = i."cloudId"
       RETURNING s."cloudId", s."statusSeq" AS seq, d."first", d."oldStatus", s.status, d."oldOfficial", s."officialStatus",
                 d."statusChanged", d."officialChanged"`;
      await enqueueAll(
        tx,
        changed
          .filter((ch) => ch.statusChanged || ch.officialChanged)
          .map((ch) => statusChangeMessage(out.get(ch.cloudId)!, ch)),
      );
    },
    // A first store after a deploy may cover a thousand clouds on a busy database: allow it time.
    { timeout: 60_000, maxWait: 10_000 },
  );
}

interface StoredChange {
  cloudId: string;
  seq: number;
  first: boolean;
  oldStatus: string | null;
  status: string;
  oldOfficial: string | null;
  officialStatus: string | null;
  statusChanged: boolean;
  officialChanged: boolean;
}

/**
 * SQL: whether a stored status changed. A snapshot never computed before (a new cloud) starts from
 * MISS, so its first PASS or FAIL is news; one computed by code that did not store this status yet
 * (the official verdict before this column existed) takes the new value as its starting point.
 */
function changeOf(old: Prisma.Sql, next: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE WHEN t."first" THEN COALESCE(${next}, 'MISS') <> 'MISS'
                         ELSE ${old} IS NOT NULL AND ${old} IS DISTINCT FROM ${next} END)`;
}

/** The outbox message of one stored status change (the dispatcher, lib/notify, sends it to e-mail and webhooks). */
export function statusChangeMessage(c: CloudCompliance, ch: StoredChange): OutboxMessage {
  const from = ch.first ? 'MISS' : ch.oldStatus;
  const officialFrom = ch.first ? 'MISS' : ch.oldOfficial;
  const version = c.official?.version.replace(OFFICIAL_PREFIX, '') ?? '';
  const parts: string[] = [];
  if (ch.statusChanged) parts.push(`scs-0116-v1 ${from} -> ${ch.status}`);
  if (ch.officialChanged) parts.push(`SCS ${version} ${officialFrom} -> ${ch.officialStatus ?? 'none'}`);
  const headline = c.evaluations.find((e) => e.standard === HEADLINE_PROFILE)!;
  const deciding = c.evaluations.find((e) => e.standard === c.official?.version);
  const lines = [
    `The status of cloud ${c.cloud.name} (${c.cloud.slug}) changed.`,
    '',
    `scs-0116-v1 (this dashboard's full profile, the basis of certificates): ${ch.status}${ch.statusChanged ? ` (was ${from})` : ''}`,
    ...headline.reasons.map((r) => `  - ${r}`),
    ...headline.warnings.map((r) => `  - warning: ${r}`),
    `Official SCS verdict (SCS-compatible IaaS ${version}, key-manager module): ${ch.officialStatus ?? 'none'}${
      ch.officialChanged ? ` (was ${officialFrom})` : ''
    }`,
    ...(deciding?.reasons ?? []).map((r) => `  - ${r}`),
    '',
    `Words: ${STATUSES.map((s) => `${LOOK[s].label} = ${LOOK[s].meaning}`).join('; ')}.`,
  ];
  return {
    kind: 'status-change',
    organizationId: c.cloud.organization.id,
    cloudId: c.cloud.id,
    subject: `${c.cloud.slug}: ${parts.join(', ')}`,
    body: lines.join('\n'),
    dedupeKey: `status-change:${c.cloud.id}:${ch.seq}`,
    runId: c.lastRun?.id ?? null,
    fromStatus: from,
    toStatus: ch.status,
    data: {
      from,
      to: ch.status,
      official: { from: officialFrom, to: ch.officialStatus, version: c.official?.version ?? null },
      runId: c.lastRun?.id ?? null,
    },
  };
}

/**
 * What a refresh hands back per recomputed cloud: the columns lists filter and sort by. Not the whole
 * evaluation: a refresh after a deploy covers every cloud (10,000 of them), and holding all their
 * evaluations at once does not fit the web process's heap; callers read the full evaluation of the
 * few they show (complianceOf).
 */
export interface Refreshed {
  status: Status;
  lastRunAt: Date | null;
  attestationExpiresAt: Date | null;
  certificateValidUntil: Date | null;
}

/** Recomputes the stale snapshots among clouds matching an SQL condition over `c` (Cloud) and `o` (Organization). */
export async function refreshWhere(condition: Prisma.Sql, at: Date = clockNow()): Promise<Map<string, Refreshed>> {
  const stale = await db.$queryRaw<Array<{ id: string; version: number | null }>>`
    SELECT c.id, s.version FROM "Cloud" c JOIN "Organization" o ON o.id = c."organizationId"
      LEFT JOIN "ComplianceSnapshot" s ON s."cloudId" = c.id
     WHERE (${condition}) AND ${staleAt(at)}`;
  const out = new Map<string, Refreshed>();
  // In batches, so that about two batches' inputs, evaluations and stored summaries are what the
  // process holds at a time: while PostgreSQL stores one batch, this process reads and evaluates the
  // next (one core each).
  let storing: Promise<void> | null = null;
  try {
    for (let i = 0; i < stale.length; i += REFRESH_BATCH) {
      const part = stale.slice(i, i + REFRESH_BATCH);
      const clouds = await db.cloud.findMany({ where: { id: { in: part.map((r) => r.id) } }, select: cloudSelect });
      const versions = new Map(part.map((r) => [r.id, r.version]));
      const batch = await evaluateBatch(clouds, versions, at);
      for (const [id, c] of batch.evaluated)
        out.set(id, {
          status: c.status,
          lastRunAt: c.lastRun?.queuedAt ?? null,
          attestationExpiresAt: c.manual.expiresAt ?? null,
          certificateValidUntil: c.certificate.current?.validUntil ?? null,
        });
      await storing;
      storing = batch.store();
      // Handled here, awaited (and thrown) at the next batch or below.
      storing.catch(() => {});
    }
  } finally {
    await storing;
  }
  return out;
}

const REFRESH_BATCH = 250;

/** The compliance of these clouds, from fresh snapshots (recomputing the stale ones), in the given order. */
export async function complianceOf(clouds: CloudRow[], at: Date = clockNow()): Promise<CloudCompliance[]> {
  if (clouds.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ cloudId: string; version: number; stale: boolean; summary: Summary | null }>>`
    SELECT c.id AS "cloudId", s.version, ${staleAt(at)} AS stale, s.summary
      FROM unnest(${clouds.map((c) => c.id)}::uuid[]) AS c(id) LEFT JOIN "ComplianceSnapshot" s ON s."cloudId" = c.id`;
  const byId = new Map(rows.map((r) => [r.cloudId, r]));
  const stale = clouds.filter((c) => {
    const r = byId.get(c.id);
    return !r || r.stale || !r.summary;
  });
  const fresh = await recompute(stale, new Map(stale.map((c) => [c.id, byId.get(c.id)?.version ?? null])), at);
  return clouds.map((c) => fresh.get(c.id) ?? fromSnapshot(c, byId.get(c.id)!.summary!));
}
