// The kinds of notification, by their event names (what `enqueue` takes, what webhooks subscribe to
// and receive), and the Prisma enum values they are stored as. Every kind is delivered: by e-mail to
// the organization's and the cloud's contacts and to users whose preference asks for it, and to the
// webhooks subscribed to its event.
import type { NotificationKind } from '../db';

export const EVENTS = ['status-change', 'attestation-expiry', 'attestation-reviewed', 'certificate-expiry'] as const;
export type NotificationEvent = (typeof EVENTS)[number];

const KIND: Record<NotificationEvent, NotificationKind> = {
  'status-change': 'statusChange',
  'attestation-expiry': 'attestationExpiry',
  'attestation-reviewed': 'attestationReviewed',
  'certificate-expiry': 'certificateExpiry',
};

export function kindOf(event: NotificationEvent): NotificationKind {
  const k = KIND[event];
  if (!k) throw new TypeError(`unknown notification kind "${String(event)}"; one of ${EVENTS.join(', ')}`);
  return k;
}

export function eventOf(kind: NotificationKind): NotificationEvent {
  return EVENTS.find((e) => KIND[e] === kind)!;
}

export const EVENT_LABELS: Record<NotificationEvent, string> = {
  'status-change': 'status changes',
  'attestation-expiry': 'attestation expiry',
  'attestation-reviewed': 'attestation reviews',
  'certificate-expiry': 'certificate expiry',
};

/** The preference (NotificationPreference column) that decides whether a user gets a kind by e-mail. */
export type PreferenceKey = 'statusChanges' | 'attestationExpiry' | 'attestationReviews';

export const PREFERENCE_OF: Record<NotificationKind, PreferenceKey> = {
  statusChange: 'statusChanges',
  // Expiry reminders of attestations and certificates follow one "expiry" preference.
  attestationExpiry: 'attestationExpiry',
  certificateExpiry: 'attestationExpiry',
  attestationReviewed: 'attestationReviews',
};
