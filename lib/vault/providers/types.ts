/** Environment variables as the vault reads them (process.env by default). */
export type VaultEnv = Record<string, string | undefined>;

import type { Kek } from '../kek';

export type ProviderName = 'file' | 'env' | 'barbican';
export const PROVIDER_NAMES: ProviderName[] = ['file', 'env', 'barbican'];

/**
 * One source of KEKs. A provider knows the KEK new records are wrapped with (`active`) and can
 * load earlier KEKs of its own kind by id (`load`), so records wrapped before a rotation still
 * open. PKCS#11, KMIP or Vault transit are added as one more module implementing this.
 */
export interface KekProvider {
  readonly name: ProviderName;
  /** The KEK that wraps new data keys (the file provider creates one on first use). */
  active(): Promise<Kek>;
  /** A KEK of this provider by its full id ("file:..."), or null when this provider does not hold it. */
  load(kekId: string): Promise<Kek | null>;
  /** Where the key lives, for logs and `vault status` (never the key). */
  describe(): string;
}

export function kekPrefix(kekId: string): string {
  return kekId.split(':', 1)[0] ?? '';
}
