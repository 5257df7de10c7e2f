// Secrets of the dashboard other than cloud credentials (the instance's report-signing key, the API keys
// of compliance monitors), sealed by the vault exactly as credentials are: one envelope per row, bound to
// {cloudId: ownerId, credentialId: row id}. Rotation and the start-up check cover them
// (sealedSecretStore below, listed in scripts/lib/envelope-stores.ts beside credentials and webhook secrets).

import { randomUUID } from 'node:crypto';
import { db, type Prisma } from '../db';
import type { EnvelopeStore } from '../vault';

export type SealedPurpose = 'instance-signing-key' | 'monitor-api-key';
/** The owner of the instance's own secrets (no cloud). */
export const INSTANCE_OWNER = 'instance';

type Tx = Prisma.TransactionClient;

import { getVault, toStored } from '../credentials/vault';

/**
 * Seals `plaintext` for (purpose, owner), replacing an earlier secret of the same pair (a new row id,
 * so the old envelope cannot be put back). Returns the row id.
 */
export async function sealSecret(
  tx: Tx,
  purpose: SealedPurpose,
  ownerId: string,
  plaintext: Buffer,
  publicPart: string | null = null,
): Promise<string> {
  const id = randomUUID();
  const env = await getVault().seal(plaintext, { cloudId: ownerId, credentialId: id });
  const data = {
    id,
    purpose,
    ownerId,
    publicPart,
    ciphertext: new Uint8Array(env.ciphertext),
    nonce: new Uint8Array(env.nonce),
    tag: new Uint8Array(env.tag),
    wrappedKey: new Uint8Array(env.wrappedKey),
    kekId: env.kekId,
    formatVersion: env.formatVersion,
  };
  await tx.sealedSecret.deleteMany({ where: { purpose, ownerId } });
  await tx.sealedSecret.create({ data });
  return id;
}

/** Opens the secret of (purpose, owner); null when there is none. The caller zeroes the buffer when done. */
export async function openSecret(purpose: SealedPurpose, ownerId: string): Promise<Buffer | null> {
  const r = await db.sealedSecret.findUnique({
    where: { purpose_ownerId: { purpose, ownerId } },
    select: {
      id: true,
      ownerId: true,
      ciphertext: true,
      nonce: true,
      tag: true,
      wrappedKey: true,
      kekId: true,
      formatVersion: true,
    },
  });
  if (!r) return null;
  const env = toStored({ ...r, cloudId: r.ownerId });
  return getVault().open(env, env.binding);
}

const sealedSelect = {
  id: true,
  ownerId: true,
  ciphertext: true,
  nonce: true,
  tag: true,
  wrappedKey: true,
  kekId: true,
  formatVersion: true,
} as const;

/** The SealedSecret rows as an envelope store, for rotation and the start-up check. */
export const sealedSecretStore: EnvelopeStore = {
  label: 'sealed secret (signing key, monitor API key)',
  async pending(targetKekId, afterId, limit) {
    const rows = await db.sealedSecret.findMany({
      where: { kekId: { not: targetKekId }, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
      select: sealedSelect,
    });
    return rows.map((r) => toStored({ ...r, cloudId: r.ownerId }));
  },
  async swap(updates) {
    return db.$transaction(async (tx) => {
      let applied = 0;
      // Only a record that is still the one that was read: a replaced one is left alone.
      for (const u of updates) {
        const r = await tx.sealedSecret.updateMany({
          where: { id: u.id, kekId: u.oldKekId, wrappedKey: { equals: new Uint8Array(u.oldWrappedKey) } },
          data: { wrappedKey: new Uint8Array(u.wrappedKey), kekId: u.kekId },
        });
        applied += r.count;
      }
      return applied;
    });
  },
  async countByKek() {
    const groups = await db.sealedSecret.groupBy({ by: ['kekId'], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.kekId, g._count._all]));
  },
  async sample(kekId) {
    const r = await db.sealedSecret.findFirst({ where: { kekId }, select: sealedSelect });
    return r ? toStored({ ...r, cloudId: r.ownerId }) : null;
  },
};
