// Delivering notifications: who receives one (planDeliveries) and one attempt at one recipient
// (attemptDelivery). Attempts are logged on the delivery row (the log staff read); the queue
// retries failed attempts with backoff, and the last failure marks the delivery failed.

import { createHmac, randomUUID } from 'node:crypto';
import { db, Prisma } from '../db';
import { HttpClient, describeError } from '../openstack';
import { sendMail, smtpConfigured, type Mail } from './email';

export const SIGNATURE_HEADER = 'X-SCS-Signature';
export const TIMESTAMP_HEADER = 'X-SCS-Timestamp';

/** HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed "sha256=" (the receiver recomputes it). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function publicUrl(): string {
  return (process.env.PUBLIC_URL || process.env.AUTH_URL || 'http://localhost:3000').replace(/\/$/, '');
}

/**
 * Users who asked for this kind of e-mail about this organization's clouds (CSP members default
 * yes, staff default no): status changes, or expiry reminders (attestations, certificates).
 */
async function subscribedUsers(organizationId: string, kind: string): Promise<string[]> {
  // Expiry reminders (attestations, certificates) follow the "expiry" preference.
  const wants = Prisma.raw(kind === 'status-change' ? 'p."statusChanges"' : 'p."attestationExpiry"');
  const rows = await db.$queryRaw<Array<{ email: string }>>`
    SELECT u.email FROM "User" u
    LEFT JOIN "NotificationPreference" p ON p."userId" = u.id
    WHERE u.active AND (
      (u.role = 'csp' AND EXISTS (SELECT 1 FROM "Membership" m WHERE m."userId" = u.id AND m."organizationId" = ${organizationId}::uuid) AND COALESCE(${wants}, true))
      OR (u.role IN ('admin', 'reviewer') AND COALESCE(${wants}, false))
    )`;
  return rows.map((r) => r.email);
}

/** Creates one delivery per recipient of a notification; returns their ids (for the queue). */
export async function planDeliveries(notificationId: string): Promise<string[]> {
  const n = await db.notification.findUniqueOrThrow({
    where: { id: notificationId },
    include: { cloud: { include: { organization: true } }, deliveries: { select: { id: true } } },
  });
  if (n.deliveries.length > 0) return []; // planned already (a retried job)
  const emails = new Set<string>();
  if (smtpConfigured()) {
    for (const e of [
      ...n.cloud.organization.contactEmails,
      ...n.cloud.contactEmails,
      ...(await subscribedUsers(n.cloud.organizationId, n.kind)),
    ])
      emails.add(e.toLowerCase());
  }
  const hooks = await db.webhook.findMany({
    where: {
      active: true,
      events: { has: n.kind },
      OR: [{ organizationId: n.cloud.organizationId }, { organizationId: null }],
    },
  });
  const rows: Prisma.NotificationDeliveryCreateManyInput[] = [
    ...[...emails].map((target) => ({ id: randomUUID(), notificationId, channel: 'email', target })),
    ...hooks.map((h) => ({ id: randomUUID(), notificationId, channel: 'webhook', target: h.url, webhookId: h.id })),
  ];
  if (rows.length) await db.notificationDelivery.createMany({ data: rows });
  return rows.map((r) => r.id!);
}

interface AttemptLog {
  at: string;
  ok: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/**
 * One attempt. Throws when it failed and more attempts may follow (the queue retries with
 * backoff); on the last attempt the delivery is marked failed instead.
 */
export async function attemptDelivery(
  deliveryId: string,
  opts: { lastAttempt: boolean; mailer?: (m: Mail) => Promise<void> },
): Promise<'delivered' | 'failed' | 'skipped'> {
  const d = await db.notificationDelivery.findUnique({
    where: { id: deliveryId },
    include: {
      webhook: true,
      notification: { include: { cloud: { include: { organization: { select: { slug: true, name: true } } } } } },
    },
  });
  if (!d || d.status !== 'pending') return 'skipped';
  const n = d.notification;
  const t0 = Date.now();
  let entry: AttemptLog;
  try {
    if (d.channel === 'email') {
      const runLink = n.runId ? `${publicUrl()}/runs/${n.runId}` : `${publicUrl()}/clouds/${n.cloud.slug}`;
      await (opts.mailer ?? sendMail)({
        to: d.target,
        subject: `[SCS key manager] ${n.subject}`,
        text: `${n.body}\n\nDetails: ${runLink}\n\nYou receive this as a contact of ${n.cloud.organization.name} or because you subscribed; change what you receive at ${publicUrl()}/settings/notifications.\n`,
      });
      entry = { at: new Date(t0).toISOString(), ok: true, durationMs: Date.now() - t0 };
    } else {
      if (!d.webhook || !d.webhook.active) throw new Error('the webhook was removed or switched off');
      const timestamp = String(Math.floor(Date.now() / 1000));
      const body = JSON.stringify({
        event: n.kind,
        deliveryId: d.id,
        notificationId: n.id,
        at: n.createdAt.toISOString(),
        cloud: { slug: n.cloud.slug, name: n.cloud.name },
        organization: { slug: n.cloud.organization.slug },
        from: n.fromStatus,
        to: n.toStatus,
        // The message's facts (a status change: the official SCS verdict before and after, the version).
        ...(n.data !== null ? { data: n.data } : {}),
        subject: n.subject,
        message: n.body,
        run: n.runId ? { id: n.runId, url: `${publicUrl()}/runs/${n.runId}` } : null,
      });
      const http = new HttpClient({
        timeouts: { connectMs: 5_000, headersMs: 10_000, bodyMs: 10_000 },
        allowPrivateAddresses: process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES === 'true',
      });
      try {
        const res = await http.request({
          service: 'webhook',
          method: 'POST',
          url: d.webhook.url,
          body,
          headers: {
            'Content-Type': 'application/json',
            'X-SCS-Event': n.kind,
            'X-SCS-Delivery': d.id,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(d.webhook.secret, timestamp, body),
          },
        });
        entry = {
          at: new Date(t0).toISOString(),
          ok: res.status >= 200 && res.status < 300,
          statusCode: res.status,
          durationMs: Date.now() - t0,
        };
        if (!entry.ok) entry.error = `the receiver answered ${res.status}`;
      } finally {
        await http.close();
      }
    }
  } catch (err) {
    entry = {
      at: new Date(t0).toISOString(),
      ok: false,
      error: describeError(err).slice(0, 500),
      durationMs: Date.now() - t0,
    };
  }
  const log = [...((d.log as unknown as AttemptLog[]) ?? []), entry];
  const status = entry.ok ? 'delivered' : opts.lastAttempt ? 'failed' : 'pending';
  await db.notificationDelivery.update({
    where: { id: d.id },
    data: {
      attempts: { increment: 1 },
      log: log as unknown as Prisma.InputJsonValue,
      status,
      lastError: entry.ok ? null : entry.error,
      deliveredAt: entry.ok ? new Date() : null,
    },
  });
  if (status === 'pending') throw new Error(`delivery ${d.id} failed (${entry.error}); will retry`);
  return status === 'delivered' ? 'delivered' : 'failed';
}
