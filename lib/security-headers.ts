import securityHeaders from './security-headers.json' with { type: 'json' };

/**
 * Headers on every response: set by next.config.mjs for the app, and by the front process for what it
 * answers itself. The Content-Security-Policy of pages is made per request with a nonce (proxy.ts).
 * They live in JSON so that next.config.mjs, plain JavaScript, reads the same ones.
 */
export const SECURITY_HEADERS: Record<string, string> = securityHeaders;

/** Sent only on answers given over https (browsers ignore it over http anyway). */
export const HSTS_HEADER: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/** For answers without scripts (the front's own: health, badges, the 503 page). */
export const OWN_ANSWER_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * The policy of the app's pages: scripts only with this request's nonce (Next.js puts it on its own
 * scripts), and what those load ('strict-dynamic'); styles from this site and inline style
 * attributes; no plugins, no framing, forms and <base> only to this site (and the OpenID provider,
 * where a form posts to it by redirect).
 */
export function pageCsp(nonce: string, opts: { dev?: boolean; formTargets?: string[] } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${opts.formTargets?.length ? ` ${opts.formTargets.join(' ')}` : ''}`,
    "frame-ancestors 'none'",
  ].join('; ');
}
