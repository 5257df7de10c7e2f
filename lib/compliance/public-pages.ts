// The public status pages as HTTP responses, for the thin route handlers app/status/route.ts and
// app/status/[slug]/route.ts: load through lib/compliance/public.ts, render with public-html.ts.

import { describeInternalError, NotFoundError } from '../errors';
import type { Html } from '../html';
import { parsePeriod } from './history';
import { mapPublicClouds, publicCloud, publicHistory } from './public';
import { publicOrigin } from './public-origin';
import {
  errorHtml,
  notFoundHtml,
  revocationListHtml,
  statusListHtml,
  statusListRow,
  statusPageHtml,
} from './public-html';
import { revocationList } from './certificates';

/**
 * The pages carry no script, so the policy allows none: an injection that got past the escaping
 * could not run code. Inline styles are allowed (the one <style> element and the strips' widths and
 * colours in style attributes); images come from our own badge and QR routes; the period filter
 * submits to ourselves; no framing (as X-Frame-Options: DENY from next.config.mjs).
 */
export const PUBLIC_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Public data, the same for everyone: caches may keep it for a minute (the badge keeps five).
 * Errors are not cached, so a failure does not outlive its cause.
 */
function htmlResponse(body: Html, status = 200): Response {
  return new Response(body.value, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': status >= 500 ? 'no-store' : 'public, max-age=60',
      'Content-Security-Policy': PUBLIC_PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

async function respond(req: Request, page: () => Promise<Html>): Promise<Response> {
  try {
    return htmlResponse(await page());
  } catch (err) {
    if (err instanceof NotFoundError) return htmlResponse(notFoundHtml(), 404);
    console.error('[status]', req.method, new URL(req.url).pathname, describeInternalError(err));
    return htmlResponse(errorHtml(), 500);
  }
}

/** GET /status */
export function statusListResponse(req: Request): Promise<Response> {
  return respond(req, async () => statusListHtml(await mapPublicClouds(statusListRow)));
}

/** GET /status/{slug}?period=…: 404 unless the cloud is publicly listed (and not archived). */
export function statusPageResponse(req: Request, slug: string): Promise<Response> {
  return respond(req, async () => {
    const period = parsePeriod(new URL(req.url).searchParams.get('period'));
    // Each query checks on its own that the cloud is public; asking both at once saves a round trip.
    const [cloud, history] = await Promise.all([publicCloud(slug), publicHistory(slug, period)]);
    return statusPageHtml({ cloud, history, period, base: publicOrigin(req) });
  });
}

/** GET /certificates/revoked */
export function revocationListResponse(req: Request): Promise<Response> {
  return respond(req, async () => revocationListHtml(await revocationList()));
}
