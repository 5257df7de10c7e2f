// From the notification outbox to the notification system. Messages are queued idempotently in
// NotificationOutbox in the transaction that decides them: expiry reminders (attestations 14 and 1
// days ahead, lib/attestations/reminders.ts; certificates 30 and 7 days ahead,
// lib/compliance/certificates.ts) and status changes of a cloud's stored compliance snapshot
// (lib/compliance/snapshot.ts). This hands each new message over once: a Notification whose
// deliveries go to the organization's contacts, subscribed users and webhooks, with retries.

import { db } from '../db';
import { sendAttestationReminders } from '../attestations/reminders';
import { sendCertificateReminders } from '../compliance/certificates';
// eslint-disable-next-line import/no-cycle -- worker <-> reminders: the notify stream's one dispatcher removes it
import { dispatchNotification } from './worker';

/** Outbox kind -> notification kind (the event name webhooks subscribe to). */
const NOTIFICATION_KIND: Record<string, string> = {
  'attestation.expiry-reminder': 'attestation-expiry',
  'certificate-expiry': 'certificate-expiry',
  'status-change': 'status-change',
};

/** What a status-change message carries beside its text (lib/compliance/snapshot.ts). */
interface StatusChangeData {
  from?: string | null;
  to?: string;
  runId?: string | null;
}

/**
 * Hands the undelivered outbox messages of these kinds to the notification system, oldest first,
 * each exactly once (claimed by a conditional update). Returns the dedupe keys handed over.
 */
export async function bridgeOutbox(
  now: Date,
  kinds: string[] = Object.keys(NOTIFICATION_KIND),
  dispatch: (notificationId: string) => Promise<void> = dispatchNotification,
): Promise<string[]> {
  const pending = await db.notificationOutbox.findMany({
    where: { deliveredAt: null, kind: { in: kinds.filter((k) => k in NOTIFICATION_KIND) }, cloudId: { not: null } },
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  const notified: string[] = [];
  for (const m of pending) {
    const data = (m.data ?? {}) as StatusChangeData;
    // Claimed with a conditional update, so two processes never notify the same message twice.
    const n = await db.$transaction(async (tx) => {
      const claimed = await tx.notificationOutbox.updateMany({
        where: { id: m.id, deliveredAt: null },
        data: { deliveredAt: now },
      });
      if (claimed.count !== 1) return null;
      return tx.notification.create({
        data: {
          cloudId: m.cloudId!,
          kind: NOTIFICATION_KIND[m.kind],
          fromStatus: m.kind === 'status-change' ? (data.from ?? null) : null,
          toStatus: m.kind === 'status-change' ? (data.to ?? '') : 'expiring',
          runId: m.kind === 'status-change' ? (data.runId ?? null) : null,
          subject: m.subject,
          body: m.body,
          ...(m.data !== null ? { data: m.data } : {}),
        },
      });
    });
    if (!n) continue;
    await dispatch(n.id);
    notified.push(m.dedupeKey);
  }
  return notified;
}

export async function sendDueReminders(
  now: Date,
  dispatch: (notificationId: string) => Promise<void> = dispatchNotification,
): Promise<{ queued: string[]; notified: string[] }> {
  const { created } = await sendAttestationReminders(now);
  await sendCertificateReminders(now);
  // Status changes are handed over by the workers themselves (after runs, and polling), see worker.ts.
  const kinds = Object.keys(NOTIFICATION_KIND).filter((k) => k !== 'status-change');
  return { queued: created, notified: await bridgeOutbox(now, kinds, dispatch) };
}
