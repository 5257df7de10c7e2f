// `npm run attestations:remind`: sends the attestation expiry reminders that are due now (14 days
// and 1 day before expiry): queued once each in the outbox, then handed to the notification
// system (e-mail to contacts and subscribers, webhooks; delivered by the workers). Idempotent: run
// it as often as you like; the workers' hourly job does the same.
import { connectDatabase } from '../lib/db/connect';

const database = await connectDatabase();
try {
  const { now, testClockNotice } = await import('../lib/clock');
  const notice = testClockNotice();
  if (notice) console.error(notice);
  const { sendDueReminders } = await import('../lib/jobs/reminders');
  const { stopBoss } = await import('../lib/jobs');
  const at = now();
  const { queued, notified } = await sendDueReminders(at);
  console.log(JSON.stringify({ at: at.toISOString(), created: queued, notified }));
  await stopBoss();
  const { db } = await import('../lib/db');
  await db.$disconnect();
} finally {
  await database.stop();
}
process.exit(0);
