// When a stored compliance snapshot (snapshot.ts) may be read as it is. Kept free of imports so the
// front process (scripts/lib/front.ts) can use it without loading the database client or the checks.

/**
 * The version of what a snapshot holds: the verdict rules, the standards' testcases and lifetimes,
 * and the shape of the stored summary. Bump it with any change to them, so every snapshot stored by
 * the previous code is recomputed after the deploy; tests/unit/snapshot-format.test.ts fails until
 * you do (it fingerprints the code that decides).
 */
export const SNAPSHOT_FORMAT = 3;

type Tag<T> = (strings: TemplateStringsArray, ...values: unknown[]) => T;

/**
 * SQL: the snapshot `s` must be recomputed before it can be read at `now`. Written once for both
 * callers: lib/compliance passes Prisma.sql (values become parameters), the front process a plain
 * tag (`now` is then its own placeholder expression, e.g. `($2::timestamptz AT TIME ZONE 'UTC')`).
 */
export function staleCondition<T>(tag: Tag<T>, now: unknown): T {
  return tag`(s."cloudId" IS NULL OR s.format <> ${SNAPSHOT_FORMAT} OR s."computedVersion" <> s.version OR s."computedAt" > ${now} OR s."staleAt" <= ${now})`;
}

/** The plain-text form of staleCondition, for a query string with numbered placeholders. */
export function staleSql(now: string): string {
  return staleCondition(
    (strings, ...values) => strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), ''),
    now,
  );
}
