import type { Prisma, Tx } from '../db';
import { db } from '../db';
import { now } from '../clock';
import { eventOf, kindOf, type NotificationEvent } from './kinds';
import { notifySettings } from './config';
import { describeOutcome, type Outcome } from './outcome';

/**
 * The notification outbox, the only way to send a notification: a message to an organization is
 * written in the same transaction as the decision to send it, and the dispatcher (lib/notify/
 * dispatcher.ts, in every worker process) fans it out to e-mail recipients and webhooks later.
 * Enqueueing is idempotent: a second message with the same dedupeKey is dropped, so a job may
 * run as often as it likes.
 */
export interface OutboxMessage {
  kind: NotificationEvent;
  organizationId: string;
  cloudId?: string | null;
  subject: string;
  body: string;
  /** Unique per message that must be sent once, e.g. "attestation:<id>:expiry-14d". */
  dedupeKey: string;
  /** Status changes: the run that caused it (linked from e-mails and webhooks) and the statuses. */
  runId?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  /** Facts beside the text for receivers (e.g. a status change's official verdict), stored as JSON. */
  data?: Prisma.InputJsonValue;
}

/** Adds the message unless one with its dedupeKey exists; true when it was added now. */
export async function enqueue(tx: Tx, msg: OutboxMessage): Promise<boolean> {
  return (await enqueueAll(tx, [msg])) === 1;
}

/** enqueue for many messages in one statement (e.g. the status changes of 1,000 clouds); how many were added. */
export async function enqueueAll(tx: Tx, msgs: OutboxMessage[]): Promise<number> {
  if (msgs.length === 0) return 0;
  // The domain's clock, as the dispatcher judges a message's age by it.
  const createdAt = now();
  const { count } = await tx.notification.createMany({
    data: msgs.map((msg) => ({
      kind: kindOf(msg.kind),
      organizationId: msg.organizationId,
      cloudId: msg.cloudId ?? null,
      runId: msg.runId ?? null,
      fromStatus: msg.fromStatus ?? null,
      toStatus: msg.toStatus ?? null,
      subject: msg.subject.slice(0, 300),
      body: msg.body,
      dedupeKey: msg.dedupeKey,
      ...(msg.data !== undefined ? { data: msg.data } : {}),
      createdAt,
    })),
    skipDuplicates: true,
  });
  return count;
}

export interface OutboxView {
  id: string;
  kind: NotificationEvent;
  subject: string;
  body: string;
  dedupeKey: string;
  createdAt: Date;
  /** What became of it: queued, sent, or not sent and why. */
  outcome: Outcome;
}

/** Messages whose dedupeKey starts with the prefix (callers have checked the reader's rights). */
export async function messagesWithKeyPrefix(prefix: string): Promise<OutboxView[]> {
  const rows = await db.notification.findMany({
    where: { dedupeKey: { startsWith: prefix } },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      kind: true,
      subject: true,
      body: true,
      dedupeKey: true,
      createdAt: true,
      status: true,
      deliveries: { select: { status: true, lastError: true } },
    },
  });
  const maxAgeHours = notifySettings().maxAgeMs / 3_600_000;
  return rows.map((r) => ({
    id: r.id,
    kind: eventOf(r.kind),
    subject: r.subject,
    body: r.body,
    dedupeKey: r.dedupeKey,
    createdAt: r.createdAt,
    outcome: describeOutcome(r.status, r.deliveries, maxAgeHours),
  }));
}
