// Expiry reminders (attestations: 14 and 1 days ahead; certificates: 30 and 7 days ahead). Each is
// queued once in the notification outbox by the module that decides it (lib/attestations/
// reminders.ts, lib/compliance/certificates.ts), as status changes are by the snapshot store
// (lib/compliance/snapshot.ts); the dispatcher in every worker delivers them like every other
// notification.

import { sendAttestationReminders } from '../attestations/reminders';
import { sendCertificateReminders } from '../compliance/certificates';

/** Queues the reminders due at `now`; returns the dedupe keys of the attestation reminders queued now. */
export async function sendDueReminders(now: Date): Promise<{ queued: string[]; certificateReminders: number }> {
  const { created } = await sendAttestationReminders(now);
  const certificateReminders = await sendCertificateReminders(now);
  return { queued: created, certificateReminders };
}
