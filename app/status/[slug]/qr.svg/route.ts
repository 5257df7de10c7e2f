import { assertPublicCloud, publicBaseUrl } from '@/lib/compliance/public';
import { qrSvg } from '@/lib/compliance/graphics';

export const dynamic = 'force-dynamic';

// Public: the QR code (SVG) of a public cloud's status page URL (SCS-0004 §6: printed logos link by QR code).
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    await assertPublicCloud(slug);
  } catch {
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  }
  const body = await qrSvg(`${publicBaseUrl(req)}/status/${slug}`);
  return new Response(body, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'public, max-age=86400' } });
}
