// One attempt at one recipient: an e-mail over SMTP or a signed webhook POST through the one HTTP
// layer (timeouts, address guard). The dispatcher decides when to attempt and what an outcome means.

import { createHmac } from 'node:crypto';
import net from 'node:net';
import { HttpClient, describeError, refusalReason } from '../openstack';
import { sendMail, type Mail } from './email';
import { eventOf } from './kinds';
import { signingKey } from './secrets';
import type { NotificationKind, Prisma } from '../db';
import { config } from '../config';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id` (the delivery's id, the same
 * for every retry: the receiver's idempotency key), `webhook-timestamp` (the attempt, Unix seconds)
 * and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
 * secret's bytes.
 */
export function standardSignature(secret: string, id: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The signature of releases before Standard Webhooks, sent for one more release so receivers can
 * move over (docs/notifications.md): hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the whole
 * secret string. Deprecated: dropped in the next release.
 */
export const LEGACY_SIGNATURE_HEADER = 'X-SCS-Signature';
export const LEGACY_TIMESTAMP_HEADER = 'X-SCS-Timestamp';
export function legacySignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Every header of a webhook delivery. */
export function webhookHeaders(
  m: { kind: NotificationKind },
  delivery: { id: string; secret: string },
  timestamp: string,
  body: string,
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'webhook-id': delivery.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': standardSignature(delivery.secret, delivery.id, timestamp, body),
    'X-SCS-Event': eventOf(m.kind),
    'X-SCS-Delivery': delivery.id,
    [LEGACY_TIMESTAMP_HEADER]: timestamp,
    [LEGACY_SIGNATURE_HEADER]: legacySignature(delivery.secret, timestamp, body),
  };
}

/**
 * The one switch for loopback and private webhook receivers. ALLOW_PRIVATE_ENDPOINTS (the clouds'
 * switch, for labs) does not open webhooks: a CSP user adds webhooks, a cloud's endpoints are staff's.
 */
export const WEBHOOK_PRIVATE_SWITCH = 'WEBHOOK_ALLOW_PRIVATE_ADDRESSES';

/** From the configuration (lib/config.ts), or from the given variables (tests). */
export function webhookPrivateAddressesAllowed(env?: Record<string, string | undefined>): boolean {
  if (!env) return config().WEBHOOK_ALLOW_PRIVATE_ADDRESSES;
  return (env[WEBHOOK_PRIVATE_SWITCH] ?? '').trim().toLowerCase() === 'true';
}

/**
 * Why a receiver URL is refused before any request, when its host is an address literal (or
 * localhost) the guard would refuse; undefined otherwise. Names are checked again after DNS at
 * every delivery.
 */
export function webhookAddressRefusal(url: string, env?: Record<string, string | undefined>): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
  const ip = host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : host;
  if (!net.isIP(ip)) return undefined;
  return refusalReason(ip, {
    allowPrivateAddresses: webhookPrivateAddressesAllowed(env),
    privateAddressHint: `${WEBHOOK_PRIVATE_SWITCH}=true is set`,
  });
}

export function publicUrl(): string {
  const c = config();
  return (c.PUBLIC_URL || c.AUTH_URL || 'http://localhost:3000').replace(/\/$/, '');
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
  /** Facts beside the text (a status change: the official SCS verdict before and after, the version). */
  data: Prisma.JsonValue | null;
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
    ...(m.data !== null ? { data: m.data } : {}),
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
    privateAddressSwitch: { name: WEBHOOK_PRIVATE_SWITCH, on: webhookPrivateAddressesAllowed() },
  });
  try {
    const res = await http.request({
      service: 'webhook',
      method: 'POST',
      url: delivery.url,
      body,
      headers: webhookHeaders(m, delivery, timestamp, body),
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
