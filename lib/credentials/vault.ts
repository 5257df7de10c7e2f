import { db, Prisma } from '../db';
import { Vault, VaultError, type EnvelopeStore, type StoredEnvelope } from '../vault';

/**
 * The process's vault (KEK providers from the environment) and the PostgreSQL side of it: the
 * envelope store rotation works on, and the start-up check. Decryption itself stays in lib/vault.
 */
const g = globalThis as unknown as { scsVault?: Vault };

export function getVault(): Vault {
  g.scsVault ??= Vault.fromEnv({ create: true });
  return g.scsVault;
}

/** Tests and the vault CLI switch environments within one process. */
export function setVault(vault: Vault | undefined): void {
  g.scsVault = vault;
}

type EnvelopeRow = {
  id: string;
  cloudId: string;
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  tag: Uint8Array;
  wrappedKey: Uint8Array;
  kekId: string;
  formatVersion: number;
};

export function toStored(r: EnvelopeRow): StoredEnvelope {
  return {
    credentialId: r.id,
    cloudId: r.cloudId,
    kekId: r.kekId,
    formatVersion: r.formatVersion,
    ciphertext: Buffer.from(r.ciphertext),
    nonce: Buffer.from(r.nonce),
    tag: Buffer.from(r.tag),
    wrappedKey: Buffer.from(r.wrappedKey),
  };
}

/** An envelope store with what the start-up check needs: one record per KEK id, and a name for messages. */
export interface EnvelopeTable extends EnvelopeStore {
  what: string;
  sample(kekId: string): Promise<StoredEnvelope | null>;
}

/**
 * The envelopes of one table, bound to {cloudId: <owner column>, credentialId: id}: Credential rows (the
 * owner is the cloud), and SealedSecret rows (lib/interop/sealed.ts: the instance's signing key, monitor
 * API keys; the owner is a cloud id or "instance"). Table and column names are constants of this file.
 */
function envelopeTable(
  table: 'Credential' | 'SealedSecret',
  owner: 'cloudId' | 'ownerId',
  what: string,
): EnvelopeTable {
  const t = Prisma.raw(`"${table}"`);
  const columns = Prisma.raw(
    `id::text AS id, "${owner}"::text AS "cloudId", ciphertext, nonce, tag, "wrappedKey", "kekId", "formatVersion"`,
  );
  return {
    what,
    async pending(targetKekId, afterId, limit) {
      const rows = await db.$queryRaw<EnvelopeRow[]>`
        SELECT ${columns} FROM ${t}
         WHERE "kekId" <> ${targetKekId} AND (${afterId}::uuid IS NULL OR id > ${afterId}::uuid)
         ORDER BY id LIMIT ${limit}`;
      return rows.map(toStored);
    },
    async swap(updates) {
      return db.$transaction(async (tx) => {
        let applied = 0;
        // Only a record that is still the one that was read: a replaced one is left alone.
        for (const u of updates)
          applied += await tx.$executeRaw`
            UPDATE ${t} SET "wrappedKey" = ${new Uint8Array(u.wrappedKey)}, "kekId" = ${u.kekId}
             WHERE id = ${u.credentialId}::uuid AND "kekId" = ${u.oldKekId} AND "wrappedKey" = ${new Uint8Array(u.oldWrappedKey)}`;
        return applied;
      });
    },
    async countByKek() {
      const rows = await db.$queryRaw<Array<{ kekId: string; n: number }>>`
        SELECT "kekId", count(*)::int AS n FROM ${t} GROUP BY "kekId"`;
      return Object.fromEntries(rows.map((r) => [r.kekId, r.n]));
    },
    async sample(kekId) {
      const [r] = await db.$queryRaw<EnvelopeRow[]>`SELECT ${columns} FROM ${t} WHERE "kekId" = ${kekId} LIMIT 1`;
      return r ? toStored(r) : null;
    },
  };
}

export const credentialEnvelopeStore = envelopeTable('Credential', 'cloudId', 'credential record(s)');
export const sealedSecretEnvelopeStore = envelopeTable(
  'SealedSecret',
  'ownerId',
  'sealed secret(s) (signing key, monitor API keys)',
);
/** Every store of envelopes: the start-up check and rotation cover all of them. */
export const ENVELOPE_STORES: EnvelopeTable[] = [credentialEnvelopeStore, sealedSecretEnvelopeStore];

export interface VaultReport {
  provider: string;
  where: string;
  activeKekId: string;
  /** Records per KEK id. */
  kekIds: Record<string, number>;
}

/**
 * The start-up check: loads the active KEK (the file provider creates it on first start; the
 * barbican provider reads it now and keeps it in memory), then proves that every KEK a record
 * references can be loaded and is the right key, by unwrapping one record per KEK id. Throws an
 * Error naming the KEK id when one cannot, so the app refuses to start instead of failing later.
 */
export async function assertVaultReady(vault: Vault = getVault()): Promise<VaultReport> {
  let activeKekId: string;
  try {
    activeKekId = (await vault.active()).id;
  } catch (err) {
    throw new Error(
      `refusing to start: the ${vault.provider.name} KEK provider cannot provide its key: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const kekIds: Record<string, number> = {};
  for (const store of ENVELOPE_STORES) {
    for (const [kekId, count] of Object.entries(await store.countByKek())) {
      kekIds[kekId] = (kekIds[kekId] ?? 0) + count;
      const stored = await store.sample(kekId);
      if (!stored) continue;
      try {
        (await vault.open(stored, stored)).fill(0);
      } catch (err) {
        const why = err instanceof VaultError ? err.message : String(err);
        throw new Error(
          `refusing to start: ${count} ${store.what} are wrapped by KEK ${kekId}, which this process cannot use (${why}). Configure the provider that holds KEK ${kekId} (see docs/security.md), or restore its key.`,
        );
      }
    }
  }
  return { provider: vault.provider.name, where: vault.provider.describe(), activeKekId, kekIds };
}
