import { AppError, ValidationError } from '../errors';
import { formatBytes } from './config';

/**
 * HTTP helpers for the attestation route handlers (plain Request/Response, nothing of Next):
 * a same-origin guard for cookie-authenticated writes and a size-capped multipart reader.
 */

/**
 * Browsers send Origin with every POST/PATCH/DELETE; a write that carries the session cookie
 * from another site is refused. Requests with a bearer token carry no ambient credential and
 * are not checked.
 */
export function assertSameOrigin(req: Request): void {
  if (req.headers.get('authorization')) return;
  const origin = req.headers.get('origin');
  if (!origin) return;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (!host || originHost !== host) throw new AppError('cross_origin', 'Cross-site requests are refused.', 403);
}

/** Slack for the multipart envelope around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * The file of a multipart/form-data upload (field "file"), reading at most maxBytes plus the
 * envelope: a larger body is refused before it is buffered.
 */
export async function readUpload(req: Request, maxBytes: number): Promise<{ name: string; bytes: Uint8Array }> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new ValidationError(
      { file: 'Send the file as multipart/form-data in the field "file".' },
      'Send the file as multipart/form-data in the field "file".',
    );
  }
  const tooBig = () =>
    new ValidationError(
      { file: `The upload is larger than the limit of ${formatBytes(maxBytes)} per file.` },
      `The upload is larger than the limit of ${formatBytes(maxBytes)} per file.`,
    );
  const cap = maxBytes + MULTIPART_OVERHEAD;
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) throw tooBig();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        await reader.cancel().catch(() => {});
        throw tooBig();
      }
      chunks.push(value);
    }
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new ValidationError(
      { file: 'The upload is not valid multipart/form-data.' },
      'The upload is not valid multipart/form-data.',
    );
  }
  const file = form.get('file');
  if (!file || typeof file === 'string')
    throw new ValidationError({ file: 'Choose a file to upload.' }, 'Choose a file to upload (field "file").');
  const name = form.get('filename');
  return { name: typeof name === 'string' && name ? name : file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}
