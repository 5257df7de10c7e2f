// Issue 12 item 9: a session cookie kept working after sign-out (stateless JWT, up to 8 h). Sessions
// carry a version that sign-out and deactivation bump.
import { beforeAll, describe, expect, test } from 'vitest';
import { app, call, makeWorld, signIn, sql, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

async function signOut(cookie: string): Promise<void> {
  const csrf = await fetch(`${app().base}/api/auth/csrf`, { headers: { cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app().base}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${app().base}/signin` }),
  });
  expect(res.status).toBe(302);
}

describe('item 9: a session ends with sign-out, for whoever holds a copy of the cookie', () => {
  test('the cookie from before sign-out is refused afterwards (API and pages)', async () => {
    const s = await signIn(w.csp.email, w.csp.password);
    expect(s.outcome).toBe('ok');
    expect((await call('/api/v1/me', { cookie: s.cookie })).status).toBe(200);
    await signOut(s.cookie);
    expect((await call('/api/v1/me', { cookie: s.cookie })).status).toBe(401);
    const page = await call('/clouds', { cookie: s.cookie });
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toMatch(/\/signin/);
    // Signing in again works.
    const again = await signIn(w.csp.email, w.csp.password);
    expect((await call('/api/v1/me', { cookie: again.cookie })).status).toBe(200);
  });

  test('deactivation ends sessions for good: reactivating the user does not revive an old cookie', async () => {
    const s = await signIn(w.csp.email, w.csp.password);
    expect((await call('/api/v1/me', { cookie: s.cookie })).status).toBe(200);
    // As the user administration does it (lib/users updateUser): active false, then true again.
    const { updateUser } = await import('../../lib/users');
    const { systemActor } = await import('../../lib/auth/policy');
    const [{ id }] = await sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [w.csp.email]);
    process.env.DATABASE_URL = app().databaseUrl;
    const ctx = { actor: systemActor('security-suite'), clientAddress: null };
    await updateUser(ctx, id, { active: false });
    await updateUser(ctx, id, { active: true });
    expect((await call('/api/v1/me', { cookie: s.cookie })).status).toBe(401);
  });
});
