// Expiry reminders (attestations: 14 and 1 days ahead; certificates: 30 and 7 days ahead),
// delivered like every other notification: they are queued idempotently in the outbox
// (lib/attestations/reminders.ts, lib/compliance/certificates.ts); this hands each new outbox
// message to the notification system once (a Notification whose deliveries go to the
// organization's contacts, subscribed users and webhooks, with retries).

import { db } from '../db';
import { sendAttestationReminders } from '../attestations/reminders';
import { sendCertificateReminders } from '../compliance/certificates';
import { dispatchNotification } from './worker';

/** Outbox kind -> notification kind (the event name webhooks subscribe to). */
const NOTIFICATION_KIND: Record<string, string> = {
  'attestation.expiry-reminder': 'attestation-expiry',
  'certificate-expiry': 'certificate-expiry',
};

export async function sendDueReminders(
  now: Date,
  dispatch: (notificationId: string) => Promise<void> = dispatchNotification,
): Promise<{ queued: string[]; notified: string[] }> {
  const { created } = await sendAttestationReminders(now);
  await sendCertificateReminders(now);
  const pending = await db.notificationOutbox.findMany({
    where: { deliveredAt: null, kind: { in: Object.keys(NOTIFICATION_KIND) }, cloudId: { not: null } },
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  const notified: string[] = [];
  for (const m of pending) {
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
          toStatus: 'expiring',
          subject: m.subject,
          body: m.body,
        },
      });
    });
    if (!n) continue;
    await dispatch(n.id);
    notified.push(m.dedupeKey);
  }
  return { queued: created, notified };
}
