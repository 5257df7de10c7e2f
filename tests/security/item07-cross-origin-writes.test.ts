// Issue 12 item 7: cookie-authenticated API writes (runs, credential test/put/delete) accepted a
// foreign Origin; only the attestation routes refused it. The check is now in `apiRoute` for every
// write that rides on the session cookie.
import { beforeAll, describe, expect, test } from 'vitest';
import { app, call, credentialBody, makeWorld, signIn, type World } from './support';

let w: World;
let cookie = '';
beforeAll(async () => {
  w = await makeWorld();
  const s = await signIn(w.csp.email, w.csp.password);
  expect(s.outcome).toBe('ok');
  cookie = s.cookie;
});

const writes = (cloud: string): [string, string, unknown?][] => [
  ['POST', `/api/v1/clouds/${cloud}/runs`],
  ['POST', `/api/v1/clouds/${cloud}/credential/test`],
  ['PUT', `/api/v1/clouds/${cloud}/credential`, credentialBody()],
  ['DELETE', `/api/v1/clouds/${cloud}/credential`],
  ['POST', `/api/v1/clouds/${cloud}/attestations`],
];

describe('item 7: cookie-authenticated writes from another site are refused (403)', () => {
  test('a foreign Origin', async () => {
    for (const [method, path, body] of writes(w.cloud)) {
      const r = await call(path, { method, cookie, body, headers: { origin: 'https://evil.example' } });
      expect(r.status, `${method} ${path}: ${r.text.slice(0, 200)}`).toBe(403);
      expect(r.json).toMatchObject({ error: { code: 'cross_origin' } });
    }
  });

  test('Sec-Fetch-Site: cross-site (or same-site) without an Origin', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const r = await call(`/api/v1/clouds/${w.cloud}/runs`, {
        method: 'POST',
        cookie,
        headers: { 'sec-fetch-site': site },
      });
      expect(r.status, site).toBe(403);
    }
  });

  test('the same writes from this site pass the guard; a bearer token is not affected by Origin', async () => {
    const own = await call(`/api/v1/clouds/${w.cloud}/runs`, {
      method: 'POST',
      cookie,
      headers: { origin: app().base, 'sec-fetch-site': 'same-origin' },
    });
    expect([200, 201]).toContain(own.status);
    const token = await call(`/api/v1/clouds/${w.cloud}/runs`, {
      method: 'POST',
      token: w.csp.token,
      headers: { origin: 'https://evil.example' },
    });
    expect([200, 201]).toContain(token.status);
  });
});
