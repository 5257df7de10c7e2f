// `npm run attestations:remind`: queues the attestation (14 days and 1 day ahead) and certificate
// (30 and 7 days ahead) expiry reminders that are due now, once each, in the notification outbox;
// the workers' dispatcher delivers them (e-mail to contacts and subscribers, webhooks). Idempotent:
// run it as often as you like; the workers' hourly job does the same.
import { connectDatabase } from '../lib/db/connect';

const database = await connectDatabase();
try {
  const { now, testClockNotice } = await import('../lib/clock');
  const notice = testClockNotice();
  if (notice) console.error(notice);
  const { sendDueReminders } = await import('../lib/jobs/reminders');
  const at = now();
  const { queued, certificateReminders } = await sendDueReminders(at);
  console.log(JSON.stringify({ at: at.toISOString(), created: queued, certificateReminders }));
  const { db } = await import('../lib/db');
  await db.$disconnect();
} finally {
  await database.stop();
}
process.exit(0);
