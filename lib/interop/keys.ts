// The OpenSSH public keys an organization signs official-runner reports with (POST /reports checks the
// signature against them). Registering and removing a key are audited in the same transaction.

import { z } from 'zod';
import { db, type OrganizationKey } from '../db';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { ConflictError, NotFoundError, ValidationError, parseInput } from '../errors';
import { SshSigError, keyLine, parsePublicKey, type PublicKey } from './sshsig';
import { loadFor } from '../resources';

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
  };
}

async function organizationFor(ctx: RequestContext, slug: string, action: 'key.list' | 'key.create' | 'key.delete') {
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

export async function deleteKey(ctx: RequestContext, organizationSlug: string, name: string): Promise<void> {
  const org = await organizationFor(ctx, organizationSlug, 'key.delete');
  await db.$transaction(async (tx) => {
    const k = await tx.organizationKey.findUnique({ where: { organizationId_name: { organizationId: org.id, name } } });
    if (!k) throw new NotFoundError('Key');
    await tx.organizationKey.delete({ where: { id: k.id } });
    await recordAudit(tx, ctx, {
      action: 'key.delete',
      targetType: 'organization-key',
      targetId: `${org.slug}/${k.name}`,
      organizationId: org.id,
      summary: `removed report-signing key "${k.name}" (${k.fingerprint}) of ${org.slug}; reports signed with it are refused from now on`,
    });
  });
}
