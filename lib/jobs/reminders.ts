// Attestation expiry reminders, delivered like every other notification: the reminder job queues
// them idempotently in the outbox (lib/attestations/reminders.ts); this hands each new outbox
// message to the notification system once (a Notification of kind "attestation-expiry", whose
// deliveries go to the organization's contacts, subscribed users and webhooks, with retries).

import { db } from '../db';
import { sendAttestationReminders } from '../attestations/reminders';
import { dispatchNotification } from './worker';

export const REMINDER_KIND = 'attestation-expiry';

export async function remindAttestations(
  now: Date,
  dispatch: (notificationId: string) => Promise<void> = dispatchNotification,
): Promise<{ queued: string[]; notified: string[] }> {
  const { created } = await sendAttestationReminders(now);
  const pending = await db.notificationOutbox.findMany({
    where: { deliveredAt: null, kind: 'attestation.expiry-reminder', cloudId: { not: null } },
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  const notified: string[] = [];
  for (const m of pending) {
    // Claimed with a conditional update, so two processes never notify the same message twice.
    const n = await db.$transaction(async (tx) => {
      const claimed = await tx.notificationOutbox.updateMany({ where: { id: m.id, deliveredAt: null }, data: { deliveredAt: now } });
      if (claimed.count !== 1) return null;
      return tx.notification.create({ data: { cloudId: m.cloudId!, kind: REMINDER_KIND, toStatus: 'expiring', subject: m.subject, body: m.body } });
    });
    if (!n) continue;
    await dispatch(n.id);
    notified.push(m.dedupeKey);
  }
  return { queued: created, notified };
}
