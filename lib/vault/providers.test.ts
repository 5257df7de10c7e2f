import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { EnvKekProvider, keyCheckValue } from './providers/env';
import { FileKekProvider } from './providers/file';
import { Vault, kekDirectory } from './vault';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-unit-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const binding = { cloudId: 'c1', credentialId: 'r1' };

describe('file provider', () => {
  test('generates a 256-bit key with mode 0600 on first use, outside the database directory, and reuses it', async () => {
    const dataDir = tmp();
    const dir = kekDirectory({ DATA_DIR: dataDir });
    expect(dir).toBe(path.join(dataDir, 'kek'));
    const p = new FileKekProvider({ dir, create: true });
    const kek = await p.active();
    expect(kek.id).toMatch(/^file:\d{8}-[0-9a-f]{8}$/);
    const file = path.join(dir, `${kek.id.slice(5)}.key`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(fs.readFileSync(path.join(dir, 'current'), 'utf8').trim()).toBe(kek.id.slice(5));
    const again = await new FileKekProvider({ dir, create: true }).active();
    expect(again.id).toBe(kek.id);
    const env = await (await Vault.fromEnv({ env: { DATA_DIR: dataDir } })).seal(Buffer.from('x'), binding);
    expect(env.kekId).toBe(kek.id);
  });

  test('does not create a key when asked not to, and refuses a key file others can read', async () => {
    const dir = path.join(tmp(), 'kek');
    await expect(new FileKekProvider({ dir, create: false }).active()).rejects.toMatchObject({
      code: 'kek_unavailable',
    });
    const kek = await new FileKekProvider({ dir, create: true }).active();
    const file = path.join(dir, `${kek.id.slice(5)}.key`);
    fs.chmodSync(file, 0o644);
    await expect(new FileKekProvider({ dir }).load(kek.id)).rejects.toThrow(/chmod 600/);
  });

  test('KEK_FILE names a fixed file; its id comes from KEK_ID or the file name', async () => {
    const file = path.join(tmp(), 'prod.key');
    const p = new FileKekProvider({ dir: '/nonexistent', file, create: true });
    expect((await p.active()).id).toBe('file:prod');
    expect((await new FileKekProvider({ dir: '/x', file, fileId: 'k1' }).active()).id).toBe('file:k1');
  });

  test('generate makes a new active key; earlier keys still load', async () => {
    const dir = path.join(tmp(), 'kek');
    const p = new FileKekProvider({ dir, create: true });
    const first = await p.active();
    const second = await p.generate();
    expect(second.id).not.toBe(first.id);
    expect((await new FileKekProvider({ dir }).active()).id).toBe(second.id);
    expect(await new FileKekProvider({ dir }).load(first.id)).not.toBeNull();
  });
});

describe('env provider', () => {
  const key = crypto.randomBytes(32);
  test('reads KEK_BASE64; the default id is a check value of the key', async () => {
    const p = new EnvKekProvider({ base64: key.toString('base64') });
    expect((await p.active()).id).toBe(`env:${keyCheckValue(key)}`);
    expect((await new EnvKekProvider({ base64: key.toString('base64'), id: 'prod-2026' }).active()).id).toBe(
      'env:prod-2026',
    );
  });

  test('refuses a key of the wrong length and a missing key, with instructions', async () => {
    expect(() => new EnvKekProvider({ base64: crypto.randomBytes(16).toString('base64') })).toThrow(
      /256-bit key .* 16 bytes/,
    );
    await expect(new EnvKekProvider({}).active()).rejects.toThrow(/KEK_BASE64/);
  });

  test('KEK_PREVIOUS_BASE64 keeps older env keys loadable', async () => {
    const old = crypto.randomBytes(32);
    const p = new EnvKekProvider({ base64: key.toString('base64'), previous: old.toString('base64') });
    expect(await p.load(`env:${keyCheckValue(old)}`)).not.toBeNull();
    expect(await p.load('env:nope')).toBeNull();
  });

  test('the vault opens file-wrapped records while env is active, and names a KEK it cannot load', async () => {
    const dataDir = tmp();
    const fileVault = Vault.fromEnv({ env: { DATA_DIR: dataDir } });
    const sealed = await fileVault.seal(Buffer.from('hello'), binding);
    const envVault = Vault.fromEnv({
      env: { DATA_DIR: dataDir, KEK_PROVIDER: 'env', KEK_BASE64: key.toString('base64') },
    });
    expect((await envVault.open(sealed, binding)).toString()).toBe('hello');
    const lonely = Vault.fromEnv({ env: { DATA_DIR: tmp(), KEK_PROVIDER: 'env', KEK_BASE64: key.toString('base64') } });
    await expect(lonely.open(sealed, binding)).rejects.toThrow(new RegExp(`KEK ${sealed.kekId} cannot be loaded`));
  });

  test('an unknown KEK_PROVIDER is refused', () => {
    expect(() => Vault.fromEnv({ env: { KEK_PROVIDER: 'vault-transit' } })).toThrow(
      /unknown; choose one of file, env, barbican/,
    );
  });
});
