import { AppError, ValidationError } from '../errors';

/**
 * The one reader of request bodies for the API: JSON up to MAX_JSON_BYTES (1 MiB), and a multipart
 * upload up to its caller's limit. Both refuse a larger body with 413 before reading more of it (by
 * its Content-Length, or as soon as the stream passes the cap), so no signed-in caller can make the
 * web process buffer 50 MiB.
 */
export const MAX_JSON_BYTES = 1024 * 1024;

export class PayloadTooLarge extends AppError {
  constructor(limit: number, what = 'The request body') {
    super('payload_too_large', `${what} is larger than ${formatLimit(limit)}.`, 413);
  }
}

function formatLimit(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/**
 * Reads the rest of a refused body and drops it, chunk by chunk (memory stays flat): Next.js finishes
 * the answer only once the request has been read, and a cancelled stream would leave it waiting.
 */
function discard(body: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array> | null): void {
  if (!body) return;
  const reader = 'getReader' in body ? body.getReader() : body;
  const pump = (): Promise<void> => reader.read().then((r) => (r.done ? undefined : pump()));
  pump().catch(() => {});
}

/** The raw body, at most `cap` bytes; PayloadTooLarge (413) as soon as it is known to be larger. */
async function readCapped(req: Request, cap: number, tooLarge: () => Error): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    discard(req.body);
    throw tooLarge();
  }
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      discard(reader);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A raw body of at most `cap` bytes, for bodies that are neither JSON nor multipart (the signed YAML
 * of POST /reports); PayloadTooLarge (413) as soon as it is known to be larger.
 */
export async function readBodyBytes(req: Request, cap: number, what = 'The request body'): Promise<Uint8Array> {
  return readCapped(req, cap, () => new PayloadTooLarge(cap, what));
}

/** The path of the first string (or key) holding a NUL character, which PostgreSQL cannot store. */
function nulPath(v: unknown, path: string[] = []): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path.join('.') || '_' : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nulPath(v[i], [...path, String(i)]);
      if (p) return p;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) return [...path, k.replace(/\u0000/g, '\\u0000')].join('.');
      const p = nulPath(x, [...path, k]);
      if (p) return p;
    }
  }
  return null;
}

/**
 * The JSON body of an API request: 413 above 1 MiB, 400 when it is not UTF-8 JSON, 422 naming the
 * field when a text holds a NUL character. With `optional`, an empty body is `undefined`.
 */
export async function readJsonBody(req: Request, opts: { optional?: boolean } = {}): Promise<unknown> {
  const bytes = await readCapped(req, MAX_JSON_BYTES, () => new PayloadTooLarge(MAX_JSON_BYTES));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('invalid_json', 'The request body must be JSON in UTF-8.', 400);
  }
  if (!text.trim()) {
    if (opts.optional) return undefined;
    throw new AppError('invalid_json', 'The request body must be JSON (it is empty).', 400);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', `The request body must be JSON${opts.optional ? ' (or empty)' : ''}.`, 400);
  }
  const bad = nulPath(value);
  if (bad)
    throw new ValidationError(
      { [bad]: 'Must not contain a NUL character (\\u0000).' },
      'Text must not contain a NUL character (\\u0000).',
    );
  return value;
}

/** A JSON object body (400 for an array or a scalar); `{}` for an empty optional body. */
export async function readJsonObject(
  req: Request,
  opts: { optional?: boolean } = {},
): Promise<Record<string, unknown>> {
  const v = await readJsonBody(req, opts);
  if (v === undefined) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new AppError('invalid_json', 'The request body must be a JSON object.', 400);
  return v as Record<string, unknown>;
}

/** Slack for the multipart envelope around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * The file of a multipart/form-data upload (field "file", optional field "filename"), reading at
 * most maxBytes plus the envelope: a larger body is refused (413) before it is buffered.
 */
export async function readUpload(req: Request, maxBytes: number): Promise<{ name: string; bytes: Uint8Array }> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new ValidationError(
      { file: 'Send the file as multipart/form-data in the field "file".' },
      'Send the file as multipart/form-data in the field "file".',
    );
  }
  const tooBig = () => {
    const message = `The upload is larger than the limit of ${formatLimit(maxBytes)} per file.`;
    return new AppError('payload_too_large', message, 413, { file: message });
  };
  const body = await readCapped(req, maxBytes + MULTIPART_OVERHEAD, tooBig);
  let form: FormData;
  try {
    form = await new Response(Buffer.from(body), { headers: { 'content-type': type } }).formData();
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
