import { publicBadgeStatus } from '@/lib/compliance/public';
import { badgeAnswer } from '@/lib/compliance/badge';
import { NotFoundError } from '@/lib/errors';
import { shieldsEndpoint } from '@/lib/interop/badge-json';

export const dynamic = 'force-dynamic';

// Public: /badge/{slug}.svg of a publicly listed cloud, and /badge/{slug}.json, its shields.io endpoint
// badge; anything else is a 404. Behind `npm start` the front process answers SVG badges whose stored
// snapshot is fresh; this route does the rest.
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug: file } = await params;
  const json = file.endsWith('.json');
  const slug = file.replace(/\.(svg|json)$/, '');
  let status = null;
  try {
    status = await publicBadgeStatus(slug);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  if (json) {
    const e = shieldsEndpoint(status);
    return Response.json(e.body, { status: e.status, headers: e.headers });
  }
  const a = badgeAnswer(status);
  return new Response(a.body, { status: a.status, headers: a.headers });
}
