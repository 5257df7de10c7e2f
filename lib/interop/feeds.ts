// Atom feeds (RFC 4287) of status changes: one per publicly listed cloud (/status/{slug}/feed.atom) and one
// for all of them (/status/feed.atom), linked from the status pages. An entry is one status change of
// the cloud as notifications announce it (the Notification rows of kind statusChange, written from the
// stored snapshot's changes): the dashboard's profile scs-0116 v1 and the official SCS verdict, each
// named when it changed, with the status words of lib/compliance's presentation, and nothing else: no
// run messages, no evidence.

import { db } from '../db';
import { escapeHtml } from '../html';
import { NotFoundError, describeInternalError } from '../errors';
import { now } from '../clock';
import { look } from '../compliance/presentation';
import { OFFICIAL_PREFIX } from '../compliance/profiles';
import { assertPublicCloud } from '../compliance/public';
import { publicOrigin } from '../compliance/public-origin';

export const FEED_ENTRIES = 50;
const SITE = 'SCS Key-Manager Conformance';

/** One verdict that changed: the dashboard's profile, or the official SCS verdict of a version. */
export interface VerdictChange {
  profile: string;
  from: string | null;
  to: string | null;
}

export interface Change {
  id: string;
  at: Date;
  slug: string;
  name: string;
  /** The headline profile's status after the change (the entry's category). */
  status: string;
  changes: VerdictChange[];
}

const HEADLINE = 'scs-0116 v1';

/** What changed, from a status-change notification (its data: from, to, official {from, to, version}). */
export function verdictChanges(row: {
  fromStatus: string | null;
  toStatus: string | null;
  data: unknown;
}): VerdictChange[] {
  const data = (row.data ?? {}) as { official?: { from?: string | null; to?: string | null; version?: string | null } };
  const out: VerdictChange[] = [];
  if (row.fromStatus !== row.toStatus) out.push({ profile: HEADLINE, from: row.fromStatus, to: row.toStatus });
  const o = data.official;
  if (o && (o.from ?? null) !== (o.to ?? null))
    out.push({
      profile: `SCS ${(o.version ?? '').replace(OFFICIAL_PREFIX, '')}`.trim(),
      from: o.from ?? null,
      to: o.to ?? null,
    });
  // Older notifications carry only the headline; a row that names no change still says where it stands.
  if (out.length === 0) out.push({ profile: HEADLINE, from: row.fromStatus, to: row.toStatus });
  return out;
}

/** Status changes of publicly listed clouds (public, not archived, organization not archived), newest first. */
async function publicChanges(slug: string | null): Promise<Change[]> {
  const rows = await db.notification.findMany({
    where: {
      kind: 'statusChange',
      cloud: {
        is: {
          public: true,
          archivedAt: null,
          organization: { archivedAt: null },
          ...(slug ? { slug } : {}),
        },
      },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: FEED_ENTRIES,
    select: {
      id: true,
      createdAt: true,
      fromStatus: true,
      toStatus: true,
      data: true,
      cloud: { select: { slug: true, name: true } },
    },
  });
  // Every row has its cloud (the filter above); the relation is optional for other kinds.
  return rows.flatMap((r) =>
    r.cloud
      ? [
          {
            id: r.id,
            at: r.createdAt,
            slug: r.cloud.slug,
            name: r.cloud.name,
            status: r.toStatus ?? 'MISS',
            changes: verdictChanges(r),
          },
        ]
      : [],
  );
}

const xml = (s: string) => escapeHtml(s);
const word = (s: string | null) => (s ? look(s).label : 'no status');

export function atomFeed(opts: {
  title: string;
  self: string;
  page: string;
  base: string;
  changes: Change[];
  updated: Date;
}): string {
  const entries = opts.changes.map((c) => {
    const link = `${opts.base}/status/${c.slug}`;
    const title = `${c.name}: ${c.changes.map((x) => `${x.profile} ${word(x.from)} → ${word(x.to)}`).join(', ')}`;
    const text = `${c.changes
      .map(
        (x) =>
          `${x.profile === HEADLINE ? `The status of ${c.name} in the dashboard's profile ${HEADLINE}` : `The official ${x.profile} verdict of ${c.name} (key-manager module)`} changed from ${word(x.from)} to ${word(x.to)}${x.to ? ` (${look(x.to).meaning})` : ''}.`,
      )
      .join(' ')} At ${c.at.toISOString()}.`;
    return `  <entry>
    <id>urn:uuid:${c.id}</id>
    <title>${xml(title)}</title>
    <updated>${c.at.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <category term="${xml(c.status)}" label="${xml(word(c.status))}"/>
    <summary type="text">${xml(text)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(opts.self)}</id>
  <title>${xml(opts.title)}</title>
  <updated>${opts.updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(opts.self)}"/>
  <link rel="alternate" type="text/html" href="${xml(opts.page)}"/>
  <author><name>${SITE}</name></author>
${entries.join('\n')}
</feed>
`;
}

function answer(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': status === 200 ? 'application/atom+xml; charset=utf-8' : 'text/plain; charset=utf-8',
      'Cache-Control': status >= 500 ? 'no-store' : 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** GET /status/feed.atom and /status/{slug}/feed.atom (slug null: every public cloud). */
export async function feedResponse(req: Request, slug: string | null): Promise<Response> {
  try {
    if (slug) await assertPublicCloud(slug);
    const base = publicOrigin(req);
    const changes = await publicChanges(slug);
    const name = slug ? ((await db.cloud.findUnique({ where: { slug }, select: { name: true } }))?.name ?? slug) : null;
    return answer(
      atomFeed({
        title: name ? `${name}: status changes (scs-0116)` : 'Status changes of publicly listed clouds (scs-0116)',
        self: `${base}/status${slug ? `/${slug}` : ''}/feed.atom`,
        page: `${base}/status${slug ? `/${slug}` : ''}`,
        base,
        changes,
        // Atom wants a time even for an empty feed: when it was read.
        updated: changes[0]?.at ?? now(),
      }),
    );
  } catch (err) {
    if (err instanceof NotFoundError) return answer('Not found', 404);
    console.error('[feed]', new URL(req.url).pathname, describeInternalError(err));
    return answer('Something went wrong on our side; it has been logged.', 500);
  }
}
