import { NextResponse, type NextRequest } from 'next/server';
import { FRONT_STATED_HEADERS, fromFront } from './lib/auth/client-address';
import { config as appConfig } from './lib/config';
import { pageCsp } from './lib/security-headers';
import { CROSS_SITE_MESSAGE, crossSite } from './lib/api/origin';

/**
 * Runs before every request reaches a page, action or route handler (also under `next dev` and a
 * direct `next start`, where no front process stands before the app):
 * - client-address and forwarding headers count only with the front process's per-boot proof; from
 *   anyone else they are dropped, so neither the audit log, the sign-in limiter, the same-origin
 *   guard nor Auth.js (URLs, Secure cookies) takes a client's word for them;
 * - a path that is not valid percent-encoding is a 400, not an error deep in routing;
 * - a server action from another site (or with an Origin that is no origin at all) is a 403 here, before
 *   Next.js's own check would turn it into a 500;
 * - pages get a Content-Security-Policy with a fresh nonce (Next.js puts it on its scripts).
 */
export function proxy(request: NextRequest): NextResponse {
  const headers = new Headers(request.headers);
  if (!fromFront(headers)) for (const h of FRONT_STATED_HEADERS) headers.delete(h);

  const path = request.nextUrl.pathname;
  if (!validPercentEncoding(path)) {
    const message = 'The address is not valid percent-encoding.';
    return path.startsWith('/api/')
      ? NextResponse.json({ error: { code: 'invalid_path', message } }, { status: 400 })
      : new NextResponse(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }

  if (request.method === 'POST' && headers.has('next-action') && crossSite({ headers, url: request.url }))
    return new NextResponse(CROSS_SITE_MESSAGE, {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });

  // Route handlers answer their own types and policies (plain HTML public pages set script-src 'none').
  if (ROUTE_HANDLER.test(path)) return NextResponse.next({ request: { headers } });

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const issuer = appConfig().OIDC_ISSUER;
  const csp = pageCsp(nonce, {
    dev: process.env.NODE_ENV === 'development',
    formTargets: issuer ? [new URL(issuer).origin] : [],
  });
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

/**
 * Paths answered by route handlers (JSON, SVG, PNG, plain HTML without scripts, the sandboxed PDF
 * preview with its own policy: lib/attestations/pdf-viewer.ts), not by pages.
 */
const ROUTE_HANDLER = /^\/(api|badge|status|certificates\/revoked|viewer\/pdf)(\/|$)/;

function validPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

// Not for the token API under /api/v1 nor for POST /reports (signed runner reports, up to 8 MiB): a
// proxy makes Next.js buffer every request body (up to proxyClientMaxBodySize) before the route sees
// it, which would undo the routes' own caps (1 MiB JSON, 20 MiB uploads, 8 MiB reports, read as
// streams) and cut uploads short. Those routes check the front's proof themselves (clientAddressOf,
// the same-origin guard) and answer bad percent-encoding with 400 (apiRoute; /reports has no path
// parameters).
export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|api/v1/|reports/?$).*)' }],
};
