import { assertPublicCloud, publicBaseUrl } from '@/lib/compliance/public';
import { qrPng } from '@/lib/compliance/graphics';

export const dynamic = 'force-dynamic';

// Public: the QR code (PNG) of a public cloud's status page URL (SCS-0004 §6: printed logos link by QR code).
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    await assertPublicCloud(slug);
  } catch {
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  }
  const body = await qrPng(`${publicBaseUrl(req)}/status/${slug}`);
  return new Response(new Uint8Array(body), { headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' } });
}
