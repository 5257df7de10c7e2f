// `npm run attestations:remind`: queues the attestation expiry reminders that are due now (14 days
// and 1 day before expiry) in the notification outbox. Idempotent: run it as often as you like
// (e.g. hourly from cron or the job scheduler, which calls sendAttestationReminders directly).
import { connectDatabase } from '../lib/db/connect';

const database = await connectDatabase();
try {
  const { now, testClockNotice } = await import('../lib/clock');
  const notice = testClockNotice();
  if (notice) console.error(notice);
  const { sendAttestationReminders } = await import('../lib/attestations/reminders');
  const at = now();
  const { considered, created } = await sendAttestationReminders(at);
  console.log(JSON.stringify({ at: at.toISOString(), considered, created }));
  const { db } = await import('../lib/db');
  await db.$disconnect();
} finally {
  await database.stop();
}
process.exit(0);
