// runChecks: one run of checks against one cloud. This is the function the server's run worker
// and the CLI both call, so a verdict on the dashboard and on an operator's terminal come from
// the same code path.

import { randomBytes } from 'node:crypto';
import { DEFAULT_RUN_LIMITS, RunContext } from './context';
import { abort, abortFromError } from './outcome';
import { preflight } from './preflight';
import { selectChecks } from './registry';
import { sweepLeftovers } from './sweep';
import type { CheckDefinition } from './definition';
import type { CheckOutcome, CheckResult, RunLimits, RunOptions, RunReport } from './types';
import { now as clockNow } from '../clock';

export async function runChecks(options: RunOptions): Promise<RunReport> {
  const definitions = selectChecks(options.ids, options.cloud);
  const runId = sanitiseRunId(options.runId) ?? randomBytes(4).toString('hex');
  const limits = runLimits(options.cloud.limits);
  // The run's deadline stops the checks (not the sweep, which must clean up after them).
  const deadline = AbortSignal.timeout(limits.runMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const ctx = new RunContext({ ...options, signal }, runId, limits);
  const started = Date.now();
  const results: CheckResult[] = [];
  let sweepEvidence: RunReport['sweepEvidence'] = [];
  let leftovers: RunReport['leftovers'] = [];
  let sweepNotes: string[] = [];
  try {
    ctx.emit({ type: 'run-started', runId, namePrefix: ctx.namePrefix, checks: definitions.map((d) => d.id) });
    for (const def of definitions) {
      const result = await runOne(ctx, def, deadline);
      results.push(result);
      ctx.emit({ type: 'check-finished', result });
    }
    sweepEvidence = ctx.beginEvidence(null);
    ({ leftovers, notes: sweepNotes } = await sweepLeftovers(ctx));
    ctx.emit({ type: 'sweep-finished', leftovers });
  } finally {
    await ctx.close();
  }

  let roles: string[] = [];
  let identity: string | null = null;
  let keyManager: string | null = null;
  try {
    if (!ctx.authenticated) throw new Error('not authenticated in this run');
    const session = await ctx.session();
    roles = session.token.roles;
    identity = session.identityUrl;
    const km = await ctx.keyManager();
    keyManager = km.present ? km.endpoint.catalogUrl : null;
  } catch {
    // Authentication failed (or never happened): every result already says why.
  }

  const warnings: string[] = [];
  if (ctx.http.insecure) {
    warnings.push(
      'TLS certificate verification was switched off for this cloud (insecure); results are not protected against interception.',
    );
  }
  const stuck = leftovers.filter((l) => !l.deleted && !l.keptByPolicy);
  if (stuck.length > 0)
    warnings.push(`${stuck.length} test object(s) could not be deleted and remain in the cloud; see leftovers.`);
  warnings.push(...sweepNotes);
  const finished = Date.now();
  return {
    runId,
    namePrefix: ctx.namePrefix,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    results,
    roles,
    region: ctx.region ?? null,
    interface: ctx.iface,
    endpoints: { identity, keyManager },
    leftovers,
    sweepEvidence,
    tls: { verification: ctx.http.insecure ? 'skipped' : 'verified', customCaBundle: Boolean(options.cloud.caBundle) },
    allowPrivateAddresses: ctx.http.allowPrivateAddresses,
    warnings,
  };
}

function runLimits(given: Partial<RunLimits> | undefined): RunLimits {
  const limits = { ...DEFAULT_RUN_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof RunLimits>) {
    const v = given?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) limits[key] = v;
  }
  return limits;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

async function runOne(ctx: RunContext, def: CheckDefinition, deadline: AbortSignal): Promise<CheckResult> {
  const evidence = ctx.beginEvidence(def.id);
  const startedAt = clockNow().toISOString();
  const t0 = performance.now();
  ctx.emit({ type: 'check-started', id: def.id, title: def.title });
  let outcome: CheckOutcome;
  const overdue = (when: string): CheckOutcome =>
    abort(`The run's deadline (${minutes(ctx.limits.runMs)}) passed ${when}; the cloud answered too slowly.`, {
      deadline: true,
      runDeadlineMs: ctx.limits.runMs,
    });
  try {
    if (deadline.aborted) {
      outcome = overdue('before this check started');
    } else if (ctx.signal?.aborted) {
      outcome = abort('The run was cancelled before this check started.', { cancelled: true });
    } else {
      outcome = (def.preflight ? await preflight(ctx) : null) ?? (await def.run(ctx));
      // A check cut short by the deadline reports the deadline, not the request it happened to stop.
      if (deadline.aborted && outcome.verdict === 'ABORT') outcome = overdue('while this check ran');
    }
  } catch (err) {
    // Anything a check did not handle itself: the check could not reach a verdict.
    outcome = deadline.aborted
      ? overdue('while this check ran')
      : abortFromError(err, `complete ${def.id}`, ctx.http.redactor);
  }
  return {
    id: def.id,
    title: def.title,
    clause: def.clause,
    target: def.target,
    lifetime: def.lifetime,
    verdict: outcome.verdict,
    message: ctx.http.redactor.text(outcome.message),
    details: ctx.http.redactor.json(outcome.details ?? {}) as Record<string, unknown>,
    evidence: [...evidence],
    startedAt,
    durationMs: Math.round(performance.now() - t0),
  };
}

function sanitiseRunId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const clean = id
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 24);
  return clean || undefined;
}
