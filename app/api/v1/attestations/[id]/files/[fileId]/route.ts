import { apiRoute } from '@/lib/next/route';
import { readAttestationFile, removeAttestationFile } from '@/lib/attestations';
import { contentDisposition, contentTypeFor, isInlineImage, previewable } from '@/lib/attestations/files';
import { AppError } from '@/lib/errors';

/**
 * Downloads an evidence file after re-verifying its SHA-256 (an altered file is refused with
 * an integrity error): as an attachment, with the detected type, nosniff and a sandbox. With
 * ?inline=1 (a preview) the content is sniffed again and must be the stored image or PDF type,
 * else 415; an image is then answered inline (for the page's <img>), a PDF stays an attachment (the
 * page fetches it for the sandboxed viewer; the browser's own PDF viewer never opens it).
 */
export const GET = apiRoute<{ id: string; fileId: string }>(async (ctx, req, { id, fileId }) => {
  const f = await readAttestationFile(ctx, id, fileId);
  const preview = new URL(req.url).searchParams.get('inline') === '1';
  if (preview && !(await previewable(f.mime, f.bytes)))
    throw new AppError('not_previewable', 'This file cannot be previewed: its content is not a PNG, JPEG or PDF.', 415);
  const inline = preview && isInlineImage(f.mime);
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
