// When a stored compliance snapshot (snapshot.ts) may be read as it is. Kept free of imports so the
// front process (scripts/lib/front.ts) can use it without loading the database client or the checks.

/**
 * The version of what a snapshot holds: the verdict rules, the standards' testcases and lifetimes,
 * and the shape of the stored summary. Bump it with any change to them, so every snapshot stored by
 * the previous code is recomputed after the deploy; tests/unit/snapshot-format.test.ts fails until
 * you do (it fingerprints the code that decides).
 */
export const SNAPSHOT_FORMAT = 2;

/** SQL: the snapshot `s` must be recomputed before it can be read at `now` (an SQL timestamp expression). */
export function staleSql(now: string): string {
  return `(s."cloudId" IS NULL OR s.format <> ${SNAPSHOT_FORMAT} OR s."computedVersion" <> s.version OR s."computedAt" > ${now} OR s."staleAt" <= ${now})`;
}
