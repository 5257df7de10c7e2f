// runChecks: one run of checks against one cloud. This is the function the server's run worker
// and the CLI both call, so a verdict on the dashboard and on an operator's terminal come from
// the same code path.

import { randomBytes } from 'node:crypto';
import { RunContext } from './context';
import { abort, abortFromError } from './outcome';
import { preflight } from './preflight';
import { selectChecks } from './registry';
import { sweepLeftovers } from './sweep';
import type { CheckDefinition, CheckOutcome, CheckResult, RunOptions, RunReport } from './types';

export async function runChecks(options: RunOptions): Promise<RunReport> {
  const definitions = selectChecks(options.ids, options.cloud);
  const runId = sanitiseRunId(options.runId) ?? randomBytes(4).toString('hex');
  const ctx = new RunContext(options, runId);
  const started = Date.now();
  const results: CheckResult[] = [];
  let sweepEvidence: RunReport['sweepEvidence'] = [];
  let leftovers: RunReport['leftovers'] = [];
  try {
    ctx.emit({ type: 'run-started', runId, namePrefix: ctx.namePrefix, checks: definitions.map((d) => d.id) });
    for (const def of definitions) {
      const result = await runOne(ctx, def);
      results.push(result);
      ctx.emit({ type: 'check-finished', result });
    }
    sweepEvidence = ctx.beginEvidence(null);
    leftovers = await sweepLeftovers(ctx);
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

async function runOne(ctx: RunContext, def: CheckDefinition): Promise<CheckResult> {
  const evidence = ctx.beginEvidence(def.id);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  ctx.emit({ type: 'check-started', id: def.id, title: def.title });
  let outcome: CheckOutcome;
  try {
    if (ctx.signal?.aborted) {
      outcome = abort('The run was cancelled before this check started.', { cancelled: true });
    } else {
      outcome = (def.preflight ? await preflight(ctx) : null) ?? (await def.run(ctx));
    }
  } catch (err) {
    // Anything a check did not handle itself: the check could not reach a verdict.
    outcome = abortFromError(err, `complete ${def.id}`, ctx.http.redactor);
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
