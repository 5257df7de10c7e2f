// What became of a notification and of each delivery, in words people read on the delivery log and
// beside the messages of an attestation. Pure, so the words are tested without a database.
import type { DeliveryStatus, NotificationStatus } from '../db';

/** Why a delivery was not sent (stored in lastError, shown as is). */
export const REASONS = {
  emailNotConfigured: (holdHours: number) =>
    `not sent: e-mail is not configured (SMTP_URL is not set); kept for ${holdHours} h in case it is`,
  emailNotConfiguredInTime: (holdHours: number) =>
    `not sent: e-mail was not configured (SMTP_URL) within ${holdHours} h of the message`,
  webhookGone: 'not sent: the webhook was removed or switched off',
  tooOld: (maxAgeHours: number) => `not sent: the message waited longer than ${maxAgeHours} h for a worker`,
} as const;

export type OutcomeState = 'queued' | 'sending' | 'sent' | 'not-sent' | 'partly-sent' | 'no-recipients';

export interface Outcome {
  state: OutcomeState;
  /** One line, e.g. "sent to 3 recipients" or "not sent: e-mail is not configured (SMTP_URL is not set); …". */
  text: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function describeOutcome(
  status: NotificationStatus,
  deliveries: Array<{ status: DeliveryStatus; lastError: string | null }>,
  maxAgeHours = 168,
): Outcome {
  if (status === 'queued') return { state: 'queued', text: 'queued' };
  if (status === 'expired') return { state: 'not-sent', text: REASONS.tooOld(maxAgeHours) };
  if (deliveries.length === 0)
    return { state: 'no-recipients', text: 'sent to no one: no contact address, subscriber or webhook' };
  const delivered = deliveries.filter((d) => d.status === 'delivered').length;
  const waiting = deliveries.filter((d) => d.status === 'pending').length;
  const notSent = deliveries.filter((d) => d.status !== 'delivered' && d.status !== 'pending');
  if (waiting > 0)
    return { state: 'sending', text: `sending: ${delivered} of ${plural(deliveries.length, 'recipient')} so far` };
  if (notSent.length === 0) return { state: 'sent', text: `sent to ${plural(delivered, 'recipient')}` };
  // The most common reason first (they are usually all the same: e-mail not configured).
  const reasons = new Map<string, number>();
  for (const d of notSent) {
    const why = d.lastError ?? (d.status === 'failed' ? 'failed' : 'not sent');
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  const why = [...reasons.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const more = reasons.size > 1 ? ` (and ${plural(reasons.size - 1, 'other reason')})` : '';
  if (delivered === 0)
    return { state: 'not-sent', text: `${why.startsWith('not sent') ? why : `not sent: ${why}`}${more}` };
  return {
    state: 'partly-sent',
    text: `sent to ${delivered} of ${plural(deliveries.length, 'recipient')}; ${plural(notSent.length, 'other')} ${
      why.startsWith('not sent') ? why : `not sent: ${why}`
    }${more}`,
  };
}
