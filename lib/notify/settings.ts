// What people configure: their own e-mail preferences, their organization's webhooks, and (staff)
// the delivery log. Every function asks the policy.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { db } from '../db';
import { authorize, decide, visibleOrganizationIds, type Actor } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { NotFoundError, ValidationError, parseInput } from '../errors';
import { checkboxSchema } from '../validation';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import type { DeliveryChannel, DeliveryStatus } from '../db';
import { EVENTS, eventOf, kindOf, type NotificationEvent } from './kinds';
import { notifySettings } from './config';
import { smtpConfigured } from './email';
import type { AttemptLog } from './dispatcher';
import { webhookAddressRefusal } from './deliver';
import { newWebhookSecret, sealWebhookSecret } from './secrets';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Preferences {
  statusChanges: boolean;
  attestationExpiry: boolean;
  attestationReviews: boolean;
  isDefault: boolean;
}

function defaults(actor: Actor): Omit<Preferences, 'isDefault'> {
  const staff = actor.role !== 'csp';
  return { statusChanges: !staff, attestationExpiry: !staff, attestationReviews: !staff };
}

export async function getPreferences(ctx: RequestContext): Promise<Preferences> {
  authorize(ctx.actor, 'notification.manage', ctx.actor ? { type: 'user', id: ctx.actor.id } : { type: 'missing' });
  const row = await db.notificationPreference.findUnique({ where: { userId: ctx.actor.id } });
  return row
    ? {
        statusChanges: row.statusChanges,
        attestationExpiry: row.attestationExpiry,
        attestationReviews: row.attestationReviews ?? defaults(ctx.actor).attestationReviews,
        isDefault: false,
      }
    : { ...defaults(ctx.actor), isDefault: true };
}

export const preferencesInput = z.object({
  statusChanges: checkboxSchema.optional().default(false),
  attestationExpiry: checkboxSchema.optional().default(false),
  attestationReviews: checkboxSchema.optional().default(false),
});

export async function setPreferences(ctx: RequestContext, input: unknown): Promise<Preferences> {
  authorize(ctx.actor, 'notification.manage', ctx.actor ? { type: 'user', id: ctx.actor.id } : { type: 'missing' });
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
  /**
   * The events it receives: a list, or the comma-joined values of the form's checkboxes; absent:
   * every event.
   */
  events: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [...EVENTS] : (Array.isArray(v) ? v : v.split(',')).map((e) => e.trim())))
    .transform((v) => v.filter(Boolean))
    .pipe(
      z
        .array(z.enum(EVENTS, { message: `Events are ${EVENTS.join(', ')}.` }))
        .min(1, 'Choose at least one event.')
        .transform((v) => [...new Set(v)]),
    ),
});

export interface WebhookView {
  id: string;
  url: string;
  active: boolean;
  events: NotificationEvent[];
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
    events: h.events.map(eventOf),
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
    authorize(ctx.actor, 'webhook.manage', { type: 'missing' });
    throw new ValidationError({ organization: 'No such organization.' });
  }
  authorize(ctx.actor, 'webhook.manage', org ? { type: 'organization', id: org.id } : { type: 'global' });
  const data = parseInput(webhookInput, input);
  const refused = webhookAddressRefusal(data.url);
  if (refused) throw new ValidationError({ url: `This receiver is refused: ${refused}.` });
  const secret = newWebhookSecret();
  // Sealed before the transaction (the vault may call a KEK provider); bound to the id it gets.
  const id = randomUUID();
  const sealed = await sealWebhookSecret(id, secret);
  const h = await db.$transaction(async (tx) => {
    const created = await tx.webhook.create({
      data: {
        id,
        organizationId: org?.id ?? null,
        url: data.url,
        ...sealed,
        events: data.events.map(kindOf),
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
    webhook: {
      id: h.id,
      url: h.url,
      active: h.active,
      events: h.events.map(eventOf),
      createdAt: h.createdAt,
      organization: org,
    },
    secret,
  };
}

export async function deleteWebhook(ctx: RequestContext, id: string): Promise<void> {
  const h = UUID.test(id) ? await db.webhook.findUnique({ where: { id } }) : null;
  authorize(
    ctx.actor,
    'webhook.manage',
    h?.organizationId ? { type: 'organization', id: h.organizationId } : h ? { type: 'global' } : { type: 'missing' },
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
  channel: DeliveryChannel;
  target: string;
  status: DeliveryStatus;
  /** The status in words: "delivered", "failed", "queued", "not sent". */
  statusText: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  log: AttemptLog[];
  notification: { kind: NotificationEvent; subject: string; cloudSlug: string | null; runId: string | null };
}

export const DELIVERY_STATUS_TEXT: Record<DeliveryStatus, string> = {
  pending: 'queued',
  delivered: 'delivered',
  failed: 'failed',
  held: 'not sent',
  dropped: 'not sent',
};

const CHANNELS = ['email', 'webhook'] as const;
/** The log's status filter: "not sent" covers held and dropped. */
const STATUS_FILTERS: Record<string, DeliveryStatus[]> = {
  queued: ['pending'],
  delivered: ['delivered'],
  failed: ['failed'],
  'not-sent': ['held', 'dropped'],
};

export interface DeliveryLog extends Page<DeliveryView> {
  /** Whether this instance sends e-mail (SMTP_URL), and how many e-mail deliveries wait for it. */
  email: { configured: boolean; held: number; holdHours: number };
}

/** The delivery log (staff), newest first. */
export async function listDeliveries(
  ctx: RequestContext,
  req: PageRequest & { channel?: string; status?: string } = {},
): Promise<DeliveryLog> {
  authorize(ctx.actor, 'webhook.log.read', { type: 'global' });
  const channel = CHANNELS.find((c) => c === req.channel);
  const statuses = req.status ? STATUS_FILTERS[req.status] : undefined;
  const where = { ...(channel ? { channel } : {}), ...(statuses ? { status: { in: statuses } } : {}) };
  const { skip, take, page, pageSize } = pageArgs(req, 50);
  const [rows, total, held] = await Promise.all([
    db.notificationDelivery.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip,
      take,
      include: {
        notification: { select: { kind: true, subject: true, runId: true, cloud: { select: { slug: true } } } },
      },
    }),
    db.notificationDelivery.count({ where }),
    db.notificationDelivery.count({ where: { status: 'held' } }),
  ]);
  return {
    ...toPage(
      rows.map((d) => ({
        id: d.id,
        channel: d.channel,
        target: d.target,
        status: d.status,
        statusText: DELIVERY_STATUS_TEXT[d.status],
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
        createdAt: d.createdAt,
        deliveredAt: d.deliveredAt,
        log: (d.log as unknown as AttemptLog[]) ?? [],
        notification: {
          kind: eventOf(d.notification.kind),
          subject: d.notification.subject,
          cloudSlug: d.notification.cloud?.slug ?? null,
          runId: d.notification.runId,
        },
      })),
      total,
      page,
      pageSize,
    ),
    email: { configured: smtpConfigured(), held, holdHours: notifySettings().emailHoldMs / 3_600_000 },
  };
}
