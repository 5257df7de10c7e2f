// Who receives a notification: the organization's contact addresses, the cloud's contact addresses,
// users whose preference asks for its kind (CSP members of the organization default yes, staff
// default no), and the active webhooks subscribed to its event (the organization's and the
// certification body's own). E-mail addresses once each, compared without case.
import { Prisma, type DeliveryChannel, type NotificationKind, type Tx } from '../db';
import { PREFERENCE_OF } from './kinds';

export interface Recipient {
  channel: DeliveryChannel;
  target: string;
  webhookId?: string;
}

async function subscribedUsers(tx: Tx, organizationId: string, kind: NotificationKind): Promise<string[]> {
  // The column name comes from a fixed map, never from input.
  const wants = Prisma.raw(`p."${PREFERENCE_OF[kind]}"`);
  const rows = await tx.$queryRaw<Array<{ email: string }>>`
    SELECT u.email FROM "User" u
    LEFT JOIN "NotificationPreference" p ON p."userId" = u.id
    WHERE u.active AND (
      (u.role = 'csp' AND COALESCE(${wants}, true) AND EXISTS (
        SELECT 1 FROM "Membership" m WHERE m."userId" = u.id AND m."organizationId" = ${organizationId}::uuid))
      OR (u.role IN ('admin', 'reviewer') AND COALESCE(${wants}, false))
    )`;
  return rows.map((r) => r.email);
}

export async function recipientsOf(
  tx: Tx,
  n: { kind: NotificationKind; organizationId: string; cloudId: string | null },
): Promise<Recipient[]> {
  // One after the other: a transaction is one connection.
  const org = await tx.organization.findUnique({ where: { id: n.organizationId }, select: { contactEmails: true } });
  const cloud = n.cloudId
    ? await tx.cloud.findUnique({ where: { id: n.cloudId }, select: { contactEmails: true } })
    : null;
  const users = await subscribedUsers(tx, n.organizationId, n.kind);
  const hooks = await tx.webhook.findMany({
    where: {
      active: true,
      events: { has: n.kind },
      OR: [{ organizationId: n.organizationId }, { organizationId: null }],
    },
    select: { id: true, url: true },
    orderBy: { createdAt: 'asc' },
  });
  const emails = new Set<string>();
  for (const e of [...(org?.contactEmails ?? []), ...(cloud?.contactEmails ?? []), ...users]) {
    const address = e.trim().toLowerCase();
    if (address) emails.add(address);
  }
  return [
    ...[...emails].map((target) => ({ channel: 'email' as const, target })),
    ...hooks.map((h) => ({ channel: 'webhook' as const, target: h.url, webhookId: h.id })),
  ];
}
