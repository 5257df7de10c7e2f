// When a stored compliance snapshot (snapshot.ts) may be read as it is. Kept free of imports so the
// front process (scripts/lib/front.ts) can use it without loading the database client.

/** SQL: the snapshot `s` must be recomputed before it can be read at `now` (an SQL timestamp expression). */
export function staleSql(now: string): string {
  return `(s."cloudId" IS NULL OR s."computedVersion" <> s.version OR s."computedAt" > ${now} OR s."staleAt" <= ${now})`;
}
