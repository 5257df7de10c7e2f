import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { FORMAT_VERSION, fingerprint, open, rewrap, seal, type Envelope } from './envelope';
import { VaultError } from './errors';
import { LocalKek, type Kek } from './kek';

const kekA = new LocalKek('env:a', 'env', crypto.randomBytes(32));
const kekB = new LocalKek('env:b', 'env', crypto.randomBytes(32));
const lookup = (id: string): Kek => {
  if (id === kekA.id) return kekA;
  if (id === kekB.id) return kekB;
  throw new VaultError('kek_unavailable', `KEK ${id} cannot be loaded.`, id);
};
const binding = {
  cloudId: '11111111-1111-4111-8111-111111111111',
  credentialId: '22222222-2222-4222-8222-222222222222',
};
const SECRET = 'canary-Envelope-Secret-7f3a';

function flip(buf: Buffer, at = 0): Buffer {
  const out = Buffer.from(buf);
  out[at % out.length] ^= 0x01;
  return out;
}

async function expectTampered(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  expect((err as VaultError).code).toBe('tampered');
  expect((err as Error).message).toMatch(/does not decrypt/);
  expect((err as Error).message).not.toContain(SECRET);
  return err as VaultError;
}

describe('envelope', () => {
  test('round-trips, with a fresh data key and nonce per record', async () => {
    const e1 = await seal(Buffer.from(SECRET), binding, kekA);
    const e2 = await seal(Buffer.from(SECRET), binding, kekA);
    expect(e1.formatVersion).toBe(FORMAT_VERSION);
    expect(e1.kekId).toBe('env:a');
    expect(e1.nonce).toHaveLength(12);
    expect(e1.tag).toHaveLength(16);
    expect(e1.wrappedKey).toHaveLength(60);
    expect(e1.ciphertext.equals(e2.ciphertext)).toBe(false);
    expect(e1.wrappedKey.equals(e2.wrappedKey)).toBe(false);
    expect(e1.ciphertext.toString('utf8')).not.toContain(SECRET);
    expect((await open(e1, binding, lookup)).toString()).toBe(SECRET);
  });

  const fields = ['ciphertext', 'nonce', 'tag', 'wrappedKey'] as const;
  for (const field of fields) {
    test(`a changed ${field} fails with a clear error`, async () => {
      const env = await seal(Buffer.from(SECRET), binding, kekA);
      for (const at of [0, env[field].length - 1]) {
        await expectTampered(open({ ...env, [field]: flip(env[field], at) }, binding, lookup));
      }
      await expectTampered(open({ ...env, [field]: env[field].subarray(1) }, binding, lookup));
    });
  }

  test('a changed format version is refused by name', async () => {
    const env = await seal(Buffer.from(SECRET), binding, kekA);
    await expect(open({ ...env, formatVersion: 2 }, binding, lookup)).rejects.toMatchObject({
      code: 'unsupported_format',
    });
  });

  test('a changed KEK id fails: unknown id names it, another known KEK does not unwrap', async () => {
    const env = await seal(Buffer.from(SECRET), binding, kekA);
    await expect(open({ ...env, kekId: 'env:zzz' }, binding, lookup)).rejects.toMatchObject({
      code: 'kek_unavailable',
      kekId: 'env:zzz',
    });
    const err = await expectTampered(open({ ...env, kekId: 'env:b' }, binding, lookup));
    expect(err.message).toContain('env:b');
  });

  test('moving a ciphertext (or the whole envelope) to another record or cloud fails', async () => {
    const env = await seal(Buffer.from(SECRET), binding, kekA);
    const other = { ...binding, credentialId: '33333333-3333-4333-8333-333333333333' };
    await expectTampered(open(env, other, lookup));
    await expectTampered(open(env, { ...binding, cloudId: other.credentialId }, lookup));
    // ciphertext+nonce+tag of record 1 grafted onto record 2's wrapped key
    const env2: Envelope = await seal(Buffer.from('other secret'), other, kekA);
    await expectTampered(open({ ...env2, ciphertext: env.ciphertext, nonce: env.nonce, tag: env.tag }, other, lookup));
    // record 1's wrapped key grafted onto record 2
    await expectTampered(open({ ...env2, wrappedKey: env.wrappedKey }, other, lookup));
  });

  test('rewrap moves the data key to another KEK without touching the ciphertext', async () => {
    const env = await seal(Buffer.from(SECRET), binding, kekA);
    const next = await rewrap(env, binding, lookup, kekB);
    expect(next.kekId).toBe('env:b');
    const moved = { ...env, ...next };
    expect((await open(moved, binding, lookup)).toString()).toBe(SECRET);
    // the old wrapped key under the new id does not open
    await expectTampered(open({ ...env, kekId: 'env:b' }, binding, lookup));
  });

  test('fingerprint is the last 4 hex digits of SHA-256', () => {
    expect(fingerprint('abc')).toBe(crypto.createHash('sha256').update('abc').digest('hex').slice(-4));
    expect(fingerprint('abc')).toMatch(/^[0-9a-f]{4}$/);
  });

  test('a KEK never serialises its key', () => {
    expect(JSON.stringify(kekA)).toBe('{"id":"env:a","provider":"env"}');
  });
});
