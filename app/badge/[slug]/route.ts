import { publicBadgeStatus } from '@/lib/compliance/public';
import { badgeSvg } from '@/lib/compliance/graphics';

export const dynamic = 'force-dynamic';

// Public: /badge/{slug}.svg of a publicly listed cloud; anything else is a 404 badge-less answer.
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug: file } = await params;
  const slug = file.replace(/\.svg$/, '');
  try {
    const s = await publicBadgeStatus(slug);
    return new Response(badgeSvg(s.status, { certified: s.certified }), {
      headers: { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300, stale-while-revalidate=600', 'X-Content-Type-Options': 'nosniff' },
    });
  } catch {
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'public, max-age=60' } });
  }
}
