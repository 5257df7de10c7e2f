/**
 * Settings of the attestation step, from the environment (read on every call, so tests can
 * change them). Documented in README.md, "Configuration".
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

function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

export function validityDays(): number {
  return intSetting('ATTESTATION_VALIDITY_DAYS', 91, 1, 3660);
}

export function maxFileBytes(): number {
  return intSetting('ATTESTATION_MAX_FILE_MB', 20, 1, 1024) * 1024 * 1024;
}

export function maxFiles(): number {
  return intSetting('ATTESTATION_MAX_FILES', 10, 1, 100);
}

export function filesDirectory(): string | null {
  return process.env.ATTESTATION_FILES_DIR || null;
}

export function expiryOf(approvedAt: Date, days = validityDays()): Date {
  return new Date(approvedAt.getTime() + days * DAY_MS);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
