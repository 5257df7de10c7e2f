import { db } from '../db';
import { systemActor } from '../auth/policy';
import { recordAudit } from '../audit';
import { enqueue } from '../notify/outbox';
import { DAY_MS, REMINDER_DAYS } from './config';

/**
 * Expiry reminders: 14 days and 1 day before an approved attestation expires, the organization
 * gets a message in the notification outbox. The scheduled job calls
 * `sendAttestationReminders(now())` as often as it likes: each reminder has a dedupe key per
 * revision and kind, so it is created once.
 *
 * Windows (half-open): the 14-day reminder is due while exp-14d <= now < exp-1d, the 1-day
 * reminder while exp-1d <= now < exp. A job that missed the first window sends only the second;
 * after expiry no reminder is sent (the manual testcase is MISS then).
 */
export type ReminderKind = (typeof REMINDER_DAYS)[number];

export function dueReminder(expiresAt: Date, now: Date): ReminderKind | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  if (left <= 1 * DAY_MS) return 1;
  if (left <= 14 * DAY_MS) return 14;
  return null;
}

export function reminderKey(attestationId: string, kind: ReminderKind): string {
  return `attestation:${attestationId}:expiry-${kind}d`;
}

export async function sendAttestationReminders(now: Date): Promise<{ considered: number; created: string[] }> {
  const candidates = await db.attestation.findMany({
    where: {
      state: 'approved',
      expiresAt: { gt: now, lte: new Date(now.getTime() + 14 * DAY_MS) },
      decidedAt: { lte: now },
      cloud: { archivedAt: null },
    },
    include: { cloud: { select: { id: true, slug: true, name: true, organizationId: true } } },
  });
  const created: string[] = [];
  const ctx = { actor: systemActor('system'), clientAddress: null, via: 'reminder job' };
  for (const a of candidates) {
    // A later approved revision of the same cloud supersedes this one: no reminder for it.
    const newer = await db.attestation.count({
      where: { cloudId: a.cloudId, state: 'approved', revision: { gt: a.revision }, decidedAt: { lte: now } },
    });
    if (newer > 0) continue;
    const kind = dueReminder(a.expiresAt!, now);
    if (!kind) continue;
    const key = reminderKey(a.id, kind);
    const expires = a.expiresAt!.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
    await db.$transaction(async (tx) => {
      const added = await enqueue(tx, {
        kind: 'attestation-expiry',
        organizationId: a.cloud.organizationId,
        cloudId: a.cloud.id,
        subject: `Key-manager attestation for ${a.cloud.name} expires in ${kind === 1 ? '1 day' : `${kind} days`}`,
        body: `The approved attestation (revision ${a.revision}) of cloud ${a.cloud.name} (${a.cloud.slug}) for the manual testcase key-manager-docs-check of scs-0116 v1 expires on ${expires}. SCS-0004 asks that manual checks be repeated every quarter: start a new revision at /clouds/${a.cloud.slug}/attestations and submit it for review before then, or the testcase becomes MISS.`,
        dedupeKey: key,
      });
      if (added) {
        created.push(key);
        await recordAudit(tx, ctx, {
          action: 'attestation.reminder',
          targetType: 'attestation',
          targetId: a.id,
          organizationId: a.cloud.organizationId,
          summary: `queued the ${kind}-day expiry reminder for revision ${a.revision} of ${a.cloud.slug} (expires ${expires})`,
        });
      }
    });
  }
  return { considered: candidates.length, created };
}
