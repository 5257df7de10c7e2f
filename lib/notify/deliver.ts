// One attempt at one recipient: an e-mail over SMTP or a signed webhook POST through the one HTTP
// layer (timeouts, address guard). The dispatcher decides when to attempt and what an outcome means.

import { createHmac } from 'node:crypto';
import { HttpClient, describeError } from '../openstack';
import { sendMail, type Mail } from './email';
import { eventOf } from './kinds';
import type { NotificationKind } from '../db';

export const SIGNATURE_HEADER = 'X-SCS-Signature';
export const TIMESTAMP_HEADER = 'X-SCS-Timestamp';

/** HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed "sha256=" (the receiver recomputes it). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function publicUrl(): string {
  return (process.env.PUBLIC_URL || process.env.AUTH_URL || 'http://localhost:3000').replace(/\/$/, '');
}

/** What an attempt needs to know of its notification. */
export interface Message {
  id: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  runId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  createdAt: Date;
  organization: { slug: string; name: string };
  cloud: { slug: string; name: string } | null;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode?: number;
  error?: string;
  /** The receiver asked for this pause before the next attempt (Retry-After). */
  retryAfterMs?: number;
}

function detailsLink(m: Message): string {
  if (m.runId) return `${publicUrl()}/runs/${m.runId}`;
  if (m.cloud) return `${publicUrl()}/clouds/${m.cloud.slug}`;
  return `${publicUrl()}/`;
}

/** The e-mail every recipient of a notification gets (its text is what users see: keep it stable). */
export function mailOf(m: Message, to: string): Mail {
  return {
    to,
    subject: `[SCS key manager] ${m.subject}`,
    text: `${m.body}\n\nDetails: ${detailsLink(m)}\n\nYou receive this as a contact of ${m.organization.name} or because you subscribed; change what you receive at ${publicUrl()}/settings/notifications.\n`,
  };
}

export async function attemptEmail(
  m: Message,
  to: string,
  mailer: (m: Mail) => Promise<void> = sendMail,
): Promise<AttemptOutcome> {
  try {
    await mailer(mailOf(m, to));
    return { ok: true };
  } catch (err) {
    return { ok: false, error: describeError(err).slice(0, 500) };
  }
}

/** The JSON body of a webhook delivery (its fields are documented in docs/runs.md: keep them stable). */
export function webhookBody(m: Message, deliveryId: string): string {
  return JSON.stringify({
    event: eventOf(m.kind),
    deliveryId,
    notificationId: m.id,
    at: m.createdAt.toISOString(),
    cloud: m.cloud ? { slug: m.cloud.slug, name: m.cloud.name } : null,
    organization: { slug: m.organization.slug },
    from: m.fromStatus,
    to: m.toStatus,
    subject: m.subject,
    message: m.body,
    run: m.runId ? { id: m.runId, url: `${publicUrl()}/runs/${m.runId}` } : null,
  });
}

export async function attemptWebhook(
  m: Message,
  delivery: { id: string; url: string; secret: string },
  at: Date,
): Promise<AttemptOutcome> {
  const body = webhookBody(m, delivery.id);
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const http = new HttpClient({
    timeouts: { connectMs: 5_000, headersMs: 10_000, bodyMs: 10_000 },
    allowPrivateAddresses: process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES === 'true',
  });
  try {
    const res = await http.request({
      service: 'webhook',
      method: 'POST',
      url: delivery.url,
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-SCS-Event': eventOf(m.kind),
        'X-SCS-Delivery': delivery.id,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(delivery.secret, timestamp, body),
      },
    });
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
    return {
      ok: false,
      statusCode: res.status,
      error: `the receiver answered ${res.status}`,
      retryAfterMs: retryAfterMs(res.headers['retry-after'], at),
    };
  } catch (err) {
    return { ok: false, error: describeError(err).slice(0, 500) };
  } finally {
    await http.close();
  }
}

/** Retry-After as seconds or an HTTP date; at most a day. */
export function retryAfterMs(value: string | undefined, at: Date): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - at.getTime();
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.min(seconds, 86_400_000);
}
