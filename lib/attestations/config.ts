import { config } from '../config';

/**
 * Settings of the attestation step, from the environment (lib/config.ts: read again when a variable
 * changed, so tests can change them). Documented in README.md, "Configuration".
 *
 * - ATTESTATION_VALIDITY_DAYS (default 91): how long an approval holds. "One quarter" is defined
 *   as 91 days of 24 hours, counted from the instant of approval: expiresAt = approvedAt + 91 d.
 *   The attestation is valid while approvedAt <= now < expiresAt (at expiresAt it is expired).
 * - ATTESTATION_MAX_FILE_MB (default 20): largest evidence file, in MiB (20 MiB = 20,971,520 bytes).
 * - ATTESTATION_MAX_FILES (default 10): evidence files per attestation revision.
 * - ATTESTATION_FILES_DIR (unset): store file contents in this directory instead of PostgreSQL.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Reminder offsets before expiry, in days: 14 days and 1 day. */
export const REMINDER_DAYS = [14, 1] as const;

export function validityDays(): number {
  return config().ATTESTATION_VALIDITY_DAYS;
}

export function maxFileBytes(): number {
  return config().ATTESTATION_MAX_FILE_MB * 1024 * 1024;
}

export function maxFiles(): number {
  return config().ATTESTATION_MAX_FILES;
}

export function filesDirectory(): string | null {
  return config().ATTESTATION_FILES_DIR ?? null;
}

export function expiryOf(approvedAt: Date, days = validityDays()): Date {
  return new Date(approvedAt.getTime() + days * DAY_MS);
}
