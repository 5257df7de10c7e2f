import { statusPageQr } from '@/lib/compliance/public';

export const dynamic = 'force-dynamic';

// Public: the QR code (SVG) of a public cloud's status page URL.
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const qr = await statusPageQr(req, (await params).slug, 'svg');
  if (!qr) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  return new Response(qr.body, {
    headers: { 'Content-Type': qr.contentType, 'Cache-Control': 'public, max-age=86400' },
  });
}
