// The status badge of a publicly listed cloud (/badge/{slug}.svg), read from the stored snapshot in
// one query. Shared by the app's route (app/badge/[slug]/route.ts) and the front process, which
// answers badges itself when the snapshot is fresh (badges are embedded in other sites and read far
// more often than anything else). No database client here: callers pass their query function.

import { escapeHtml } from '../html';
import { staleSql } from './freshness';
import { look } from './presentation';

export interface BadgeStatus {
  name: string;
  status: string;
  certified: boolean;
}

export type SqlQuery = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** Publicly listed: public, not archived, of an organization not archived (as lib/compliance/public.ts). */
const BADGE_SQL = `SELECT c.name, s.status, s.summary->'certificate'->>'state' AS certificate,
    ${staleSql(`($2::timestamptz AT TIME ZONE 'UTC')`)} AS stale
  FROM "Cloud" c JOIN "Organization" o ON o.id = c."organizationId" LEFT JOIN "ComplianceSnapshot" s ON s."cloudId" = c.id
 WHERE c.slug = $1 AND c.public AND c."archivedAt" IS NULL AND o."archivedAt" IS NULL`;

/**
 * The badge from the stored snapshot; 'not-found' for a cloud that is not publicly listed, 'stale' when it must be
 * recomputed first.
 */
export async function storedBadge(
  query: SqlQuery,
  slug: string,
  now: Date,
): Promise<BadgeStatus | 'not-found' | 'stale'> {
  const [row] = await query(BADGE_SQL, [slug, now.toISOString()]);
  if (!row) return 'not-found';
  if (row.stale || !row.status) return 'stale';
  return { name: String(row.name), status: String(row.status), certified: row.certificate === 'valid' };
}

/** Approximate width of Verdana 11px text, as shields-style badges do. */
function textWidth(s: string): number {
  return (
    Math.round([...s].reduce((w, ch) => w + (/[A-Z0-9*]/.test(ch) ? 7.5 : /[il.: ]/.test(ch) ? 3.5 : 6.2), 0)) + 10
  );
}

export function badgeSvg(status: string, opts: { label?: string; certified?: boolean } = {}): string {
  const l = look(status);
  const left = opts.label ?? 'SCS key manager';
  const right = `${l.label}${opts.certified ? ' · certified' : ''}`;
  const lw = textWidth(left),
    rw = textWidth(right),
    w = lw + rw;
  const title = escapeHtml(`${left}: ${right}`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}"><title>${title}</title>` +
    `<rect width="${lw}" height="20" fill="#374151"/><rect x="${lw}" width="${rw}" height="20" fill="${l.fill}"/>` +
    `<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">` +
    `<text x="${lw / 2}" y="14" fill="#ffffff">${escapeHtml(left)}</text><text x="${lw + rw / 2}" y="14" fill="${l.ink}">${escapeHtml(right)}</text></g></svg>`
  );
}

/** The HTTP answer for a badge (null: no such public cloud). Caches may keep it five minutes. */
export function badgeAnswer(s: BadgeStatus | null): { status: number; headers: Record<string, string>; body: string } {
  if (!s)
    return {
      status: 404,
      headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'public, max-age=60' },
      body: 'Not found',
    };
  return {
    status: 200,
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=600',
      'X-Content-Type-Options': 'nosniff',
    },
    body: badgeSvg(s.status, { certified: s.certified }),
  };
}
