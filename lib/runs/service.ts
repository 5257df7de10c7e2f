// Runs as the rest of the app sees them: create (or join the active run), read, cancel, list, and
// the diff against the previous run. Every function asks the policy; the executor is in execute.ts.

import { z } from 'zod';
import { db, type Prisma, type Run, type RunResult } from '../db';
import { authorize, type Actor } from '../auth/policy';
import { recordAudit } from '../audit';
import { CHECKS } from '../checks';
import type { RequestContext } from '../context';
import { ConflictError, ValidationError, parseInput } from '../errors';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import type { Evidence } from '../checks/types';
import { runCounts, signingKeyState, type Counting, type SigningKeyState } from '../compliance/certified-endpoint';
import { now as clockNow } from '../clock';
import { cloudResource, loadCloud, loadFor } from '../resources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RunTrigger = 'manual' | 'api' | 'schedule' | 'refresh';
export type RunStatusName = Run['status'];
export const ACTIVE_STATUSES: RunStatusName[] = ['queued', 'running'];

/** The body of POST /api/v1/clouds/{slug}/runs (other fields are ignored). */
export const runRequestInput = z.object({
  testcases: z
    .array(z.string().trim().min(1), { message: 'testcases must be a list of testcase ids.' })
    .max(CHECKS.length)
    .optional()
    .default([]),
});

export interface RunProgress {
  total: number;
  done: number;
  /** The check running now. */
  current: { id: string; title: string } | null;
  /** The latest request of the current check, e.g. "POST key-manager /v1/secrets". */
  step: string | null;
  /** Checks in run order with their state so far. */
  checks: Array<{ id: string; title: string }>;
}

export interface ResultView {
  testcase: string;
  verdict: 'PASS' | 'FAIL' | 'ABORT';
  message: string;
  durationMs: number;
  checkedAt: Date;
  details: Record<string, unknown> | null;
  evidence: Evidence[] | null;
}

export type RunSourceName = 'dashboard' | 'official-runner';

export interface RunView {
  id: string;
  cloud: { id: string; slug: string; name: string; organizationId: string; scsSubject: string | null };
  /** The endpoint the run's credential named (null until it started, or when it had no credential). */
  endpoint: { authUrl: string | null; region: string | null };
  /** Whether its results count toward verdicts and certificates, and why not (lib/compliance/certified-endpoint.ts). */
  counting: Counting;
  status: RunStatusName;
  trigger: string;
  /** Our own checks, or an uploaded signed report of the official SCS runner. */
  source: RunSourceName;
  /** Imported runs: the upload (signature and text as received). */
  uploadId: string | null;
  /** Imported runs: the key the upload was signed with, as it stands now (its approval decides `counting`). */
  signedBy: (SigningKeyState & { approvedBy: string | null }) | null;
  testcases: string[];
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  cancelRequestedAt: Date | null;
  namePrefix: string | null;
  roles: string[];
  error: string | null;
  progress: RunProgress | null;
  report: Record<string, unknown> | null;
  results: ResultView[];
}

type RunWithCloud = Run & {
  cloud: {
    id: string;
    slug: string;
    name: string;
    organizationId: string;
    scsSubject: string | null;
    certifiedAuthUrl: string | null;
    certifiedRegion: string | null;
  };
  upload?: {
    keyFingerprint: string;
    key: { name: string; approvedAt: Date | null; approvedByLabel: string | null } | null;
  } | null;
  results?: RunResult[];
};

export const sourceName = (s: Run['source']): RunSourceName =>
  s === 'official_runner' ? 'official-runner' : 'dashboard';

function resultView(r: RunResult, withEvidence: boolean): ResultView {
  return {
    testcase: r.testcase,
    verdict: r.verdict,
    message: r.message,
    durationMs: r.durationMs,
    checkedAt: r.checkedAt,
    details: (r.details as Record<string, unknown> | null) ?? null,
    evidence: withEvidence ? ((r.evidence as unknown as Evidence[] | null) ?? null) : null,
  };
}

const ORDER = new Map(CHECKS.map((c, i) => [c.id, i]));
function byRegistryOrder(a: { testcase: string }, b: { testcase: string }): number {
  return (ORDER.get(a.testcase) ?? 999) - (ORDER.get(b.testcase) ?? 999);
}

function view(r: RunWithCloud, withEvidence = false): RunView {
  const { certifiedAuthUrl, certifiedRegion, ...cloud } = r.cloud;
  const pin = certifiedAuthUrl && certifiedRegion ? { authUrl: certifiedAuthUrl, region: certifiedRegion } : null;
  const endpoint = { authUrl: r.authUrl, region: r.region };
  const signedBy =
    r.source === 'official_runner' && r.upload
      ? { ...signingKeyState(r.upload), approvedBy: r.upload.key?.approvedByLabel ?? null }
      : null;
  return {
    id: r.id,
    cloud,
    endpoint,
    counting: runCounts(pin, { ...endpoint, source: r.source, signedBy }),
    status: r.status,
    trigger: r.trigger,
    source: sourceName(r.source),
    uploadId: r.uploadId,
    signedBy,
    testcases: r.testcases,
    queuedAt: r.queuedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    heartbeatAt: r.heartbeatAt,
    cancelRequestedAt: r.cancelRequestedAt,
    namePrefix: r.namePrefix,
    roles: r.roles,
    error: r.error,
    progress: (r.progress as RunProgress | null) ?? null,
    report: (r.report as Record<string, unknown> | null) ?? null,
    results: (r.results ?? []).map((x) => resultView(x, withEvidence)).sort(byRegistryOrder),
  };
}

const cloudSelect = {
  select: {
    id: true,
    slug: true,
    name: true,
    organizationId: true,
    scsSubject: true,
    certifiedAuthUrl: true,
    certifiedRegion: true,
  },
} as const;

/** An imported run's upload: which key signed it and whether that key is approved now (runCounts). */
const uploadSelect = {
  select: {
    keyFingerprint: true,
    key: { select: { name: true, approvedAt: true, approvedByLabel: true } },
  },
} as const;

function validTestcases(ids: string[]): string[] {
  const unknown = ids.filter((id) => !ORDER.has(id));
  if (unknown.length)
    throw new ValidationError({
      testcases: `Unknown testcase${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
    });
  return [...new Set(ids)].sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string; meta?: unknown } | null;
  return (
    !!e &&
    (e.code === 'P2002' || e.code === '23505' || /unique constraint|Run_one_active_per_cloud/i.test(String(e.message)))
  );
}

export interface CreatedRun {
  run: RunView;
  /** False when an active run existed already and is returned instead. */
  created: boolean;
}

/**
 * Start a run for a cloud, or return the cloud's active (queued or running) run: the partial
 * unique index "Run_one_active_per_cloud" decides under concurrency, not a read-then-write.
 */
export async function createRun(
  ctx: RequestContext,
  target: { slug: string } | { cloudId: string },
  opts: { trigger: RunTrigger; testcases?: string[]; input?: unknown },
): Promise<CreatedRun> {
  const where = 'slug' in target ? { slug: target.slug } : { id: target.cloudId };
  const cloud = await loadFor(ctx, 'run.create', 'Cloud', db.cloud.findUnique({ where }), cloudResource);
  if (cloud.archivedAt) throw new ConflictError('This cloud is archived; restore it before running checks.');
  const requested =
    opts.input !== undefined ? parseInput(runRequestInput, opts.input ?? {}).testcases : (opts.testcases ?? []);
  const testcases = validTestcases(requested);
  const existing = await activeRun(cloud.id);
  if (existing) return { run: view(existing), created: false };
  try {
    const run = await db.$transaction(async (tx) => {
      const r = await tx.run.create({
        data: { cloudId: cloud.id, trigger: opts.trigger, testcases, requestedById: ctx.actor?.id || null },
        include: { cloud: cloudSelect },
      });
      await recordAudit(tx, ctx, {
        action: 'run.create',
        targetType: 'run',
        targetId: r.id,
        organizationId: cloud.organizationId,
        summary: `requested a ${opts.trigger} run of ${cloud.slug}${testcases.length ? ` (${testcases.join(', ')})` : ''}`,
      });
      return r;
    });
    return { run: view(run), created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const active = await activeRun(cloud.id);
    if (active) return { run: view(active), created: false };
    throw err;
  }
}

async function activeRun(cloudId: string): Promise<RunWithCloud | null> {
  return db.run.findFirst({
    where: { cloudId, status: { in: ACTIVE_STATUSES } },
    include: { cloud: cloudSelect, upload: uploadSelect },
  });
}

async function loadAuthorized(
  ctx: RequestContext,
  id: string,
  action: 'run.read' | 'run.cancel',
  include: Prisma.RunInclude = {},
): Promise<RunWithCloud> {
  const run = await loadFor(
    ctx,
    action,
    'Run',
    UUID.test(id)
      ? db.run.findUnique({ where: { id }, include: { cloud: cloudSelect, upload: uploadSelect, ...include } })
      : null,
    (r) => cloudResource(r.cloud),
  );
  return run as RunWithCloud;
}

/** One run with its results; evidence only when asked (it is the bulky part). */
export async function getRun(ctx: RequestContext, id: string, opts: { evidence?: boolean } = {}): Promise<RunView> {
  const run = await loadAuthorized(ctx, id, 'run.read', {
    results: opts.evidence ? true : { omit: { evidence: true } },
  });
  return view(run, !!opts.evidence);
}

/** The small, frequently polled state for live progress (SSE). */
export interface RunSnapshot {
  id: string;
  status: RunStatusName;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  error: string | null;
  progress: RunProgress | null;
  results: Array<{ testcase: string; verdict: string; message: string; durationMs: number }>;
}

export async function runSnapshot(ctx: RequestContext, id: string): Promise<RunSnapshot> {
  const r = await getRun(ctx, id);
  return snapshotOf(r);
}

export function snapshotOf(r: RunView): RunSnapshot {
  return {
    id: r.id,
    status: r.status,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    cancelRequested: !!r.cancelRequestedAt,
    error: r.error,
    progress: r.progress,
    results: r.results.map((x) => ({
      testcase: x.testcase,
      verdict: x.verdict,
      message: x.message,
      durationMs: x.durationMs,
    })),
  };
}

/** Staff cancel: a queued run ends at once; a running one is stopped by its worker at the next heartbeat. */
export async function cancelRun(ctx: RequestContext, id: string): Promise<RunView> {
  const run = await loadAuthorized(ctx, id, 'run.cancel');
  if (!ACTIVE_STATUSES.includes(run.status)) throw new ConflictError(`This run is ${run.status} already.`);
  await db.$transaction(async (tx) => {
    const now = clockNow();
    const queued = await tx.run.updateMany({
      where: { id, status: 'queued' },
      data: {
        status: 'cancelled',
        finishedAt: now,
        cancelRequestedAt: now,
        cancelledById: ctx.actor?.id || null,
        error: 'Cancelled before it started.',
      },
    });
    if (queued.count === 0) {
      await tx.run.updateMany({
        where: { id, status: 'running', cancelRequestedAt: null },
        data: { cancelRequestedAt: now, cancelledById: ctx.actor?.id || null },
      });
    }
    await recordAudit(tx, ctx, {
      action: 'run.cancel',
      targetType: 'run',
      targetId: id,
      organizationId: run.cloud.organizationId,
      summary: `cancelled a run of ${run.cloud.slug}`,
    });
  });
  return getRun(ctx, id);
}

export interface RunListItem {
  id: string;
  status: RunStatusName;
  trigger: string;
  source: RunSourceName;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  counts: { PASS: number; FAIL: number; ABORT: number };
}

/** The latest runs of a cloud. */
export async function listRuns(ctx: RequestContext, cloudId: string, take = 20): Promise<RunListItem[]> {
  await loadCloud(ctx, { id: cloudId }, 'run.read', { organizationId: true });
  const runs = await db.run.findMany({
    where: { cloudId },
    orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
    take,
    include: { results: { select: { verdict: true } } },
  });
  return runs.map(listItem);
}

/** A cloud's runs, newest first, one page (GET /api/v1/clouds/{slug}/runs): imported runs included. */
export async function pageRuns(ctx: RequestContext, slug: string, req: PageRequest = {}): Promise<Page<RunListItem>> {
  const cloud = await loadCloud(ctx, { slug }, 'run.read', { id: true, organizationId: true });
  const { skip, take, page, pageSize } = pageArgs(req);
  const [runs, total] = await Promise.all([
    db.run.findMany({
      where: { cloudId: cloud.id },
      orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
      skip,
      take,
      include: { results: { select: { verdict: true } } },
    }),
    db.run.count({ where: { cloudId: cloud.id } }),
  ]);
  return toPage(runs.map(listItem), total, page, pageSize);
}

function listItem(r: Run & { results: Array<{ verdict: RunResult['verdict'] }> }): RunListItem {
  const counts = { PASS: 0, FAIL: 0, ABORT: 0 };
  for (const x of r.results) counts[x.verdict]++;
  return {
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    source: sourceName(r.source),
    queuedAt: r.queuedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts,
  };
}

export interface RunDiff {
  previous: { id: string; queuedAt: Date; finishedAt: Date | null } | null;
  changes: Array<{
    testcase: string;
    kind: 'verdict' | 'message' | 'added' | 'removed';
    before: { verdict: string; message: string } | null;
    after: { verdict: string; message: string } | null;
  }>;
  unchanged: number;
}

/** What changed since the previous finished run of the same cloud: verdicts and messages. */
export async function diffWithPrevious(ctx: RequestContext, id: string): Promise<RunDiff> {
  const run = await loadAuthorized(ctx, id, 'run.read', { results: { omit: { evidence: true } } });
  const prev = await db.run.findFirst({
    where: { cloudId: run.cloudId, status: 'finished', queuedAt: { lt: run.queuedAt } },
    orderBy: { queuedAt: 'desc' },
    include: { results: { omit: { evidence: true } } },
  });
  if (!prev) return { previous: null, changes: [], unchanged: 0 };
  return {
    previous: { id: prev.id, queuedAt: prev.queuedAt, finishedAt: prev.finishedAt },
    ...diffResults(prev.results, run.results ?? []),
  };
}

export function diffResults(
  before: Array<Pick<RunResult, 'testcase' | 'verdict' | 'message'>>,
  after: Array<Pick<RunResult, 'testcase' | 'verdict' | 'message'>>,
): Omit<RunDiff, 'previous'> {
  const b = new Map(before.map((r) => [r.testcase, r]));
  const a = new Map(after.map((r) => [r.testcase, r]));
  const ids = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => (ORDER.get(x) ?? 999) - (ORDER.get(y) ?? 999));
  const changes: RunDiff['changes'] = [];
  let unchanged = 0;
  for (const t of ids) {
    const x = b.get(t);
    const y = a.get(t);
    const pick = (r: typeof x) => (r ? { verdict: r.verdict, message: r.message } : null);
    if (!x) changes.push({ testcase: t, kind: 'added', before: null, after: pick(y) });
    else if (!y) changes.push({ testcase: t, kind: 'removed', before: pick(x), after: null });
    else if (x.verdict !== y.verdict) changes.push({ testcase: t, kind: 'verdict', before: pick(x), after: pick(y) });
    else if (x.message !== y.message) changes.push({ testcase: t, kind: 'message', before: pick(x), after: pick(y) });
    else unchanged++;
  }
  return { changes, unchanged };
}

/** The policy's answer for UI affordances (a cancel button) without throwing. */
export function canCancel(actor: Actor, organizationId: string): boolean {
  try {
    authorize(actor, 'run.cancel', { type: 'cloud', organizationId });
    return true;
  } catch {
    return false;
  }
}

export interface CloudRunState {
  schedule: 'off' | 'hourly' | 'daily' | 'weekly';
  nextRunAt: Date | null;
}

/** The cloud's schedule, for the cloud page (its status is lib/compliance's). */
export async function cloudRunState(ctx: RequestContext, cloudId: string): Promise<CloudRunState> {
  const c = await loadCloud(ctx, { id: cloudId }, 'run.read', {
    organizationId: true,
    schedule: true,
    nextRunAt: true,
  });
  return { schedule: c.schedule, nextRunAt: c.nextRunAt };
}
