// The dispatcher: the one path from the outbox to recipients. Every worker process runs one; they
// share the work through PostgreSQL alone:
//   1. fan-out: a queued notification is claimed with FOR UPDATE SKIP LOCKED and, in the same
//      transaction, gets one delivery per recipient (lib/notify/recipients.ts) and turns dispatched;
//   2. held e-mail: without SMTP_URL e-mail deliveries are held (the log says why); once e-mail is
//      configured, held deliveries are released, and those held longer than NOTIFY_EMAIL_HOLD_HOURS
//      are dropped instead of sending old news;
//   3. attempts: due deliveries are claimed with a lease (SKIP LOCKED, a token and an expiry), so a
//      process that dies mid-attempt hands its deliveries over when the lease runs out; each attempt
//      is logged on its row (attempts, lastError, log) and a failure is retried with exponential
//      backoff until NOTIFY_RETRY_LIMIT retries have failed.
// Delivery is at least once: a receiver that answers after the lease ran out may see a message
// twice, with the same delivery id (webhooks: webhook-id), which is its idempotency key.

import { randomUUID } from 'node:crypto';
import { db, Prisma, type DeliveryStatus } from '../db';
import { now as clockNow } from '../clock';
import { describeError } from '../openstack';
import { notifySettings, retryDelayMs, type NotifySettings } from './config';
import { attemptEmail, attemptWebhook, type AttemptOutcome, type Message } from './deliver';
import { smtpConfigured, type Mail } from './email';
import { REASONS } from './outcome';
import { recipientsOf } from './recipients';
import { openWebhookSecret } from './secrets';

export interface AttemptLog {
  at: string;
  ok: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface DispatcherOptions {
  mailer?: (m: Mail) => Promise<void>;
  log?: (line: string) => void;
  settings?: NotifySettings;
  now?: () => Date;
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

export class Dispatcher {
  private readonly settings: NotifySettings;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly inFlight = new Set<Promise<void>>();
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private nudged = false;

  constructor(private readonly opts: DispatcherOptions = {}) {
    this.settings = opts.settings ?? notifySettings();
    this.now = opts.now ?? clockNow;
    this.log = opts.log ?? (() => {});
  }

  /** Fans out queued notifications (at most `limit`); returns how many were handled. */
  async fanOut(limit = 100): Promise<number> {
    let handled = 0;
    for (; handled < limit; handled++) {
      const done = await db.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id::text AS id FROM "Notification" WHERE status = 'queued'
          ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!row) return false;
        const n = await tx.notification.findUniqueOrThrow({ where: { id: row.id } });
        const at = this.now();
        if (at.getTime() - n.createdAt.getTime() > this.settings.maxAgeMs) {
          await tx.notification.update({ where: { id: n.id }, data: { status: 'expired' } });
          this.log(`notification ${n.id} expired: queued since ${n.createdAt.toISOString()}`);
          return true;
        }
        const email = smtpConfigured();
        const held = REASONS.emailNotConfigured(hours(this.settings.emailHoldMs));
        const recipients = await recipientsOf(tx, n);
        if (recipients.length)
          await tx.notificationDelivery.createMany({
            data: recipients.map((r) => ({
              notificationId: n.id,
              channel: r.channel,
              target: r.target,
              webhookId: r.webhookId ?? null,
              ...(r.channel === 'email' && !email
                ? { status: 'held' as const, lastError: held }
                : { status: 'pending' as const, nextAttemptAt: at }),
              createdAt: at,
            })),
          });
        await tx.notification.update({ where: { id: n.id }, data: { status: 'dispatched' } });
        return true;
      });
      if (!done) break;
    }
    return handled;
  }

  /**
   * Held e-mail: dropped once held longer than the hold window; released (due now) when e-mail is
   * configured. Returns the number released.
   */
  async releaseHeld(): Promise<number> {
    const at = this.now();
    const holdHours = hours(this.settings.emailHoldMs);
    await db.notificationDelivery.updateMany({
      where: { status: 'held', createdAt: { lte: new Date(at.getTime() - this.settings.emailHoldMs) } },
      data: { status: 'dropped', lastError: REASONS.emailNotConfiguredInTime(holdHours) },
    });
    if (!smtpConfigured()) return 0;
    const { count } = await db.notificationDelivery.updateMany({
      where: { status: 'held' },
      data: { status: 'pending', nextAttemptAt: at, lastError: null },
    });
    if (count) this.log(`e-mail is configured: ${count} held deliveries released`);
    return count;
  }

  /** Claims up to `limit` due deliveries for this process; returns their ids and the lease token. */
  async claim(limit: number): Promise<{ token: string; ids: string[] }> {
    const token = randomUUID();
    const at = this.now();
    const until = new Date(at.getTime() + this.settings.leaseMs);
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      UPDATE "NotificationDelivery" SET "leaseToken" = ${token}::uuid, "leasedUntil" = ${until}
      WHERE id IN (
        SELECT id FROM "NotificationDelivery"
        WHERE status = 'pending' AND "nextAttemptAt" <= ${at} AND ("leasedUntil" IS NULL OR "leasedUntil" <= ${at})
        ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id`;
    return { token, ids: rows.map((r) => r.id) };
  }

  /** One attempt at a claimed delivery, recorded on its row if this process still holds the lease. */
  async attempt(deliveryId: string, token: string): Promise<DeliveryStatus | 'lost'> {
    const d = await db.notificationDelivery.findUnique({
      where: { id: deliveryId },
      include: {
        webhook: true,
        notification: {
          include: {
            organization: { select: { slug: true, name: true } },
            cloud: { select: { slug: true, name: true } },
          },
        },
      },
    });
    if (!d || d.leaseToken !== token || d.status !== 'pending') return 'lost';
    const at = this.now();
    const release = { leaseToken: null, leasedUntil: null };
    const settle = async (data: Prisma.NotificationDeliveryUpdateManyMutationInput): Promise<boolean> => {
      const { count } = await db.notificationDelivery.updateMany({
        where: { id: d.id, leaseToken: token },
        data: { ...data, ...release },
      });
      return count === 1;
    };
    // Cases in which nothing is attempted: the reason is the delivery's last word.
    const n = d.notification;
    let skip: { status: DeliveryStatus; reason: string } | null = null;
    if (at.getTime() - n.createdAt.getTime() > this.settings.maxAgeMs)
      skip = { status: 'dropped', reason: REASONS.tooOld(hours(this.settings.maxAgeMs)) };
    else if (d.channel === 'email' && !smtpConfigured())
      skip = { status: 'held', reason: REASONS.emailNotConfigured(hours(this.settings.emailHoldMs)) };
    else if (d.channel === 'webhook' && (!d.webhook || !d.webhook.active))
      skip = { status: 'dropped', reason: REASONS.webhookGone };
    if (skip) {
      return (await settle({ status: skip.status, lastError: skip.reason, nextAttemptAt: null }))
        ? skip.status
        : 'lost';
    }

    const message: Message = {
      id: n.id,
      kind: n.kind,
      subject: n.subject,
      body: n.body,
      runId: n.runId,
      fromStatus: n.fromStatus,
      toStatus: n.toStatus,
      data: n.data,
      createdAt: n.createdAt,
      organization: n.organization,
      cloud: n.cloud,
    };
    const t0 = Date.now();
    let outcome: AttemptOutcome;
    try {
      if (d.channel === 'email') outcome = await attemptEmail(message, d.target, this.opts.mailer);
      else {
        const secret = await openWebhookSecret(d.webhook!);
        outcome = await attemptWebhook(message, { id: d.id, url: d.webhook!.url, secret }, at);
      }
    } catch (err) {
      // A secret that does not open is the vault's to explain (VaultError messages name no secret).
      outcome = { ok: false, error: describeError(err).slice(0, 500) };
    }
    const entry: AttemptLog = {
      at: at.toISOString(),
      ok: outcome.ok,
      ...(outcome.statusCode !== undefined ? { statusCode: outcome.statusCode } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      durationMs: Date.now() - t0,
    };
    const attempts = d.attempts + 1;
    const log = [...((d.log as unknown as AttemptLog[]) ?? []), entry] as unknown as Prisma.InputJsonValue;
    const finished = this.now();
    let status: DeliveryStatus;
    let nextAttemptAt: Date | null = null;
    if (outcome.ok) status = 'delivered';
    else if (attempts > this.settings.retryLimit) status = 'failed';
    else {
      status = 'pending';
      const wait = Math.max(retryDelayMs(this.settings, attempts), outcome.retryAfterMs ?? 0);
      nextAttemptAt = new Date(finished.getTime() + wait);
    }
    const kept = await settle({
      status,
      attempts,
      log,
      lastError: outcome.ok ? null : (outcome.error ?? 'failed'),
      nextAttemptAt,
      deliveredAt: outcome.ok ? finished : null,
    });
    if (!kept) {
      this.log(`delivery ${d.id}: the lease ran out during the attempt; another process took it over`);
      return 'lost';
    }
    return status;
  }

  /**
   * One full pass, awaited: fan out, release held e-mail, and attempt every delivery due now (each
   * at most once). For tests, the CLI and the reminder job; the worker runs `start()` instead.
   */
  async runOnce(): Promise<{ dispatched: number; attempted: number }> {
    const dispatched = await this.fanOut(Number.MAX_SAFE_INTEGER);
    await this.releaseHeld();
    let attempted = 0;
    const seen = new Set<string>();
    for (;;) {
      const { token, ids } = await this.claim(this.settings.concurrency);
      const fresh = ids.filter((id) => !seen.has(id));
      if (fresh.length === 0) {
        // Claimed again only what this pass retried already: give the leases back.
        if (ids.length)
          await db.notificationDelivery.updateMany({
            where: { id: { in: ids }, leaseToken: token },
            data: { leaseToken: null, leasedUntil: null },
          });
        break;
      }
      for (const id of fresh) seen.add(id);
      await Promise.all(fresh.map((id) => this.attempt(id, token)));
      attempted += fresh.length;
    }
    return { dispatched, attempted };
  }

  /** Runs the dispatcher in this process until stop(). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  /** New work may be queued (e.g. a stored status change): look at once instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      this.nudged = false;
      try {
        busy = (await this.fanOut()) > 0;
        await this.releaseHeld();
        const free = this.settings.concurrency - this.inFlight.size;
        if (free > 0) {
          const { token, ids } = await this.claim(free);
          for (const id of ids) this.track(id, token);
          busy ||= ids.length > 0;
        }
      } catch (err) {
        this.log(`dispatcher: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (this.stopping) break;
      // Look again at once while there is work and a free slot, or after a nudge during this pass (a
      // message it may not have seen yet); otherwise when an attempt ends or the poll interval has passed.
      if ((!busy && !this.nudged) || this.inFlight.size >= this.settings.concurrency) await this.pause();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private track(id: string, token: string): void {
    const p: Promise<void> = this.attempt(id, token)
      .then(() => undefined)
      .catch((err) => this.log(`delivery ${id}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.inFlight.delete(p);
        this.wake?.();
      });
    this.inFlight.add(p);
  }

  private pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.settings.pollMs);
      timer.unref?.();
      this.wake = done;
    });
  }
}
