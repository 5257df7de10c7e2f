// The absolute origin of public links: the QR code of a status page, the badge embed snippet, and
// `statusPage`/`badge` in the status JSON. PUBLIC_URL when it is set (set it in production);
// else the address the client used: the Host header, or, only behind a trusted proxy
// (TRUST_PROXY=true), the proxy's X-Forwarded-Host and X-Forwarded-Proto. The front process
// (scripts/lib/front.ts) states these headers itself the same way, so the web process sees what the
// front decided. A host that is not a plain host[:port] is not used (a header cannot smuggle a path
// or markup into a link); then the request URL's own origin is. Imports nothing but lib/config.

import { config } from '../config';

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

type Env = Record<string, string | undefined>;
type Headers = { get(name: string): string | null };

const first = (v: string | null) => v?.split(',')[0]?.trim() || null;

/**
 * PUBLIC_URL without a trailing slash, or null when it is unset or not an absolute http(s) URL. From the
 * configuration (lib/config.ts), or from the given variables (tests).
 */
export function configuredPublicUrl(env?: Env): string | null {
  const raw = (env ? env.PUBLIC_URL : config().PUBLIC_URL)?.trim();
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** The origin public links of this request start with (no trailing slash). */
export function publicOrigin(req: { url: string; headers: Headers }, env?: Env): string {
  const configured = configuredPublicUrl(env);
  if (configured) return configured;
  const trustProxy = env ? env.TRUST_PROXY === 'true' : config().TRUST_PROXY;
  const own = new URL(req.url);
  const forwardedHost = trustProxy ? first(req.headers.get('x-forwarded-host')) : null;
  const host = [forwardedHost, req.headers.get('host')?.trim() || null].find((h) => h && HOST.test(h)) ?? own.host;
  const forwardedProto = trustProxy ? first(req.headers.get('x-forwarded-proto'))?.toLowerCase() : null;
  const proto =
    forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : own.protocol.replace(':', '');
  return `${proto}://${host.toLowerCase()}`;
}
