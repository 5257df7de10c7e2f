import { describe, expect, test } from 'vitest';
import {
  generatePassword,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  SCRYPT_N,
  verifyPassword,
} from '@/lib/auth/password';

// One hash takes a few hundred milliseconds (N = 2^17) and more on a busy machine.
describe('password hashing (scrypt, per-user salt)', { timeout: 60_000 }, () => {
  test('format: scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte key', async () => {
    const h = await hashPassword('correct horse battery');
    const parts = h.split('$');
    expect(parts).toHaveLength(6);
    const [scheme, n, r, p, salt, key] = parts;
    expect(scheme).toBe('scrypt');
    expect(Number(n)).toBeGreaterThanOrEqual(1 << 17);
    expect(needsRehash(h)).toBe(false);
    expect(Number(r)).toBe(8);
    expect(Number(p)).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(h).not.toContain('correct horse battery');
  });

  test('the same password twice gives different salts and hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 123'), hashPassword('same password 123')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword('same password 123', a)).toBe(true);
    expect(await verifyPassword('same password 123', b)).toBe(true);
  });

  test('verify: right password yes, wrong or differently cased no', async () => {
    const h = await hashPassword('Tr0ub4dor&3-long');
    expect(await verifyPassword('Tr0ub4dor&3-long', h)).toBe(true);
    expect(await verifyPassword('tr0ub4dor&3-long', h)).toBe(false);
    expect(await verifyPassword('Tr0ub4dor&3-lon', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  test('verify: no stored hash (OIDC-only user, unknown account) and malformed hashes are refused', async () => {
    expect(await verifyPassword('anything at all', null)).toBe(false);
    expect(await verifyPassword('anything at all', undefined)).toBe(false);
    expect(await verifyPassword('anything at all', 'plain-text')).toBe(false);
    expect(await verifyPassword('anything at all', 'bcrypt$1$2$3$abc$def')).toBe(false);
  });

  test('parameters travel with the hash: a hash made with other N still verifies', async () => {
    const crypto = await import('node:crypto');
    const salt = crypto.randomBytes(16);
    const key = crypto.scryptSync('legacy password', salt, 32, { N: 1 << 14, r: 8, p: 1 });
    const stored = `scrypt$${1 << 14}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('legacy password', stored)).toBe(true);
    expect(await verifyPassword('other password', stored)).toBe(false);
    // ... and is due for an upgrade at the next sign-in.
    expect(needsRehash(stored)).toBe(true);
    expect(SCRYPT_N).toBe(1 << 17);
  });

  test('a stored hash asking for absurd parameters or with a short key is refused, not computed', async () => {
    const salt = Buffer.alloc(16).toString('base64');
    expect(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$${salt}$${Buffer.alloc(32).toString('base64')}`)).toBe(
      false,
    );
    expect(await verifyPassword('x', `scrypt$${1 << 14}$8$1$${salt}$`)).toBe(false);
    expect(await verifyPassword('x', `scrypt$${1 << 14}$8$1$${salt}$AAAA`)).toBe(false);
  });

  test('generated passwords are long enough and distinct', () => {
    const a = generatePassword();
    expect(a.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
    expect(a).toMatch(/^[\w-]+$/);
    expect(generatePassword()).not.toBe(a);
  });
});
