// Issue 12, "What to build": scrypt cost raised to at least N = 2^17, with the stored hash of an
// existing user replaced at their next successful sign-in.
import crypto from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from '../../lib/auth/password';
import { makeWorld, signIn, sql, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const costOf = (stored: string) => Number(stored.split('$')[1]);

describe('scrypt: N >= 2^17, old hashes upgraded at sign-in', () => {
  test('new hashes use N >= 2^17 and verify', async () => {
    const h = await hashPassword('a fresh password of length');
    expect(costOf(h)).toBeGreaterThanOrEqual(1 << 17);
    expect(await verifyPassword('a fresh password of length', h)).toBe(true);
  });

  test('a user with an N = 2^15 hash signs in as before, and the hash is replaced by an N >= 2^17 one', async () => {
    const salt = crypto.randomBytes(16);
    const key = crypto.scryptSync(w.csp.password, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const legacy = `scrypt$${1 << 15}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    await sql('UPDATE "User" SET "passwordHash" = $1 WHERE email = $2', [legacy, w.csp.email]);
    expect((await signIn(w.csp.email, w.csp.password)).outcome).toBe('ok');
    const [{ passwordHash }] = await sql<{ passwordHash: string }>(
      'SELECT "passwordHash" FROM "User" WHERE email = $1',
      [w.csp.email],
    );
    expect(passwordHash).not.toBe(legacy);
    expect(costOf(passwordHash)).toBeGreaterThanOrEqual(1 << 17);
    expect((await signIn(w.csp.email, w.csp.password)).outcome).toBe('ok');
  });
});
