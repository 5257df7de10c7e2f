// Issue 12 item 1 (SSRF by any CSP user): `allow_private_addresses` switches the address guard off
// for one cloud, so the checks can reach internal services and show their answers in the evidence.
// Only certification staff may set it; a CSP user gets 403 with a reason, through the API and forms.
import { beforeAll, describe, expect, test } from 'vitest';
import { app, call, credentialBody, makeWorld, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('item 1: only staff may allow private addresses for a cloud', () => {
  test('a CSP user setting allow_private_addresses for its own cloud gets 403 with a message, and nothing is stored', async () => {
    const r = await call(`/api/v1/clouds/${w.cloud}/credential`, {
      method: 'PUT',
      token: w.csp.token,
      body: credentialBody({ auth_url: 'http://127.0.0.1:9/v3', allow_private_addresses: true }),
    });
    expect(r.status, r.text).toBe(403);
    expect(r.json).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/private addresses/) } });
    const view = await call(`/api/v1/clouds/${w.cloud}/credential`, { token: w.csp.token });
    expect(view.status).toBe(404);
  });

  test('the same credential without the switch is accepted (and the guard stays on)', async () => {
    const r = await call(`/api/v1/clouds/${w.cloud}/credential`, {
      method: 'PUT',
      token: w.csp.token,
      body: credentialBody(),
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ allowPrivateAddresses: false });
  });

  test('staff may allow private addresses (labs)', async () => {
    const r = await call(`/api/v1/clouds/${w.cloud}/credential`, {
      method: 'PUT',
      token: app().admin.token,
      body: credentialBody({ allow_private_addresses: true }),
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ allowPrivateAddresses: true });
  });
});
