// Issue 12 item 5 (500 instead of 4xx): a NUL character in a name; bad percent-encoding in a path;
// a newline in `next` on /signin; a malformed Origin header on a server action.
import { beforeAll, describe, expect, test } from 'vitest';
import { app, call, makeWorld, signIn, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('item 5: bad input is a 4xx, never a 500', () => {
  test('a NUL character in a name: 4xx with a clear error (API and sign-in)', async () => {
    const r = await call('/api/v1/organizations', {
      method: 'POST',
      token: app().admin.token,
      body: { slug: 'nul-name', name: 'bad\u0000name' },
    });
    expect(r.status, r.text).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.json).toMatchObject({ error: { message: expect.stringMatching(/NUL/) } });
    const q = await call('/api/v1/clouds?q=%00', { token: app().admin.token });
    expect(q.status, q.text).toBeLessThan(500);
    const slug = await call('/api/v1/clouds/a%00b', { token: app().admin.token });
    expect(slug.status, slug.text).toBeLessThan(500);
    expect((await signIn('nul\u0000@example.test', 'whatever-password')).outcome).toBe('bad_credentials');
  });

  test('a very long address: 414 from the front, never a 5xx', async () => {
    // Found by the API fuzzer: the web process answered such an address with a redirect naming it,
    // too large for the front to read back, and the client got a 503 "restarting".
    for (const n of [15_800, 9_000]) {
      for (const method of ['GET', 'DELETE']) {
        const r = await call(`/api/v1/organizations//keys/${'x'.repeat(n)}`, { method, token: app().admin.token });
        expect(r.status, `${method}, ${n} characters: ${r.text.slice(0, 120)}`).toBe(414);
        expect(r.json).toMatchObject({ error: { code: 'uri_too_long' } });
      }
    }
    // Up to the limit, addresses reach the app as before.
    const edge = await call(`/api/v1/clouds/${'x'.repeat(8_000)}`, { token: app().admin.token });
    expect(edge.status, edge.text.slice(0, 120)).toBe(404);
  });

  test('bad percent-encoding in a path: 400', async () => {
    for (const path of ['/api/v1/clouds/%E0%A4%A', '/status/%E0%A4%A', '/clouds/%E0%A4%A']) {
      const r = await call(path, { token: app().admin.token });
      expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(400);
    }
  });

  test('a newline (or other control character) in `next` on /signin: the page, not a 500', async () => {
    for (const next of ['%0Ahttps://evil.example', '/compliance%0D%0ASet-Cookie:x=1', '/x%00']) {
      const r = await call(`/signin?next=${next}`);
      expect(r.status, next).toBe(200);
    }
    // Signed in, the page redirects to `next`: never to a header-breaking or foreign place.
    const s = await signIn(w.csp.email, w.csp.password);
    expect(s.outcome).toBe('ok');
    const r = await call('/signin?next=%0Ahttps://evil.example', { cookie: s.cookie });
    expect(r.status).toBeLessThan(400);
    expect(r.headers.get('location') ?? '').not.toMatch(/evil|\n/);
  });

  test('a malformed Origin header on a server action: 4xx', async () => {
    const s = await signIn(w.csp.email, w.csp.password);
    for (const origin of ['http://[', 'null', '::::', 'http://%zz']) {
      const r = await call('/settings/tokens', {
        method: 'POST',
        cookie: s.cookie,
        headers: { 'next-action': '7f'.repeat(21), origin, accept: 'text/x-component', 'content-type': 'text/plain' },
        raw: '[]',
      });
      expect(r.status, `Origin ${origin}: ${r.status} ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
  });
});
