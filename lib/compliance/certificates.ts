// Certificates (SCS-0004): granted by the certification body for a cloud and a standard version
// while the cloud's status for it is PASS, valid one year; revoked with a reason and then listed on
// the public revocation list. Every change writes its audit event in the same transaction.
// Reminders before expiry go through lib/notify's outbox (one per certificate and window).

import { z } from 'zod';
import { db } from '../db';
import { recordAudit } from '../audit';
import { now as clockNow } from '../clock';
import type { RequestContext } from '../context';
import { ConflictError, parseInput } from '../errors';
import { enqueue } from '../notify/outbox';
import { decisionsOf, latestResults, manualInput } from './data';
import { HEADLINE_PROFILE, getProfile } from './profiles';
import { evaluate } from './verdict';
import { cloudResource, loadFor } from '../resources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CertificateState = 'valid' | 'expired' | 'revoked' | 'none';

/** One year: the same calendar date next year (29 February -> 1 March). */
export function oneYearAfter(d: Date): Date {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + 1);
  return out;
}

export function certificateState(
  c: { validUntil: Date; revokedAt: Date | null } | undefined,
  now: Date,
): CertificateState {
  if (!c) return 'none';
  if (c.revokedAt && c.revokedAt.getTime() <= now.getTime()) return 'revoked';
  return now.getTime() < c.validUntil.getTime() ? 'valid' : 'expired';
}

export const grantInput = z.object({ standard: z.string().trim().default(HEADLINE_PROFILE) });
export const revokeInput = z.object({
  reason: z
    .string()
    .trim()
    .min(5, { message: 'Give a reason (at least 5 characters); it is published on the revocation list.' })
    .max(500),
});

export async function grantCertificate(ctx: RequestContext, slug: string, input: unknown = {}) {
  const { standard: standardId } = parseInput(grantInput, input ?? {});
  const cloud = await loadFor(
    ctx,
    'certificate.grant',
    'Cloud',
    db.cloud.findUnique({ where: { slug } }),
    cloudResource,
  );
  const at = clockNow();
  const standard = getProfile(standardId, at);
  if (!standard || !standard.certifiable) throw new ConflictError(`No certificate can be granted for ${standardId}.`);
  if (cloud.archivedAt) throw new ConflictError('This cloud is archived.');
  // A certificate names the cloud by its certified endpoint: without a pin, any Keystone would do.
  if (!cloud.certifiedAuthUrl || !cloud.certifiedRegion)
    throw new ConflictError(
      `Pin the certified endpoint of ${cloud.name} (Keystone auth URL and region, on its edit page) before granting a certificate: only runs against it count.`,
    );
  const [latest, decisions] = await Promise.all([latestResults([cloud.id]), decisionsOf([cloud.id])]);
  const ev = evaluate(standard, latest.get(cloud.id) ?? {}, manualInput(decisions.get(cloud.id) ?? [], at), at);
  if (ev.status !== 'PASS')
    throw new ConflictError(
      `A certificate needs the status PASS for ${standard.short}; it is ${ev.status}: ${ev.reasons.join('; ')}`,
    );
  return db.$transaction(async (tx) => {
    // One valid certificate per cloud and version; serialize grants of the same cloud.
    await tx.$queryRaw`SELECT id FROM "Cloud" WHERE id = ${cloud.id}::uuid FOR UPDATE`;
    const current = await tx.certificate.findFirst({
      where: { cloudId: cloud.id, standard: standard.id, revokedAt: null, validUntil: { gt: at } },
    });
    if (current)
      throw new ConflictError(
        `${cloud.name} holds a valid certificate for ${standard.short} until ${current.validUntil.toISOString().slice(0, 10)}.`,
      );
    const c = await tx.certificate.create({
      data: {
        cloudId: cloud.id,
        standard: standard.id,
        grantedAt: at,
        validUntil: oneYearAfter(at),
        grantedById: ctx.actor?.id || null,
        grantedByLabel: ctx.actor?.email ?? 'system',
      },
    });
    await recordAudit(tx, ctx, {
      action: 'certificate.grant',
      targetType: 'certificate',
      targetId: c.id,
      organizationId: cloud.organizationId,
      summary: `granted a ${standard.short} certificate to ${cloud.slug}, valid until ${c.validUntil.toISOString().slice(0, 10)}`,
    });
    return c;
  });
}

export async function revokeCertificate(ctx: RequestContext, id: string, input: unknown) {
  const c = await loadFor(
    ctx,
    'certificate.revoke',
    'Certificate',
    UUID.test(id) ? db.certificate.findUnique({ where: { id }, include: { cloud: true } }) : null,
    (x) => cloudResource(x.cloud),
  );
  const { reason } = parseInput(revokeInput, input);
  const at = clockNow();
  return db.$transaction(async (tx) => {
    const done = await tx.certificate.updateMany({
      where: { id, revokedAt: null },
      data: {
        revokedAt: at,
        revokedReason: reason,
        revokedById: ctx.actor?.id || null,
        revokedByLabel: ctx.actor?.email ?? 'system',
      },
    });
    if (done.count === 0) throw new ConflictError('This certificate is revoked already.');
    await recordAudit(tx, ctx, {
      action: 'certificate.revoke',
      targetType: 'certificate',
      targetId: id,
      organizationId: c.cloud.organizationId,
      summary: `revoked the ${c.standard} certificate of ${c.cloud.slug}: ${reason}`,
    });
    return tx.certificate.findUniqueOrThrow({ where: { id } });
  });
}

export interface RevocationEntry {
  id: string;
  cloud: { slug: string; name: string } | null;
  organization: string | null;
  standard: string;
  grantedAt: Date;
  validUntil: Date;
  revokedAt: Date;
  reason: string;
}

/**
 * The public certificate revocation list (SCS-0004 §7): every revoked certificate, newest first.
 * Names are shown only for publicly listed clouds; an unlisted cloud's entry keeps its certificate
 * id, standard and dates, so nothing about private clouds leaks.
 */
export async function revocationList(): Promise<RevocationEntry[]> {
  const rows = await db.certificate.findMany({
    where: { revokedAt: { not: null } },
    orderBy: { revokedAt: 'desc' },
    include: {
      cloud: {
        select: {
          slug: true,
          name: true,
          public: true,
          archivedAt: true,
          organization: { select: { name: true, archivedAt: true } },
        },
      },
    },
  });
  return rows.map((r) => {
    const listed = r.cloud.public && !r.cloud.archivedAt && !r.cloud.organization.archivedAt;
    // The reason is free text a reviewer typed: it may name the cloud, so only listed clouds show it.
    return {
      id: r.id,
      ...(listed
        ? { cloud: { slug: r.cloud.slug, name: r.cloud.name }, organization: r.cloud.organization.name }
        : { cloud: null, organization: null }),
      standard: r.standard,
      grantedAt: r.grantedAt,
      validUntil: r.validUntil,
      revokedAt: r.revokedAt!,
      reason: listed ? (r.revokedReason ?? '') : '',
    };
  });
}

/** Reminders 30 and 7 days before a certificate expires (idempotent by dedupe key); for a job. */
export async function sendCertificateReminders(at: Date = clockNow()): Promise<number> {
  const soon = new Date(at.getTime() + 30 * 86_400_000);
  const due = await db.certificate.findMany({
    where: { revokedAt: null, validUntil: { gt: at, lte: soon } },
    include: { cloud: true },
  });
  let n = 0;
  for (const c of due) {
    const days = Math.ceil((c.validUntil.getTime() - at.getTime()) / 86_400_000);
    const window = days <= 7 ? '7d' : '30d';
    await db.$transaction(async (tx) => {
      const created = await enqueue(tx, {
        kind: 'certificate-expiry',
        organizationId: c.cloud.organizationId,
        cloudId: c.cloudId,
        subject: `Certificate of ${c.cloud.name} expires on ${c.validUntil.toISOString().slice(0, 10)}`,
        body: `The ${c.standard} certificate of ${c.cloud.name} (${c.cloud.slug}) is valid until ${c.validUntil.toISOString().slice(0, 10)}. Ask the certification body to renew it; the cloud's status must be PASS.`,
        dedupeKey: `certificate-expiry:${c.id}:${window}`,
      });
      if (created) n++;
    });
  }
  return n;
}
