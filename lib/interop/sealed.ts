// Secrets of the dashboard other than cloud credentials (the instance's report-signing key, the API keys
// of compliance monitors), sealed by the vault exactly as credentials are: one envelope per row, bound to
// {cloudId: ownerId, credentialId: row id}. Rotation and the start-up check cover them
// (lib/credentials/vault.ts: sealedSecretEnvelopeStore beside the credentials' store).

import { randomUUID } from 'node:crypto';
import { db, type Prisma } from '../db';

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
  return getVault().open(env, env);
}
