// Which public answers the front process keeps rendered (scripts/lib/public-cache.ts), and the one
// query per answer that says whether a kept render is still the current one. Kept free of the
// database client and of Next.js (like freshness.ts), so the front can load it.
//
// A render is kept under the tag of everything it was made from, read BEFORE the render is asked
// for: a change committed after the tag was read makes the next tag differ, so at worst one request
// gets a render that is newer than its tag and the next request renders again. The tags are read
// from PostgreSQL on every request (coalesced: requests that arrive while a tag query runs share the
// next one), so every web instance on the same database sees a change at its next request; no
// invalidation message, no per-process state to forget.
//
// What a tag covers:
//   - cloud: the cloud's row and its organization's, by version (publication: public, archived, names,
//     run messages shown; any other column too, which only costs a render), the stored snapshot's
//     version (bumped by the triggers on runs, results, attestations, certificates and the pin) and
//     its computation window; a stale snapshot (expiry by time, a new result) is never served from
//     here, the app recomputes it;
//   - public: the same for every publicly listed cloud (joining or leaving the list changes it);
//   - revocations: every revoked certificate and the listing and names of its cloud.
// The UTC day is part of every key (history strips and periods are per day).

import { staleSql } from './freshness';
import type { SqlQuery } from './badge';

export type CacheScope = { kind: 'cloud'; slug: string } | { kind: 'public' } | { kind: 'revocations' };

export interface CachedRoute {
  /** Matched against the decoded path (no query string). */
  path: RegExp;
  /** What the answer depends on (null: not cached, pass it on). */
  scope: (match: RegExpExecArray, query: URLSearchParams) => CacheScope | null;
}

const PUBLIC: CacheScope = { kind: 'public' };
const REVOCATIONS: CacheScope = { kind: 'revocations' };
const cloud = (slug: string | null | undefined): CacheScope | null => (slug ? { kind: 'cloud', slug } : null);

/**
 * The cached public answers. A new public route joins with one line naming its scope, e.g. an Atom
 * feed of one cloud: `{ path: /^\/status\/([^/]+)\/feed\.atom$/, scope: (m) => cloud(m[1]) }`.
 * Only answers that are the same for every caller belong here (no session, no token).
 */
export const CACHED_ROUTES: CachedRoute[] = [
  { path: /^\/status$/, scope: () => PUBLIC },
  // The feeds list status changes, queued in the transaction that stores the changed snapshot.
  { path: /^\/status\/feed\.atom$/, scope: () => PUBLIC },
  { path: /^\/status\/([^/]+)\/feed\.atom$/, scope: (m) => cloud(m[1]) },
  { path: /^\/status\/([^/]+)$/, scope: (m) => cloud(m[1]) },
  { path: /^\/api\/v1\/status$/, scope: (_m, q) => (q.has('cloud') ? cloud(q.get('cloud')) : PUBLIC) },
  { path: /^\/certificates\/revoked$/, scope: () => REVOCATIONS },
  { path: /^\/api\/v1\/certificates\/revoked$/, scope: () => REVOCATIONS },
];

export function cachedScope(path: string, query: URLSearchParams): CacheScope | null {
  for (const r of CACHED_ROUTES) {
    const m = r.path.exec(path);
    if (m) return r.scope(m, query);
  }
  return null;
}

// One cloud's part of a tag: its row and its organization's, by the transaction that wrote their
// current version (xmin: every committed UPDATE writes a new version under a new transaction id, so
// any change of any column changes it; freezing may change it without a change, which only costs a
// render), and the snapshot's bookkeeping (not the summary: it changes only together with
// computedAt). xmin instead of each row as text: the tag of 5,000 public clouds took 26-38 ms as
// text, 8.5-9.7 ms so, and every public list answer waits for one.
const CLOUD_PART = `concat_ws('|', c.id, c.xmin, o.id, o.xmin, s.format, s.version, s."computedVersion",
    s."computedAt", s."staleAt")`;
const LISTED = `c.public AND c."archivedAt" IS NULL AND o."archivedAt" IS NULL`;
const FROM = `"Cloud" c JOIN "Organization" o ON o.id = c."organizationId"
    LEFT JOIN "ComplianceSnapshot" s ON s."cloudId" = c.id`;
const STALE = staleSql(`($1::timestamptz AT TIME ZONE 'UTC')`);

const CLOUD_TAG_SQL = `SELECT md5(${CLOUD_PART}) AS tag, ${STALE} AS stale FROM ${FROM} WHERE c.slug = $2 AND ${LISTED}`;
const PUBLIC_TAG_SQL = `SELECT md5(coalesce(string_agg(${CLOUD_PART}, ',' ORDER BY c.id), '')) AS tag,
    coalesce(bool_or(${STALE}), false) AS stale FROM ${FROM} WHERE ${LISTED}`;
const REVOCATIONS_TAG_SQL = `SELECT md5(coalesce(string_agg(concat_ws('|', x.id, x.xmin, c.slug, c.name, ${LISTED}),
    ',' ORDER BY x.id), '')) AS tag, false AS stale
  FROM "Certificate" x JOIN "Cloud" c ON c.id = x."cloudId" JOIN "Organization" o ON o.id = c."organizationId"
 WHERE x."revokedAt" IS NOT NULL`;

/**
 * The tag of what an answer of this scope is made of at `now`, or null when it must not be served
 * from a kept render (a stale snapshot the app must recompute first, or a cloud that is not
 * publicly listed: the app answers 404).
 */
export async function scopeTag(query: SqlQuery, scope: CacheScope, now: Date): Promise<string | null> {
  const at = now.toISOString();
  const [row] =
    scope.kind === 'cloud'
      ? await query(CLOUD_TAG_SQL, [at, scope.slug])
      : scope.kind === 'public'
        ? await query(PUBLIC_TAG_SQL, [at])
        : await query(REVOCATIONS_TAG_SQL, []);
  if (!row || row.stale) return null;
  return `${scope.kind}:${String(row.tag)}:${at.slice(0, 10)}`;
}

/** A stable name of a scope, for coalescing its tag queries. */
export function scopeKey(scope: CacheScope): string {
  return scope.kind === 'cloud' ? `cloud:${scope.slug}` : scope.kind;
}
