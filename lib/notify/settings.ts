// What people configure: their own e-mail preferences, their organization's webhooks, and (staff)
// the delivery log. Every function asks the policy.

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db } from '../db';
import { authorize, decide, visibleOrganizationIds, type Actor } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { NotFoundError, ValidationError, parseInput } from '../errors';
import { checkboxSchema } from '../validation';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';

const NO_ID = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Preferences {
  statusChanges: boolean;
  attestationExpiry: boolean;
  isDefault: boolean;
}

function defaults(actor: Actor): Omit<Preferences, 'isDefault'> {
  const staff = actor.role !== 'csp';
  return { statusChanges: !staff, attestationExpiry: !staff };
}

export async function getPreferences(ctx: RequestContext): Promise<Preferences> {
  authorize(ctx.actor, 'notification.manage', { type: 'user', id: ctx.actor?.id ?? NO_ID });
  const row = await db.notificationPreference.findUnique({ where: { userId: ctx.actor.id } });
  return row
    ? { statusChanges: row.statusChanges, attestationExpiry: row.attestationExpiry, isDefault: false }
    : { ...defaults(ctx.actor), isDefault: true };
}

export const preferencesInput = z.object({
  statusChanges: checkboxSchema.optional().default(false),
  attestationExpiry: checkboxSchema.optional().default(false),
});

export async function setPreferences(ctx: RequestContext, input: unknown): Promise<Preferences> {
  authorize(ctx.actor, 'notification.manage', { type: 'user', id: ctx.actor?.id ?? NO_ID });
  const data = parseInput(preferencesInput, input);
  const userId = ctx.actor.id;
  await db.notificationPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data });
  return { ...data, isDefault: false };
}

export const webhookInput = z.object({
  /** The organization's slug; empty for the certification body's own webhook (staff only). */
  organization: z.string().trim().optional().default(''),
  url: z
    .string()
    .trim()
    .url("Enter the receiver's URL.")
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), 'Use an http or https URL.'),
});

export interface WebhookView {
  id: string;
  url: string;
  active: boolean;
  events: string[];
  organization: { id: string; slug: string; name: string } | null;
  createdAt: Date;
}

async function orgBySlug(slug: string) {
  if (!slug) return null;
  const o = await db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  return o;
}

export async function listWebhooks(ctx: RequestContext): Promise<WebhookView[]> {
  if (!ctx.actor) authorize(ctx.actor, 'webhook.manage', { type: 'global' });
  const actor = ctx.actor!;
  const ids = visibleOrganizationIds(actor);
  const candidates = await db.webhook.findMany({
    where: ids ? { organizationId: { in: ids } } : {},
    orderBy: { createdAt: 'desc' },
  });
  // Each hook as the policy sees it: an organization's to those who manage that organization's
  // webhooks, the certification body's own to those who manage global ones.
  const hooks = candidates.filter(
    (h) =>
      decide(
        actor,
        'webhook.manage',
        h.organizationId ? { type: 'organization', id: h.organizationId } : { type: 'global' },
      ) === 'allow',
  );
  const orgs = await db.organization.findMany({
    where: { id: { in: hooks.map((h) => h.organizationId).filter((x): x is string => !!x) } },
    select: { id: true, slug: true, name: true },
  });
  return hooks.map((h) => ({
    id: h.id,
    url: h.url,
    active: h.active,
    events: h.events,
    createdAt: h.createdAt,
    organization: orgs.find((o) => o.id === h.organizationId) ?? null,
  }));
}

/** Creates a webhook; returns its signing secret, which is shown this once. */
export async function createWebhook(
  ctx: RequestContext,
  input: unknown,
): Promise<{ webhook: WebhookView; secret: string }> {
  // The policy answers before the input is judged: a caller who may not manage the organization's
  // webhooks learns nothing from validation messages.
  const orgSlug =
    typeof (input as { organization?: unknown })?.organization === 'string'
      ? String((input as { organization: string }).organization).trim()
      : '';
  const org = await orgBySlug(orgSlug);
  if (orgSlug && !org) {
    authorize(ctx.actor, 'webhook.manage', { type: 'organization', id: NO_ID });
    throw new ValidationError({ organization: 'No such organization.' });
  }
  authorize(ctx.actor, 'webhook.manage', org ? { type: 'organization', id: org.id } : { type: 'global' });
  const data = parseInput(webhookInput, input);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const h = await db.$transaction(async (tx) => {
    // A receiver hears about everything concerning its clouds: status changes and attestation expiry.
    const created = await tx.webhook.create({
      data: {
        organizationId: org?.id ?? null,
        url: data.url,
        secret,
        events: ['status-change', 'attestation-expiry', 'certificate-expiry'],
        createdById: ctx.actor?.id || null,
      },
    });
    await recordAudit(tx, ctx, {
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: created.id,
      organizationId: org?.id ?? null,
      summary: `added a webhook to ${new URL(data.url).host}${org ? ` for ${org.slug}` : ''}`,
    });
    return created;
  });
  return {
    webhook: { id: h.id, url: h.url, active: h.active, events: h.events, createdAt: h.createdAt, organization: org },
    secret,
  };
}

export async function deleteWebhook(ctx: RequestContext, id: string): Promise<void> {
  const h = UUID.test(id) ? await db.webhook.findUnique({ where: { id } }) : null;
  authorize(
    ctx.actor,
    'webhook.manage',
    h?.organizationId
      ? { type: 'organization', id: h.organizationId }
      : h
        ? { type: 'global' }
        : { type: 'organization', id: NO_ID },
  );
  if (!h) throw new NotFoundError('Webhook');
  await db.$transaction(async (tx) => {
    await tx.webhook.delete({ where: { id } });
    await recordAudit(tx, ctx, {
      action: 'webhook.delete',
      targetType: 'webhook',
      targetId: id,
      organizationId: h.organizationId,
      summary: `removed the webhook to ${new URL(h.url).host}`,
    });
  });
}

export interface DeliveryView {
  id: string;
  channel: string;
  target: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  log: Array<{ at: string; ok: boolean; statusCode?: number; error?: string; durationMs: number }>;
  notification: { subject: string; cloudSlug: string; runId: string | null };
}

/** The delivery log (staff). */
export async function listDeliveries(
  ctx: RequestContext,
  req: PageRequest & { channel?: string } = {},
): Promise<Page<DeliveryView>> {
  authorize(ctx.actor, 'webhook.log.read', { type: 'global' });
  const where = req.channel === 'email' || req.channel === 'webhook' ? { channel: req.channel } : {};
  const { skip, take, page, pageSize } = pageArgs(req, 50);
  const [rows, total] = await Promise.all([
    db.notificationDelivery.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      skip,
      take,
      include: { notification: { select: { subject: true, runId: true, cloud: { select: { slug: true } } } } },
    }),
    db.notificationDelivery.count({ where }),
  ]);
  return toPage(
    rows.map((d) => ({
      id: d.id,
      channel: d.channel,
      target: d.target,
      status: d.status,
      attempts: d.attempts,
      lastError: d.lastError,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
      log: (d.log as unknown as DeliveryView['log']) ?? [],
      notification: {
        subject: d.notification.subject,
        cloudSlug: d.notification.cloud.slug,
        runId: d.notification.runId,
      },
    })),
    total,
    page,
    pageSize,
  );
}
