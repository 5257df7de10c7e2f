/**
 * Errors of the vault. Messages name records and KEK ids, never key material or plaintext.
 * They are AppErrors-free on purpose (lib/vault imports nothing of the app); callers map them.
 */
export type VaultErrorCode =
  /** Authentication of the envelope failed: a field was changed, or the ciphertext belongs to another record. */
  | 'tampered'
  /** The record names a KEK this process cannot load. */
  | 'kek_unavailable'
  /** The record's format version is unknown to this code. */
  | 'unsupported_format'
  /** A KEK provider is misconfigured (missing variable, bad file mode, wrong key length). */
  | 'provider_config';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly kekId?: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}
