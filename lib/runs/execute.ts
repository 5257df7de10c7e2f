// Executing one run: claim it (at most once, whatever the queue delivers), resolve the cloud's
// configuration through the injected resolver, sweep leftovers of interrupted runs, call
// runChecks with the run's id, persist every result (with its redacted evidence) as soon as its
// check finishes, publish progress, and finish: status and report, then the cloud's stored
// compliance snapshot (lib/compliance/snapshot.ts), which queues a status-change message in the same
// transaction when the cloud's status changed.

import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { db, Prisma } from '../db';
import { refreshWhere } from '../compliance/snapshot';
import { normalizeAuthUrl, normalizeRegion } from '../compliance/certified-endpoint';
import { CHECKS, RUN_NAME_PREFIX, runChecks, selectChecks } from '../checks';
import type { CheckResult, CloudConfig, Evidence, RunEvent, RunReport } from '../checks/types';
import { NoCredentialError, type CloudConfigResolver } from './cloud-config';
import { RunHeartbeat } from './heartbeat';
import { sweepEarlierRuns, type EarlierSweep } from './sweep-earlier';
import type { RunProgress } from './service';
import { now as clockNow } from '../clock';

export interface ExecuteDeps {
  resolver: CloudConfigResolver;
  heartbeat: RunHeartbeat;
  workerId?: string;
  /** Called once the run's snapshot is stored: a status change may wait in the outbox (lib/jobs hands it over). */
  onStatusStored?: () => Promise<void> | void;
  log?: (line: string) => void;
  /** Minimum time between two progress writes of one run (the step text changes per request). */
  progressThrottleMs?: number;
}

export type ExecuteOutcome = 'finished' | 'cancelled' | 'interrupted' | 'skipped';

export function defaultWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The object-name prefix of a run, derived from its id (so it is known before anything is created). */
export function namePrefixOf(runId: string): { runKey: string; namePrefix: string } {
  const runKey = runId.replace(/-/g, '').toLowerCase().slice(0, 24);
  return { runKey, namePrefix: `${RUN_NAME_PREFIX}${runKey}-` };
}

export async function executeRun(runId: string, deps: ExecuteDeps): Promise<ExecuteOutcome> {
  const log = deps.log ?? (() => {});
  const workerId = deps.workerId ?? defaultWorkerId();
  const { runKey, namePrefix } = namePrefixOf(runId);
  // The claim: only a queued run can start, so a job delivered twice runs once.
  const claimed = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "Run" SET status = 'running', "startedAt" = now(), "heartbeatAt" = now(), "workerId" = ${workerId},
      claims = claims + 1, "namePrefix" = ${namePrefix}
    WHERE id = ${runId}::uuid AND status = 'queued' RETURNING id::text AS id`;
  if (claimed.length === 0) return 'skipped';
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: { cloud: { select: { id: true, slug: true, region: true } } },
  });

  const controller = new AbortController();
  deps.heartbeat.register(runId, controller);
  const progress = new ProgressWriter(runId, deps.progressThrottleMs ?? 500);
  try {
    let config: CloudConfig;
    try {
      config = await deps.resolver({ id: run.cloud.id, slug: run.cloud.slug, region: run.cloud.region });
      // The credential's region wins; the cloud's region (RegionOne by default) fills the gap.
      config = { ...config, region: config.region || run.cloud.region };
    } catch (err) {
      return await finishWithoutConfig(run, err, deps, log);
    }
    // The endpoint this run tests: whether its results count is decided against the cloud's
    // certified endpoint (lib/compliance/certified-endpoint.ts).
    await db.run.update({
      where: { id: runId },
      data: { authUrl: normalizeAuthUrl(config.auth.authUrl), region: normalizeRegion(config.region) },
    });

    const secrets = secretValues(config);
    const ids = run.testcases.length ? run.testcases : undefined;
    const planned = selectChecks(ids, config);
    progress.set({
      total: planned.length,
      done: 0,
      current: null,
      step: null,
      checks: planned.map((c) => ({ id: c.id, title: c.title })),
    });

    let earlier: EarlierSweep | null = null;
    try {
      progress.patch({ step: 'Looking for leftovers of interrupted runs' });
      earlier = await sweepEarlierRuns(run.cloudId, config, runId, controller.signal);
    } catch (err) {
      log(`run ${runId}: sweep of interrupted runs failed: ${err instanceof Error ? err.name : 'error'}`);
    }

    const persisting = new Persister();
    const onEvent = (e: RunEvent) => {
      switch (e.type) {
        case 'run-started':
          if (e.namePrefix !== namePrefix)
            log(`run ${runId}: name prefix ${e.namePrefix} differs from the stored ${namePrefix}`);
          break;
        case 'check-started':
          progress.patch({ current: { id: e.id, title: e.title }, step: null });
          break;
        case 'exchange':
          progress.patch({ step: stepText(e.evidence) });
          break;
        case 'check-finished': {
          const result = e.result;
          persisting.add(() => saveResult(run.id, run.cloudId, result, secrets));
          progress.patch({ done: (progress.value?.done ?? 0) + 1, current: null, step: null }, true);
          break;
        }
        case 'sweep-finished':
          progress.patch({ current: null, step: 'Cleaning up' });
          break;
      }
    };

    let report: RunReport;
    try {
      report = await runChecks({ cloud: config, ids, runId: runKey, signal: controller.signal, onEvent });
    } catch (err) {
      await persisting.done();
      await progress.flush();
      const message = `The run stopped on an internal error (${err instanceof Error ? err.name : 'error'}); see the worker log.`;
      log(`run ${runId}: runChecks threw: ${err instanceof Error ? err.stack : String(err)}`);
      await db.run.updateMany({
        where: { id: runId, status: 'running' },
        data: { status: 'interrupted', finishedAt: clockNow(), error: message },
      });
      await notifyProgress(runId);
      return 'interrupted';
    }
    await persisting.done();
    await progress.flush();

    const cancelled = controller.signal.aborted;
    const extras = scrub(
      {
        region: report.region,
        interface: report.interface,
        endpoints: report.endpoints,
        leftovers: report.leftovers,
        sweepEvidence: report.sweepEvidence,
        tls: report.tls,
        allowPrivateAddresses: report.allowPrivateAddresses,
        warnings: report.warnings,
        durationMs: report.durationMs,
        earlierRuns: earlier
          ? {
              runs: earlier.runs,
              found: earlier.found,
              complete: earlier.complete,
              error: earlier.error ?? null,
              evidence: earlier.evidence,
            }
          : null,
      },
      secrets,
    );
    await finish(run, {
      status: cancelled ? 'cancelled' : 'finished',
      roles: report.roles,
      report: extras as unknown as Prisma.InputJsonValue,
      error: cancelled ? 'Cancelled by staff while running; the checks that had not started are ABORT.' : null,
    });
    await deps.onStatusStored?.();
    return cancelled ? 'cancelled' : 'finished';
  } finally {
    deps.heartbeat.unregister(runId);
    progress.stop();
  }
}

type ClaimedRun = {
  id: string;
  cloudId: string;
  testcases: string[];
  cloud: { slug: string };
};

/**
 * No configuration for this cloud. An ABORT result per testcase that would have run, saying why:
 * SCS's word for "no verdict could be reached". The cloud's history then shows that testing
 * stopped, and its status turns ABORT (notified once) instead of showing an old PASS as current.
 */
async function finishWithoutConfig(
  run: ClaimedRun,
  err: unknown,
  deps: ExecuteDeps,
  log: (l: string) => void,
): Promise<ExecuteOutcome> {
  const message =
    err instanceof NoCredentialError
      ? err.message
      : 'The credential of this cloud could not be loaded; staff have the details in the worker log.';
  if (!(err instanceof NoCredentialError))
    log(
      `run ${run.id}: resolving the cloud configuration failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'error'}`,
    );
  const ids = run.testcases.length ? run.testcases : CHECKS.filter((c) => !c.persona).map((c) => c.id);
  const now = clockNow();
  await db.runResult.createMany({
    data: ids.map((testcase) => ({
      runId: run.id,
      cloudId: run.cloudId,
      testcase,
      verdict: 'ABORT' as const,
      message,
      durationMs: 0,
      checkedAt: now,
      details: { reason: err instanceof NoCredentialError ? 'no-credential' : 'credential-unreadable' },
    })),
    skipDuplicates: true,
  });
  await finish(run, { status: 'finished', roles: [], report: { noCredential: true }, error: message });
  await deps.onStatusStored?.();
  return 'finished';
}

async function finish(
  run: ClaimedRun,
  end: { status: 'finished' | 'cancelled'; roles: string[]; report: Prisma.InputJsonValue; error: string | null },
): Promise<void> {
  await db.run.updateMany({
    where: { id: run.id, status: 'running' },
    data: { status: end.status, finishedAt: clockNow(), roles: end.roles, report: end.report, error: end.error },
  });
  await notifyProgress(run.id);
  // Store the cloud's new compliance now, in the worker, so that pages seldom have to; a change of
  // its status is queued for notification in that same transaction. Best effort: any later reader
  // recomputes a stale snapshot (and queues the change) anyway.
  await refreshWhere(Prisma.sql`c.id = ${run.cloudId}::uuid`).catch(() => {});
}

async function saveResult(runId: string, cloudId: string, r: CheckResult, secrets: string[]): Promise<void> {
  const clean = scrub({ message: r.message, details: r.details, evidence: r.evidence }, secrets);
  await db.runResult.upsert({
    where: { runId_testcase: { runId, testcase: r.id } },
    create: {
      runId,
      cloudId,
      testcase: r.id,
      verdict: r.verdict,
      message: clean.message,
      details: clean.details as Prisma.InputJsonValue,
      durationMs: r.durationMs,
      checkedAt: new Date(r.startedAt),
      evidence: clean.evidence as unknown as Prisma.InputJsonValue,
    },
    update: {},
  });
}

/** Every secret value of the configuration, for a last by-value scrub before anything is stored. */
function secretValues(config: CloudConfig): string[] {
  const out: string[] = [];
  const add = (a: CloudConfig['auth'] | undefined) => {
    if (!a) return;
    const rec = a as unknown as Record<string, unknown>;
    for (const k of ['password', 'applicationCredentialSecret', 'token'])
      if (typeof rec[k] === 'string' && (rec[k] as string).length >= 4) out.push(rec[k] as string);
  };
  add(config.auth);
  add(config.personas?.reader);
  add(config.personas?.otherProject);
  return out;
}

function scrub<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  let text = JSON.stringify(value);
  let hit = false;
  for (const s of secrets) {
    const enc = JSON.stringify(s).slice(1, -1);
    if (text.includes(enc)) {
      hit = true;
      text = text.split(enc).join('[REDACTED]');
    }
  }
  return hit ? (JSON.parse(text) as T) : value;
}

function stepText(e: Evidence): string {
  let path = e.url;
  try {
    path = new URL(e.url).pathname;
  } catch {
    // keep as is (already redacted by the HTTP layer)
  }
  return `${e.method} ${e.service} ${path}${e.status === null ? ' (no answer)' : ` → ${e.status}`}`;
}

/** Result inserts in order, off the check's hot path; errors surface when the run ends. */
class Persister {
  private chain: Promise<void> = Promise.resolve();
  private error: unknown = null;
  add(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err) => {
      this.error ??= err;
    });
  }
  async done(): Promise<void> {
    await this.chain;
    if (this.error) throw this.error;
  }
}

/** Writes progress to the run row at most every throttleMs (immediately when forced) and pings listeners. */
class ProgressWriter {
  value: RunProgress | null = null;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;
  constructor(
    private readonly runId: string,
    private readonly throttleMs: number,
  ) {}

  set(v: RunProgress): void {
    this.value = v;
    this.schedule(true);
  }

  patch(p: Partial<RunProgress>, force = false): void {
    if (!this.value) return;
    this.value = { ...this.value, ...p };
    this.schedule(force);
  }

  private schedule(force: boolean): void {
    this.dirty = true;
    if (this.stopped) return;
    const wait = force ? 0 : Math.max(0, this.last + this.throttleMs - Date.now());
    if (wait === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.write();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.write();
      }, wait);
      this.timer.unref();
    }
  }

  private write(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.dirty || !this.value) return;
      this.dirty = false;
      this.last = Date.now();
      const json = JSON.stringify(this.value);
      try {
        await db.$executeRaw`
          WITH u AS (UPDATE "Run" SET progress = ${json}::jsonb WHERE id = ${this.runId}::uuid AND status = 'running' RETURNING id)
          SELECT pg_notify('run_progress', id::text) FROM u`;
      } catch {
        // progress is best effort; the results are what counts
      }
    });
    return this.writing;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.write();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Tell live-progress listeners (any process) that a run changed. */
export async function notifyProgress(runId: string): Promise<void> {
  try {
    await db.$executeRaw`SELECT pg_notify('run_progress', ${runId})`;
  } catch {
    // best effort
  }
}
