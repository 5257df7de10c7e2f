import { apiRoute } from '@/lib/next/route';
import { readAttestationFile, removeAttestationFile } from '@/lib/attestations';
import { contentDisposition, contentTypeFor, isInlineImage } from '@/lib/attestations/files';

/**
 * Downloads an evidence file after re-verifying its SHA-256 (an altered file is refused with
 * an integrity error): as an attachment, with the detected type, nosniff and a sandbox. With
 * ?inline=1 an image is answered inline (for the page's <img> preview), with the same headers;
 * every other type stays an attachment.
 */
export const GET = apiRoute<{ id: string; fileId: string }>(async (ctx, req, { id, fileId }) => {
  const f = await readAttestationFile(ctx, id, fileId);
  const inline = new URL(req.url).searchParams.get('inline') === '1' && isInlineImage(f.mime);
  return new Response(new Uint8Array(f.bytes), {
    headers: {
      'Content-Type': contentTypeFor(f.mime),
      'Content-Disposition': contentDisposition(f.name, inline ? 'inline' : 'attachment'),
      'Content-Length': String(f.bytes.length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
      'Repr-Digest': `sha-256=:${Buffer.from(f.sha256, 'hex').toString('base64')}:`,
    },
  });
});

export const DELETE = apiRoute<{ id: string; fileId: string }>(async (ctx, req, { id, fileId }) => {
  await removeAttestationFile(ctx, id, fileId);
  return new Response(null, { status: 204 });
});
