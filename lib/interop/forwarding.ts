// Forwarding a cloud's finished runs to an SCS compliance monitor (optional, per cloud, set by staff):
// each run's report in the monitor's format, signed with the instance key, POSTed to <url>/reports as the
// official runner does (Content-Type application/x-signed-yaml, Basic <account>:<API key>), through the
// one HTTP layer. The API key is sealed by the vault and never shown again.
//
// Its own small queue: one MonitorDelivery row per forwarded run (unique per run), with its attempts in
// `log`. `planForwarding` adds rows for finished runs (only those that finished after forwarding was
// switched on); `deliverDue` sends the rows that are due, with backoff, and marks them delivered (200, or
// 409: the monitor has that run already) or, after MAX_ATTEMPTS, failed. The worker calls both every
// minute and right after each finished run; staff can retry a failed delivery.

import { z } from 'zod';
import { config } from '../config';
import { db, type Prisma } from '../db';
import { authorize, systemActor } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { NotFoundError, ValidationError, parseInput } from '../errors';
import { HttpClient, Redactor, describeError } from '../openstack';
import { fingerprint } from '../vault';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import { getRun } from '../runs';
import { scsSubjectSchema } from '../clouds';
import { signedBody, signedReportOf } from './downloads';
import { openSecret, sealSecret } from './sealed';
import { SIGNED_YAML } from './upload';
import { cloudResource, loadCloud, loadFor } from '../resources';
import { now as clockNow } from '../clock';

export const MAX_ATTEMPTS = 8;
/** Minutes to wait after attempt n (1-based) failed. */
const BACKOFF_MINUTES = [1, 2, 5, 15, 30, 60, 180];
const SYSTEM: RequestContext = { actor: systemActor('forwarding'), clientAddress: null, via: 'forwarding' };

/** The URL, or null when it is none (zod runs every refinement, also after .url() failed). */
function urlOf(u: string): URL | null {
  try {
    return new URL(u);
  } catch {
    return null;
  }
}

export const forwardingInput = z.object({
  url: z
    .string()
    .trim()
    .max(500)
    .url('The monitor URL, e.g. https://compliance.sovereignit.cloud/.')
    .refine((u) => !urlOf(u) || /^https?:$/.test(urlOf(u)!.protocol), 'http:// or https:// only.')
    .refine((u) => !urlOf(u)?.username && !urlOf(u)?.password, 'No credentials in the URL: use account and API key.'),
  account: scsSubjectSchema.optional().default(''),
  apiKey: z.string().trim().max(500).optional().default(''),
  enabled: z
    .preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean())
    .optional()
    .default(true),
});

export interface ForwardingView {
  url: string;
  account: string;
  enabled: boolean;
  enabledAt: Date;
  apiKeyFingerprint: string;
  updatedAt: Date;
  updatedBy: string;
  /** Deliveries by state. */
  counts: { pending: number; delivered: number; failed: number };
}

async function cloudFor(ctx: RequestContext, slug: string, action: 'forwarding.read' | 'forwarding.manage') {
  return loadCloud(ctx, { slug }, action, { id: true, slug: true, scsSubject: true, organizationId: true });
}

/** The monitor's /reports URL: the runner appends "reports" to the monitor URL with a trailing slash. */
export function reportsUrl(monitorUrl: string): string {
  return `${monitorUrl.endsWith('/') ? monitorUrl : `${monitorUrl}/`}reports`;
}

export async function getForwarding(ctx: RequestContext, slug: string): Promise<ForwardingView | null> {
  const cloud = await cloudFor(ctx, slug, 'forwarding.read');
  const f = await db.monitorForwarding.findUnique({ where: { cloudId: cloud.id } });
  if (!f) return null;
  const groups = await db.monitorDelivery.groupBy({
    by: ['status'],
    where: { cloudId: cloud.id },
    _count: { _all: true },
  });
  const counts = { pending: 0, delivered: 0, failed: 0 };
  for (const g of groups) counts[g.status] = g._count._all;
  return {
    url: f.url,
    account: f.account,
    enabled: f.enabled,
    enabledAt: f.enabledAt,
    apiKeyFingerprint: f.apiKeyFingerprint,
    updatedAt: f.updatedAt,
    updatedBy: f.updatedByLabel,
    counts,
  };
}

/** Set (or change) forwarding; the API key may be left empty to keep the stored one. Audited. */
export async function setForwarding(ctx: RequestContext, slug: string, input: unknown): Promise<ForwardingView> {
  const cloud = await cloudFor(ctx, slug, 'forwarding.manage');
  const data = parseInput(forwardingInput, input);
  const account = data.account || cloud.scsSubject || cloud.slug;
  const now = clockNow();
  await db.$transaction(async (tx) => {
    const current = await tx.monitorForwarding.findUnique({ where: { cloudId: cloud.id } });
    if (!current && !data.apiKey) throw new ValidationError({ apiKey: "The monitor account's API key is required." });
    let apiKeyId = current?.apiKeyId;
    let apiKeyFingerprint = current?.apiKeyFingerprint ?? '';
    if (data.apiKey) {
      const plain = Buffer.from(data.apiKey, 'utf8');
      try {
        apiKeyId = await sealSecret(tx, 'monitor-api-key', cloud.id, plain);
      } finally {
        plain.fill(0);
      }
      apiKeyFingerprint = fingerprint(data.apiKey);
    }
    // Switching it on (again) forwards runs from now on, not the cloud's whole past.
    const enabledAt = data.enabled && !(current?.enabled ?? false) ? now : (current?.enabledAt ?? now);
    const row = {
      url: data.url,
      account,
      apiKeyId: apiKeyId!,
      apiKeyFingerprint,
      enabled: data.enabled,
      enabledAt,
      updatedById: ctx.actor?.id || null,
      updatedByLabel: ctx.actor?.email ?? 'system',
    };
    await tx.monitorForwarding.upsert({
      where: { cloudId: cloud.id },
      create: { cloudId: cloud.id, ...row },
      update: row,
    });
    await recordAudit(tx, ctx, {
      action: 'forwarding.set',
      targetType: 'cloud',
      targetId: cloud.slug,
      organizationId: cloud.organizationId,
      summary: `${data.enabled ? 'forwards' : 'stopped forwarding'} runs of ${cloud.slug} to the compliance monitor ${data.url} as ${account}${data.apiKey ? ` (API key …${apiKeyFingerprint} set)` : ''}`,
    });
  });
  return (await getForwarding(ctx, slug))!;
}

export async function removeForwarding(ctx: RequestContext, slug: string): Promise<void> {
  const cloud = await cloudFor(ctx, slug, 'forwarding.manage');
  await db.$transaction(async (tx) => {
    const f = await tx.monitorForwarding.findUnique({ where: { cloudId: cloud.id } });
    if (!f) throw new NotFoundError('Forwarding');
    await tx.monitorForwarding.delete({ where: { cloudId: cloud.id } });
    await tx.sealedSecret.deleteMany({ where: { purpose: 'monitor-api-key', ownerId: cloud.id } });
    // Deliveries not yet made are dropped with it; the log of the others stays.
    await tx.monitorDelivery.deleteMany({ where: { cloudId: cloud.id, status: 'pending' } });
    await recordAudit(tx, ctx, {
      action: 'forwarding.remove',
      targetType: 'cloud',
      targetId: cloud.slug,
      organizationId: cloud.organizationId,
      summary: `removed forwarding of ${cloud.slug} to ${f.url} (its API key was deleted)`,
    });
  });
}

/**
 * Adds a delivery for every finished run of our own checks that a switched-on forwarding has not
 * seen yet (those that finished after it was switched on). `runId`: only that run. Returns how many.
 */
export async function planForwarding(runId?: string): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "MonitorDelivery" (id, "cloudId", "runId", url, account, "nextAttemptAt")
    SELECT gen_random_uuid(), r."cloudId", r.id, f.url, f.account, now()
      FROM "Run" r JOIN "MonitorForwarding" f ON f."cloudId" = r."cloudId"
     WHERE f.enabled AND r.status = 'finished' AND r.source = 'dashboard' AND r."finishedAt" >= f."enabledAt"
       AND (${runId ?? null}::uuid IS NULL OR r.id = ${runId ?? null}::uuid)
       AND NOT EXISTS (SELECT 1 FROM "MonitorDelivery" d WHERE d."runId" = r.id)
    ON CONFLICT ("runId") DO NOTHING`;
}

interface AttemptLog {
  at: string;
  ok: boolean;
  statusCode?: number;
  error?: string;
  /** The monitor's answer (its `detail`), shortened. */
  answer?: string;
  durationMs: number;
}

/** Claims due deliveries (a row at a time per process: SKIP LOCKED) and attempts each once. */
export async function deliverDue(now = clockNow(), opts: { limit?: number; runId?: string } = {}): Promise<number> {
  let done = 0;
  for (let i = 0; i < (opts.limit ?? 50); i++) {
    // The claim pushes nextAttemptAt out, so another process (or a crash) does not attempt it twice at once.
    const [claimed] = await db.$queryRaw<Array<{ id: string }>>`
      UPDATE "MonitorDelivery" SET "nextAttemptAt" = ${new Date(now.getTime() + 10 * 60_000)}
       WHERE id = (SELECT id FROM "MonitorDelivery"
                    WHERE status = 'pending' AND "nextAttemptAt" <= ${now}
                      AND (${opts.runId ?? null}::uuid IS NULL OR "runId" = ${opts.runId ?? null}::uuid)
                    ORDER BY "nextAttemptAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id`;
    if (!claimed) break;
    await attempt(claimed.id, now);
    done++;
  }
  return done;
}

async function attempt(id: string, now: Date): Promise<void> {
  const d = await db.monitorDelivery.findUniqueOrThrow({ where: { id } });
  const t0 = Date.now();
  const redactor = new Redactor();
  let entry: AttemptLog;
  let apiKey: Buffer | null = null;
  const http = new HttpClient({
    redactor,
    timeouts: { connectMs: 10_000, headersMs: 60_000, bodyMs: 30_000 },
    maxBodyBytes: 64 * 1024,
    allowPrivateAddresses: config().MONITOR_ALLOW_PRIVATE_ADDRESSES,
  });
  try {
    apiKey = await openSecret('monitor-api-key', d.cloudId);
    if (!apiKey) throw new Error('forwarding was removed (no API key is stored)');
    const key = apiKey.toString('utf8');
    redactor.addSecret(key);
    const run = await getRun(SYSTEM, d.runId);
    const body = signedBody(await signedReportOf(run));
    const basic = Buffer.from(`${d.account}:${key}`).toString('base64');
    redactor.addSecret(basic);
    const res = await http.request({
      service: 'compliance-monitor',
      method: 'POST',
      url: reportsUrl(d.url),
      body,
      headers: { 'Content-Type': SIGNED_YAML, Authorization: `Basic ${basic}`, Accept: 'application/json' },
    });
    const answer = redactor.text(res.text()).slice(0, 300);
    // 409: the monitor has this run (an earlier attempt got through but its answer was lost).
    const ok = res.status === 200 || res.status === 409;
    entry = { at: new Date(t0).toISOString(), ok, statusCode: res.status, answer, durationMs: Date.now() - t0 };
    if (!ok) entry.error = `the monitor answered ${res.status}`;
  } catch (err) {
    entry = {
      at: new Date(t0).toISOString(),
      ok: false,
      error: redactor.text(describeError(err)).slice(0, 500),
      durationMs: Date.now() - t0,
    };
  } finally {
    apiKey?.fill(0);
    await http.close();
  }
  const attempts = d.attempts + 1;
  const log = [...((d.log as unknown as AttemptLog[]) ?? []), entry];
  const status = entry.ok ? 'delivered' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
  const wait = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1]!;
  await db.monitorDelivery.update({
    where: { id },
    data: {
      attempts,
      log: log as unknown as Prisma.InputJsonValue,
      status,
      lastError: entry.ok ? null : entry.error,
      deliveredAt: entry.ok ? clockNow() : null,
      nextAttemptAt: status === 'pending' ? new Date(now.getTime() + wait * 60_000) : null,
    },
  });
}

/** Right after a run finished: plan and send its delivery (best effort; the minute job catches up). */
export async function forwardFinishedRun(runId: string): Promise<void> {
  if ((await planForwarding(runId)) > 0) await deliverDue(clockNow(), { runId, limit: 1 });
}

export interface DeliveryView {
  id: string;
  cloud: string;
  runId: string;
  url: string;
  account: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  log: AttemptLog[];
}

/** The forwarding log: one cloud's deliveries (who sees the cloud), or every cloud's (staff). Newest first. */
export async function listDeliveries(
  ctx: RequestContext,
  req: PageRequest & { cloud?: string; status?: string } = {},
): Promise<Page<DeliveryView>> {
  let where: Prisma.MonitorDeliveryWhereInput = {};
  if (req.cloud) {
    const cloud = await cloudFor(ctx, req.cloud, 'forwarding.read');
    where = { cloudId: cloud.id };
  } else {
    authorize(ctx.actor, 'webhook.log.read', { type: 'global' });
  }
  if (req.status === 'pending' || req.status === 'delivered' || req.status === 'failed')
    where = { ...where, status: req.status };
  const { skip, take, page, pageSize } = pageArgs(req);
  const [rows, total] = await Promise.all([
    db.monitorDelivery.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip,
      take,
      include: { cloud: { select: { slug: true } } },
    }),
    db.monitorDelivery.count({ where }),
  ]);
  return toPage(
    rows.map((r) => ({
      id: r.id,
      cloud: r.cloud.slug,
      runId: r.runId,
      url: r.url,
      account: r.account,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt,
      lastError: r.lastError,
      createdAt: r.createdAt,
      deliveredAt: r.deliveredAt,
      log: (r.log as unknown as AttemptLog[]) ?? [],
    })),
    total,
    page,
    pageSize,
  );
}

/** Staff send a failed (or waiting) delivery again now; audited. */
export async function retryDelivery(ctx: RequestContext, id: string): Promise<void> {
  const d = await loadFor(
    ctx,
    'forwarding.manage',
    'Delivery',
    z.string().uuid().safeParse(id).success
      ? db.monitorDelivery.findUnique({ where: { id }, include: { cloud: true } })
      : null,
    (x) => cloudResource(x.cloud),
  );
  if (d.status === 'delivered') return;
  await db.$transaction(async (tx) => {
    await tx.monitorDelivery.update({
      where: { id },
      data: { status: 'pending', nextAttemptAt: clockNow(), attempts: Math.min(d.attempts, MAX_ATTEMPTS - 1) },
    });
    await recordAudit(tx, ctx, {
      action: 'forwarding.retry',
      targetType: 'cloud',
      targetId: d.cloud.slug,
      organizationId: d.cloud.organizationId,
      summary: `sent the report of run ${d.runId} to ${d.url} again`,
    });
  });
  await deliverDue(clockNow(), { runId: d.runId, limit: 1 });
}
