import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { admin, base, dbQuery } from './support/setup';

// A session is a signed, encrypted JWT in a cookie; its expiry is enforced by the server.
async function sessionCookie(userId: string, expSecondsFromNow: number, sessionVersion: number) {
  const secret = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, 'auth-secret'), 'utf8').trim();
  // encode() sets the expiry to now + maxAge itself.
  const value = await encode({
    secret,
    salt: 'authjs.session-token',
    maxAge: expSecondsFromNow,
    // The user's session version: sign-out (another spec signs the admin out) bumps it.
    token: { uid: userId, sub: userId, sv: sessionVersion },
  });
  return { name: 'authjs.session-token', value, url: base() };
}

test('an expired session is refused and a valid one accepted', async ({ browser }) => {
  const [u] = await dbQuery<{ id: string; sessionVersion: number }>(
    'SELECT id, "sessionVersion" FROM "User" WHERE email = $1',
    [admin().email],
  );
  const valid = await browser.newContext();
  await valid.addCookies([await sessionCookie(u.id, 600, u.sessionVersion)]);
  const p1 = await valid.newPage();
  await p1.goto('/clouds');
  await expect(p1.getByTestId('whoami')).toContainText(admin().email);

  const expired = await browser.newContext();
  await expired.addCookies([await sessionCookie(u.id, -60, u.sessionVersion)]);
  const p2 = await expired.newPage();
  await p2.goto('/clouds');
  await expect(p2).toHaveURL(/\/signin/);
  // A cookie of an earlier session version (before a sign-out) is refused as well.
  const old = await browser.newContext();
  await old.addCookies([await sessionCookie(u.id, 600, u.sessionVersion - 1)]);
  const p3 = await old.newPage();
  await p3.goto('/clouds');
  await expect(p3).toHaveURL(/\/signin/);
  await old.close();
  await valid.close();
  await expired.close();
});
