import { AppError } from '../errors';
import { config } from '../config';
import { fromFront } from '../auth/client-address';

/**
 * Cross-site request forgery guard for writes that ride on the session cookie. A browser states
 * where a request comes from (Origin on every POST/PUT/PATCH/DELETE, Sec-Fetch-Site in current
 * browsers); a write whose origin is not this site's (scheme, host and port) is refused with 403.
 * Bearer-token requests carry no ambient credential and are not checked; a request without either
 * header does not come from a browser page and is let through (it has no cookie to abuse but its own).
 */
export function assertSameOrigin(req: Request): void {
  if (req.headers.get('authorization')) return;
  if (crossSite(req)) throw new AppError('cross_origin', CROSS_SITE_MESSAGE, 403);
}

export const CROSS_SITE_MESSAGE = 'Cross-site requests are refused: send it from this dashboard, or use a token.';

/** Whether a browser says the request comes from another site (or gives an Origin that is none). */
export function crossSite(req: Pick<Request, 'headers' | 'url'>): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.get('origin');
  if (origin === null) return false;
  return !allowedOrigins(req).has(parseOrigin(origin) ?? '\u0000');
}

/** "scheme://host:port" of an Origin header, or null when it is not one (e.g. "null", garbage). */
export function parseOrigin(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const u = new URL(value);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  return u.origin;
}

/**
 * This site's origin as the request reached it: the address the front process states (it knows the
 * public scheme and host), else the Host header with the request's own scheme; and PUBLIC_URL's.
 */
export function requestOrigin(req: Pick<Request, 'headers' | 'url'>): string | null {
  const h = req.headers;
  const front = fromFront(h);
  const host = (front && h.get('x-forwarded-host')) || h.get('host');
  const proto = (front && h.get('x-forwarded-proto')) || new URL(req.url).protocol.replace(':', '');
  return host ? parseOrigin(`${proto}://${host}`) : null;
}

function allowedOrigins(req: Pick<Request, 'headers' | 'url'>): Set<string> {
  const out = new Set<string>();
  const own = requestOrigin(req);
  if (own) out.add(own);
  const pub = config().PUBLIC_URL;
  if (pub) out.add(new URL(pub).origin);
  return out;
}
