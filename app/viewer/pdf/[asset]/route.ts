import { viewerAsset } from '@/lib/attestations/pdf-viewer';

// Public: the scripts and style of the PDF preview (pdf.js from node_modules and our viewer), the
// same for everyone; any other name is a 404.
export async function GET(req: Request, { params }: { params: Promise<{ asset: string }> }) {
  const { asset } = await params;
  const a = await viewerAsset(asset, req.headers.get('if-none-match'));
  if (!a)
    return new Response('Not found.\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(a.body === null ? null : new Uint8Array(a.body), { status: a.status, headers: a.headers });
}
