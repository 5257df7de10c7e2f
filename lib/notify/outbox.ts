import type { Prisma, Tx } from '../db';
import { db } from '../db';

/**
 * The notification outbox: a message to an organization is written in the same transaction as
 * the decision to send it, and delivered later (email, webhooks) by a worker that marks
 * `deliveredAt`. Enqueueing is idempotent: a second message with the same dedupeKey is dropped,
 * so a job may run as often as it likes.
 */
export interface OutboxMessage {
  /** e.g. "attestation.expiry-reminder", "attestation.reviewed" */
  kind: string;
  organizationId: string;
  cloudId?: string | null;
  subject: string;
  body: string;
  /** Unique per message that must be sent once, e.g. "attestation:<id>:expiry-14d". */
  dedupeKey: string;
  /** Facts beside the text for receivers (e.g. a status change's from/to), stored as JSON. */
  data?: Prisma.InputJsonValue;
}

/** Adds the message unless one with its dedupeKey exists; true when it was added now. */
export async function enqueue(tx: Tx, msg: OutboxMessage): Promise<boolean> {
  return (await enqueueAll(tx, [msg])) === 1;
}

/** enqueue for many messages in one statement (e.g. the status changes of 1,000 clouds); how many were added. */
export async function enqueueAll(tx: Tx, msgs: OutboxMessage[]): Promise<number> {
  if (msgs.length === 0) return 0;
  const { count } = await tx.notificationOutbox.createMany({
    data: msgs.map((msg) => ({
      kind: msg.kind,
      organizationId: msg.organizationId,
      cloudId: msg.cloudId ?? null,
      subject: msg.subject.slice(0, 300),
      body: msg.body,
      dedupeKey: msg.dedupeKey,
      ...(msg.data !== undefined ? { data: msg.data } : {}),
    })),
    skipDuplicates: true,
  });
  return count;
}

export interface OutboxView {
  id: string;
  kind: string;
  subject: string;
  body: string;
  dedupeKey: string;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Messages whose dedupeKey starts with the prefix (callers have checked the reader's rights). */
export async function messagesWithKeyPrefix(prefix: string): Promise<OutboxView[]> {
  return db.notificationOutbox.findMany({
    where: { dedupeKey: { startsWith: prefix } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, kind: true, subject: true, body: true, dedupeKey: true, createdAt: true, deliveredAt: true },
  });
}
