// The OpenSSH public keys an organization signs official-runner reports with (POST /reports checks the
// signature against them). Registering, approving, withdrawing the approval and removing a key are
// audited in the same transaction.
//
// A CSP registers its organization's keys itself, so a registered key only lets a report in. Its runs
// count toward verdicts and certificates only while the certification body approves the key (policy
// key.approve, staff): in SCS the reports that count are signed by SCS's own runner (Zuul) key, and a
// key the CSP generated would let the certified party vouch for itself. For the same reason an
// approved key is removed only by staff: removing it would let the CSP shed results it does not like.
// Approval changes make the organization's snapshots stale (trigger, migration key_approval).
// Otherwise a key is immutable: a new key is a new registration.

import { z } from 'zod';
import { db, Prisma, type OrganizationKey, type Tx } from '../db';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { ConflictError, NotFoundError, ValidationError, parseInput } from '../errors';
import { SshSigError, keyLine, parsePublicKey, type PublicKey } from './sshsig';
import { loadFor } from '../resources';
import { authorize, type Resource } from '../auth/policy';
import { now as clockNow } from '../clock';
import { refreshWhere } from '../compliance/snapshot';

export const MAX_KEYS_PER_ORGANIZATION = 20;

export const keyNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the key a name, e.g. "zuul-runner".')
  .max(63, 'At most 63 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'A letter or digit first, then letters, digits, dot, dash or underscore.');

export const keyInput = z.object({
  name: keyNameSchema,
  publicKey: z.string().max(16_384, 'A public key line is at most 16 KiB.'),
});

export interface KeyView {
  name: string;
  type: string;
  bits: number;
  fingerprint: string;
  /** The OpenSSH line, with its comment. */
  publicKey: string;
  comment: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  /** The certification body's approval: only reports signed with an approved key count. */
  approvedAt: Date | null;
  approvedBy: string | null;
}

export function keyView(k: OrganizationKey): KeyView {
  return {
    name: k.name,
    type: k.type,
    bits: k.bits,
    fingerprint: k.fingerprint,
    publicKey: k.comment ? `${k.publicKey} ${k.comment}` : k.publicKey,
    comment: k.comment,
    createdAt: k.createdAt,
    createdBy: k.createdByLabel,
    lastUsedAt: k.lastUsedAt,
    approvedAt: k.approvedAt,
    approvedBy: k.approvedAt ? k.approvedByLabel : null,
  };
}

/** The policy's resource for a key: whether it is approved decides who may remove it. */
export const keyResource = (k: { organizationId: string; approvedAt: Date | null }): Resource => ({
  type: 'key',
  organizationId: k.organizationId,
  approved: k.approvedAt !== null,
});

async function organizationFor(ctx: RequestContext, slug: string, action: 'key.list' | 'key.create') {
  return loadFor(
    ctx,
    action,
    'Organization',
    db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, archivedAt: true } }),
    (o) => ({ type: 'organization', id: o.id }),
  );
}

export async function listKeys(ctx: RequestContext, organizationSlug: string): Promise<KeyView[]> {
  const org = await organizationFor(ctx, organizationSlug, 'key.list');
  const keys = await db.organizationKey.findMany({ where: { organizationId: org.id }, orderBy: { createdAt: 'asc' } });
  return keys.map(keyView);
}

export async function addKey(ctx: RequestContext, organizationSlug: string, input: unknown): Promise<KeyView> {
  const org = await organizationFor(ctx, organizationSlug, 'key.create');
  if (org.archivedAt) throw new ConflictError('This organization is archived; restore it before adding keys.');
  const data = parseInput(keyInput, input);
  let key: PublicKey;
  try {
    key = parsePublicKey(data.publicKey);
  } catch (err) {
    if (err instanceof SshSigError) throw new ValidationError({ publicKey: err.message });
    throw err;
  }
  return db.$transaction(async (tx) => {
    // Serialise additions per organization, so the cap and the duplicate checks hold under races.
    await tx.$queryRaw`SELECT 1 FROM "Organization" WHERE id = ${org.id}::uuid FOR UPDATE`;
    const existing = await tx.organizationKey.findMany({ where: { organizationId: org.id } });
    if (existing.some((k) => k.name === data.name))
      throw new ConflictError(`A key named "${data.name}" exists already.`, { name: 'This name is taken.' });
    const same = existing.find((k) => k.fingerprint === key.fingerprint);
    if (same)
      throw new ConflictError(`This key is registered already, as "${same.name}".`, {
        publicKey: `Registered already as "${same.name}".`,
      });
    if (existing.length >= MAX_KEYS_PER_ORGANIZATION)
      throw new ConflictError(
        `An organization has at most ${MAX_KEYS_PER_ORGANIZATION} keys; remove one you no longer use first.`,
      );
    const k = await tx.organizationKey.create({
      data: {
        organizationId: org.id,
        name: data.name,
        type: key.type,
        bits: key.bits,
        publicKey: keyLine(key),
        comment: key.comment.slice(0, 200),
        fingerprint: key.fingerprint,
        createdById: ctx.actor?.id || null,
        createdByLabel: ctx.actor?.email ?? 'system',
      },
    });
    await recordAudit(tx, ctx, {
      action: 'key.create',
      targetType: 'organization-key',
      targetId: `${org.slug}/${k.name}`,
      organizationId: org.id,
      summary: `registered report-signing key "${k.name}" (${k.type}, ${k.bits} bits, ${k.fingerprint}) for ${org.slug}`,
    });
    return keyView(k);
  });
}

type KeyAction = 'key.delete' | 'key.approve' | 'key.unapprove';

/** One key of an organization, after the policy (a missing organization or key: 404, as one out of sight). */
async function keyFor(ctx: RequestContext, organizationSlug: string, name: string, action: KeyAction) {
  const valid = typeof organizationSlug === 'string' && organizationSlug !== '' && typeof name === 'string';
  const org = valid
    ? await db.organization.findUnique({
        where: { slug: organizationSlug },
        select: { id: true, slug: true, archivedAt: true },
      })
    : null;
  const key = org
    ? await db.organizationKey.findUnique({ where: { organizationId_name: { organizationId: org.id, name } } })
    : null;
  const k = await loadFor(ctx, action, 'Key', key, keyResource);
  return { org: org!, key: k };
}

/**
 * The key row locked for this transaction, as it stands now; the policy asked again if its approval
 * changed since it was read (a CSP's removal racing a staff approval must not remove an approved key).
 */
async function lockKey(tx: Tx, ctx: RequestContext, id: string, action: KeyAction): Promise<OrganizationKey> {
  await tx.$queryRaw`SELECT 1 FROM "OrganizationKey" WHERE id = ${id}::uuid FOR UPDATE`;
  const k = await tx.organizationKey.findUnique({ where: { id } });
  if (!k) throw new NotFoundError('Key');
  authorize(ctx.actor, action, keyResource(k));
  return k;
}

/** How many runs were imported from uploads this key signed (for the audit summaries). */
const importedWith = (tx: Tx, keyId: string) => tx.run.count({ where: { upload: { keyId } } });

/**
 * After an approval change: store the organization's clouds' compliance now, so a status change is
 * noticed (and notified) at once. Best effort, as after an upload: the trigger made the snapshots
 * stale in the change's transaction, and any reader recomputes a stale snapshot anyway.
 */
const storeCompliance = (organizationId: string) =>
  refreshWhere(Prisma.sql`c."organizationId" = ${organizationId}::uuid`).catch(() => {});

/**
 * Staff approve a key: the official-runner reports it signed, before and after, count toward the
 * verdicts and certificates of the organization's clouds (runCounts). Audited; approving an approved
 * key changes nothing.
 */
export async function approveKey(ctx: RequestContext, organizationSlug: string, name: string): Promise<KeyView> {
  const { org, key } = await keyFor(ctx, organizationSlug, name, 'key.approve');
  if (org.archivedAt) throw new ConflictError('This organization is archived; restore it before approving keys.');
  const view = await db.$transaction(async (tx) => {
    const k = await lockKey(tx, ctx, key.id, 'key.approve');
    if (k.approvedAt) return keyView(k);
    const u = await tx.organizationKey.update({
      where: { id: k.id },
      data: {
        approvedAt: clockNow(),
        approvedById: ctx.actor?.id || null,
        approvedByLabel: ctx.actor?.email ?? 'system',
      },
    });
    const n = await importedWith(tx, k.id);
    await recordAudit(tx, ctx, {
      action: 'key.approve',
      targetType: 'organization-key',
      targetId: `${org.slug}/${k.name}`,
      organizationId: org.id,
      summary: `approved report-signing key "${k.name}" (${k.type}, ${k.fingerprint}) of ${org.slug}: official-runner reports signed with it count toward verdicts and certificates (runs imported with it so far: ${n})`,
    });
    return keyView(u);
  });
  await storeCompliance(org.id);
  return view;
}

/**
 * Staff withdraw a key's approval: the runs imported with it are kept and shown but stop counting at
 * once; reports it signs are still taken (and do not count). Audited; withdrawing from an unapproved
 * key changes nothing.
 */
export async function withdrawKeyApproval(
  ctx: RequestContext,
  organizationSlug: string,
  name: string,
): Promise<KeyView> {
  const { org, key } = await keyFor(ctx, organizationSlug, name, 'key.unapprove');
  const view = await db.$transaction(async (tx) => {
    const k = await lockKey(tx, ctx, key.id, 'key.unapprove');
    if (!k.approvedAt) return keyView(k);
    const u = await tx.organizationKey.update({
      where: { id: k.id },
      data: { approvedAt: null, approvedById: null, approvedByLabel: null },
    });
    const n = await importedWith(tx, k.id);
    await recordAudit(tx, ctx, {
      action: 'key.unapprove',
      targetType: 'organization-key',
      targetId: `${org.slug}/${k.name}`,
      organizationId: org.id,
      summary: `withdrew the approval of report-signing key "${k.name}" (${k.fingerprint}) of ${org.slug}, approved by ${k.approvedByLabel ?? 'unknown'} on ${k.approvedAt.toISOString().slice(0, 10)}: the runs imported with it (${n}) are kept but no longer count toward verdicts or certificates`,
    });
    return keyView(u);
  });
  await storeCompliance(org.id);
  return view;
}

/**
 * Remove a key: reports signed with it are refused from now on; the runs imported with it stay, and
 * no longer count (their upload loses its key). An approved key is removed only by staff (policy).
 */
export async function deleteKey(ctx: RequestContext, organizationSlug: string, name: string): Promise<void> {
  const { org, key } = await keyFor(ctx, organizationSlug, name, 'key.delete');
  await db.$transaction(async (tx) => {
    const k = await lockKey(tx, ctx, key.id, 'key.delete');
    const n = await importedWith(tx, k.id);
    await tx.organizationKey.delete({ where: { id: k.id } });
    await recordAudit(tx, ctx, {
      action: 'key.delete',
      targetType: 'organization-key',
      targetId: `${org.slug}/${k.name}`,
      organizationId: org.id,
      summary: `removed report-signing key "${k.name}" (${k.fingerprint}) of ${org.slug}; reports signed with it are refused from now on; ${
        k.approvedAt
          ? `it was approved, so the runs imported with it (${n}) are kept but no longer count toward verdicts or certificates`
          : `the runs imported with it (${n}) are kept (they did not count: the key was not approved)`
      }`,
    });
  });
  await storeCompliance(org.id);
}
