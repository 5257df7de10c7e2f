import { db } from '../db';
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

const envelopeColumns = {
  id: true,
  cloudId: true,
  ciphertext: true,
  nonce: true,
  tag: true,
  wrappedKey: true,
  kekId: true,
  formatVersion: true,
} as const;

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
    id: r.id,
    binding: { cloudId: r.cloudId, credentialId: r.id },
    kekId: r.kekId,
    formatVersion: r.formatVersion,
    ciphertext: Buffer.from(r.ciphertext),
    nonce: Buffer.from(r.nonce),
    tag: Buffer.from(r.tag),
    wrappedKey: Buffer.from(r.wrappedKey),
  };
}

export const credentialEnvelopeStore: EnvelopeStore = {
  label: 'credential',
  async pending(targetKekId, afterId, limit) {
    const rows = await db.credential.findMany({
      where: { kekId: { not: targetKekId }, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
      select: envelopeColumns,
    });
    return rows.map(toStored);
  },
  async swap(updates) {
    return db.$transaction(async (tx) => {
      let applied = 0;
      for (const u of updates) {
        const r = await tx.credential.updateMany({
          where: { id: u.id, kekId: u.oldKekId, wrappedKey: { equals: new Uint8Array(u.oldWrappedKey) } },
          data: { wrappedKey: new Uint8Array(u.wrappedKey), kekId: u.kekId },
        });
        applied += r.count;
      }
      return applied;
    });
  },
  async countByKek() {
    const groups = await db.credential.groupBy({ by: ['kekId'], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.kekId, g._count._all]));
  },
  async sample(kekId) {
    const row = await db.credential.findFirst({ where: { kekId }, select: envelopeColumns });
    return row ? toStored(row) : null;
  },
};

export interface VaultReport {
  provider: string;
  where: string;
  activeKekId: string;
  /** Records per KEK id. */
  kekIds: Record<string, number>;
}

/**
 * The start-up check: loads the active KEK (the file provider creates it on first start; the
 * barbican provider reads it now and keeps it in memory), then proves that every KEK a record of
 * the given stores references can be loaded and is the right key, by unwrapping one record per
 * store and KEK id. Throws an Error naming the KEK id when one cannot, so the app refuses to start
 * instead of failing later. The app passes every store (scripts/lib/envelope-stores.ts).
 */
export async function assertVaultReady(
  vault: Vault = getVault(),
  stores: EnvelopeStore[] = [credentialEnvelopeStore],
): Promise<VaultReport> {
  let activeKekId: string;
  try {
    activeKekId = (await vault.active()).id;
  } catch (err) {
    throw new Error(
      `refusing to start: the ${vault.provider.name} KEK provider cannot provide its key: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const kekIds: Record<string, number> = {};
  for (const store of stores) {
    for (const [kekId, count] of Object.entries(await store.countByKek())) {
      kekIds[kekId] = (kekIds[kekId] ?? 0) + count;
      const stored = await store.sample(kekId);
      if (!stored) continue;
      try {
        (await vault.open(stored, stored.binding)).fill(0);
      } catch (err) {
        const why = err instanceof VaultError ? err.message : String(err);
        throw new Error(
          `refusing to start: ${count} ${store.label} record(s) are wrapped by KEK ${kekId}, which this process cannot use (${why}). Configure the provider that holds KEK ${kekId} (see docs/security.md), or restore its key.`,
        );
      }
    }
  }
  return { provider: vault.provider.name, where: vault.provider.describe(), activeKekId, kekIds };
}
