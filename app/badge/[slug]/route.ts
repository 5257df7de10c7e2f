import { publicBadgeStatus } from '@/lib/compliance/public';
import { badgeAnswer } from '@/lib/compliance/badge';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

// Public: /badge/{slug}.svg of a publicly listed cloud; anything else is a plain 404. Behind
// `npm start` the front process answers badges whose stored snapshot is fresh; this route does the rest.
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug: file } = await params;
  const slug = file.replace(/\.svg$/, '');
  let a;
  try {
    a = badgeAnswer(await publicBadgeStatus(slug));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    a = badgeAnswer(null);
  }
  return new Response(a.body, { status: a.status, headers: a.headers });
}
