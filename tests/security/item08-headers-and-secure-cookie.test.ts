// Issue 12 item 8: behind TRUST_PROXY with X-Forwarded-Proto https but no X-Forwarded-Host the
// session cookie lacked Secure; no HSTS; no Content-Security-Policy on signed-in pages.
import { beforeAll, describe, expect, test } from 'vitest';
import { call, makeWorld, signIn, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('item 8: Secure cookie behind an https proxy, HSTS over https, CSP on every page', () => {
  test('X-Forwarded-Proto https without X-Forwarded-Host: the session cookie is Secure', async () => {
    const s = await signIn(w.csp.email, w.csp.password, { https: true });
    expect(s.outcome).toBe('ok');
    const session = s.setCookies.find((c) => /session-token=/.test(c));
    expect(session).toMatch(/;\s*Secure/i);
  });

  test('HSTS on answers given over https, and only there', async () => {
    const https = await call('/signin', { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    const health = await call('/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(health.headers.get('strict-transport-security')).toMatch(/max-age=/);
    const plain = await call('/signin');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  test('a Content-Security-Policy with a per-request nonce on signed-in and public pages', async () => {
    const s = await signIn(w.csp.email, w.csp.password);
    const seen = new Set<string>();
    for (const path of ['/signin', '/compliance', '/clouds', `/clouds/${w.cloud}`, '/settings/tokens', '/nowhere']) {
      const r = await call(path, { cookie: s.cookie });
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).toMatch(/object-src 'none'/);
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      seen.add(nonce);
      // Every script of the page carries it (or the browser would not run it).
      for (const tag of r.text.match(/<script\b[^>]*>/g) ?? [])
        expect(tag, `${path}: ${tag}`).toContain(`nonce="${nonce}"`);
    }
    expect(seen.size).toBe(6);
    const status = await call('/status');
    expect(status.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
  });
});
