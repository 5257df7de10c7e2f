import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { config } from '../config';

/**
 * The PDF preview of evidence files. CSP users upload them, so a PDF is treated as hostile: it is
 * drawn by pdf.js (the pdfjs-dist package, served from this app, never from a CDN) inside an
 * <iframe sandbox="allow-scripts"> whose document is this module's VIEWER_HTML. Without
 * allow-same-origin the frame is an opaque origin: it has no cookies, no storage and no access to
 * the page around it; the page fetches the file (as the signed-in user, through the policy) and
 * posts the bytes in. The frame's own policy allows scripts from this site only (pdf.js and
 * components/attestations/pdf-viewer/viewer.mjs), no network, no forms, no plugins, no navigation
 * of the page; the response also carries `sandbox allow-scripts`, so the document is sandboxed
 * even when opened on its own.
 */
export const VIEWER_PATH = '/viewer/pdf';

export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // The worker is a blob: URL made in the frame that imports the bundled worker script.
  'worker-src blob:',
  "style-src 'self'",
  // pdf.js turns embedded fonts into FontFace objects and may draw images through blob: URLs.
  'img-src blob: data:',
  'font-src blob: data:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox allow-scripts',
].join('; ');

export const VIEWER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PDF preview</title>
<link rel="stylesheet" href="${VIEWER_PATH}/viewer.css">
<script type="module" src="${VIEWER_PATH}/viewer.mjs"></script>
</head>
<body><main id="page"></main></body>
</html>
`;

/** Headers of the viewer document: its own policy, framing by this site's pages only, never cached stale. */
export function viewerDocumentHeaders(): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': VIEWER_CSP,
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

const JS = 'text/javascript; charset=utf-8';
/** The viewer's files, relative to the app's directory (`npm start` runs there). */
const VIEWER_ASSETS: Record<string, { path: string; type: string }> = {
  'viewer.mjs': { path: 'components/attestations/pdf-viewer/viewer.mjs', type: JS },
  'viewer.css': { path: 'components/attestations/pdf-viewer/viewer.css', type: 'text/css; charset=utf-8' },
  'pdf.mjs': { path: 'node_modules/pdfjs-dist/build/pdf.min.mjs', type: JS },
  'pdf.worker.mjs': { path: 'node_modules/pdfjs-dist/build/pdf.worker.min.mjs', type: JS },
};

const loaded = new Map<string, { body: Buffer; etag: string }>();

/**
 * One of the viewer's four files, or null for any other name (no path from the request reaches the
 * file system). Module scripts from the sandboxed frame are cross-origin requests, hence
 * `Access-Control-Allow-Origin: *`: these files are the same for everyone and hold no data.
 */
export async function viewerAsset(
  name: string,
  ifNoneMatch: string | null,
): Promise<{ status: 200 | 304; body: Buffer | null; headers: Record<string, string> } | null> {
  const asset = Object.hasOwn(VIEWER_ASSETS, name) ? VIEWER_ASSETS[name] : undefined;
  if (!asset) return null;
  let hit = loaded.get(name);
  if (!hit) {
    // A file of the project (a pdf.js asset) read at run time: the build need not trace from here.
    const file = path.join(/* turbopackIgnore: true */ process.cwd(), asset.path);
    const body = await fs.readFile(/* turbopackIgnore: true */ file);
    hit = { body, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    if (config().NODE_ENV === 'production') loaded.set(name, hit);
  }
  const headers = {
    'Content-Type': asset.type,
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': 'no-cache',
    ETag: hit.etag,
  };
  if (ifNoneMatch === hit.etag) return { status: 304, body: null, headers };
  return { status: 200, body: hit.body, headers: { ...headers, 'Content-Length': String(hit.body.length) } };
}
