// Issue 12 item 6: public links (the QR code of a status page, the badge embed snippet, statusPage
// and badge in the status JSON) are absolute and point where the public reaches the dashboard:
// PUBLIC_URL when it is set, else the request's Host; X-Forwarded-Host/Proto only behind a trusted
// proxy (TRUST_PROXY=true). Before, they pointed at the web process's own http://localhost:<port>.
// A client can neither steer them through forwarding headers nor smuggle markup or a path through
// the Host header. Both halves are checked: the front process states the headers
// (scripts/lib/front.ts forwardHeaders), the web process builds links from them (public-origin.ts).
import type http from 'node:http';
import { describe, expect, test } from 'vitest';
import { configuredPublicUrl, publicOrigin } from '@/lib/compliance/public-origin';
import { statusPageHtml } from '@/lib/compliance/public-html';
import { forwardHeaders } from '@/scripts/lib/front';

/** A request as the web process sees it: Next.js gives it its own URL (localhost), the headers are the front's. */
const webRequest = (headers: Record<string, string>) => ({
  url: 'http://localhost:3000/status/alpha',
  headers: new Headers(headers),
});

/** The headers the front passes on for a client request with these headers. */
function throughFront(clientHeaders: Record<string, string>, env: { trustProxy: boolean; publicUrl?: string }) {
  const req = { headers: clientHeaders, socket: { remoteAddress: '198.51.100.7' } } as unknown as http.IncomingMessage;
  const out = forwardHeaders(req, {
    trustProxy: env.trustProxy,
    publicUrl: env.publicUrl ? new URL(env.publicUrl) : null,
    host: '127.0.0.1',
    port: 3000,
  });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)]));
}

describe('public links', () => {
  test('PUBLIC_URL wins over every header', () => {
    const env = { PUBLIC_URL: 'https://status.example.org/', TRUST_PROXY: 'true' };
    const req = webRequest({ host: 'evil.test', 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'http' });
    expect(publicOrigin(req, env)).toBe('https://status.example.org');
    expect(configuredPublicUrl({ PUBLIC_URL: 'https://example.org/km/' })).toBe('https://example.org/km');
    expect(configuredPublicUrl({ PUBLIC_URL: 'javascript:alert(1)' })).toBeNull();
  });

  test('without PUBLIC_URL: the Host the client used, never the web process localhost', () => {
    expect(publicOrigin(webRequest({ host: 'dashboard.example.net:8443' }), {})).toBe(
      'http://dashboard.example.net:8443',
    );
    // through the real front: it passes the client's Host on
    const headers = throughFront({ host: 'dashboard.example.net' }, { trustProxy: false });
    expect(publicOrigin(webRequest(headers), {})).toBe('http://dashboard.example.net');
  });

  test('forwarding headers from a client count only behind a trusted proxy', () => {
    const spoof = { host: 'dashboard.example.net', 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' };
    // Not trusted: the front overwrites them with the Host, and the web process ignores them anyway.
    const stated = throughFront(spoof, { trustProxy: false });
    expect(stated['x-forwarded-host']).toBe('dashboard.example.net');
    expect(publicOrigin(webRequest(stated), {})).toBe('http://dashboard.example.net');
    expect(publicOrigin(webRequest(spoof), {})).toBe('http://dashboard.example.net');
    // Trusted proxy: its (first) values are the client's address.
    const proxied = throughFront(
      { host: '10.0.0.5:3000', 'x-forwarded-host': 'status.example.org, inner.test', 'x-forwarded-proto': 'https' },
      { trustProxy: true },
    );
    expect(publicOrigin(webRequest(proxied), { TRUST_PROXY: 'true' })).toBe('https://status.example.org');
  });

  test('a Host header cannot smuggle a path, credentials or markup into a link', () => {
    for (const host of ['evil.test/phish', 'user@evil.test', 'a"><script>x</script>', 'evil.test\\@x', ' ', 'a b']) {
      const origin = publicOrigin(webRequest({ host }), {});
      expect(origin, host).toBe('http://localhost:3000');
    }
    const trusted = publicOrigin(webRequest({ host: 'ok.example', 'x-forwarded-host': 'evil.test/x' }), {
      TRUST_PROXY: 'true',
    });
    expect(trusted).toBe('http://ok.example');
    expect(
      publicOrigin(webRequest({ host: 'ok.example', 'x-forwarded-proto': 'gopher' }), { TRUST_PROXY: 'true' }),
    ).toBe('http://ok.example');
  });

  test('the status page renders its QR text and embed snippet from that origin, escaped', () => {
    const base = publicOrigin(webRequest({ host: 'status.example.org' }), {});
    const doc = statusPageHtml({
      cloud: {
        cloud: {
          id: 'c',
          slug: 'alpha',
          name: 'Alpha',
          public: true,
          archived: false,
          region: 'RegionOne',
          publicRunMessages: false,
          organization: { id: 'o', slug: 'o', name: 'O' },
        },
        evaluations: [
          {
            standard: 'scs-0116-v1',
            kind: 'dashboard',
            short: 'v1',
            validity: 'effective',
            informational: false,
            status: 'MISS',
            reasons: [],
            warnings: [],
            testcases: [],
          },
          {
            standard: 'scs-0116-draft',
            kind: 'dashboard',
            short: 'draft',
            validity: 'effective',
            informational: true,
            status: 'MISS',
            reasons: [],
            warnings: [],
            testcases: [],
          },
        ],
        status: 'MISS',
        official: null,
        manual: { verdict: 'MISS', reason: '' },
        openAttestation: null,
        certificate: { state: 'none', current: null, all: [] },
        lastRun: null,
        schedule: 'daily',
        nextRunAt: null,
      },
      history: { from: '2026-01-01', to: '2026-01-01', days: ['2026-01-01'], since: null, strips: [], compliance: [] },
      period: '30d',
      base,
    }).value;
    expect(doc).toContain('alt="QR code of http://status.example.org/status/alpha"');
    expect(doc).toContain('&lt;a href=&quot;http://status.example.org/status/alpha&quot;&gt;');
    expect(doc).not.toContain('localhost');
  });
});
