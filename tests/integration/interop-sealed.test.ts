import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { Vault, keyCheckValue } from '@/lib/vault';
import { assertVaultReady, setVault } from '@/lib/credentials/vault';
import { openSecret, sealSecret } from '@/lib/interop/sealed';
import { envelopeStores } from '../../scripts/lib/envelope-stores';
import { ensureSigningKey, forgetInstanceKey, instanceKey } from '@/lib/interop/signing-key';
import { parseSignature, verifySignature } from '@/lib/interop/sshsig';
import { databaseUrl, tempDir } from './support/fixtures';

// The instance signing key and monitor API keys are sealed by the vault like credentials: the start-up
// check opens them, `npm run vault -- rotate` re-wraps them, and another KEK cannot read them.
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = tempDir('interop-sealed-');
const envKey = crypto.randomBytes(32);
const fileVault = () => Vault.fromEnv({ env: { DATA_DIR: dataDir, KEK_PROVIDER: 'file' } });

function vaultCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/vault.ts', ...args], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl(),
      DATA_DIR: dataDir,
      KEK_PROVIDER: 'file',
      KEK_BASE64: envKey.toString('base64'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

beforeAll(async () => {
  // Rotation and the start-up check work on every record of every envelope store: start from none
  // (as vault-rotation.test.ts does). Webhook signing secrets that other files left behind, sealed
  // under their own KEKs, would otherwise be what the start-up check reports.
  await db.credential.deleteMany({});
  await db.sealedSecret.deleteMany({});
  await db.webhook.deleteMany({});
  setVault(fileVault());
  forgetInstanceKey();
});

describe('sealed secrets', () => {
  test('the signing key is made once (also when asked at once), sealed, and signs verifiable reports', async () => {
    const made = await Promise.all([ensureSigningKey(), ensureSigningKey(), ensureSigningKey()]);
    expect(made.filter((m) => m.created)).toHaveLength(1);
    expect(new Set(made.map((m) => m.publicKey)).size).toBe(1);
    expect(await db.sealedSecret.count({ where: { purpose: 'instance-signing-key' } })).toBe(1);
    const row = await db.sealedSecret.findFirstOrThrow({ where: { purpose: 'instance-signing-key' } });
    // The private key is not in the row in any readable form.
    expect(Buffer.from(row.ciphertext).toString('latin1')).not.toMatch(/PRIVATE|ssh-ed25519/);
    const key = await instanceKey();
    expect(key.publicKey).toBe(made[0]!.publicKey);
    const sig = parseSignature(key.sign(Buffer.from('text'), 'report'));
    verifySignature(sig, Buffer.from('text'), 'report');
    expect(sig.publicKey.fingerprint).toBe(key.fingerprint);
  });

  test('a secret sealed for one owner cannot be moved to another; replacing one removes the old envelope', async () => {
    const owner = crypto.randomUUID();
    const id1 = await db.$transaction((tx) => sealSecret(tx, 'monitor-api-key', owner, Buffer.from('first')));
    const id2 = await db.$transaction((tx) => sealSecret(tx, 'monitor-api-key', owner, Buffer.from('second')));
    expect(id2).not.toBe(id1);
    expect(String(await openSecret('monitor-api-key', owner))).toBe('second');
    await db.sealedSecret.update({ where: { id: id2 }, data: { ownerId: crypto.randomUUID() } });
    const moved = await db.sealedSecret.findUniqueOrThrow({ where: { id: id2 } });
    await expect(openSecret('monitor-api-key', moved.ownerId)).rejects.toThrow(/does not decrypt/);
    await db.sealedSecret.delete({ where: { id: id2 } });
  });

  test('the start-up check refuses a sealed secret under a KEK it cannot load; rotation re-wraps sealed secrets', async () => {
    const owner = crypto.randomUUID();
    await db.$transaction((tx) => sealSecret(tx, 'monitor-api-key', owner, Buffer.from('api-key-canary')));
    const stranger = Vault.fromEnv({
      env: {
        DATA_DIR: tempDir('interop-stranger-'),
        KEK_PROVIDER: 'env',
        KEK_BASE64: crypto.randomBytes(32).toString('base64'),
      },
    });
    // As npm start checks it: every envelope store (scripts/lib/envelope-stores.ts).
    await expect(assertVaultReady(stranger, await envelopeStores())).rejects.toThrow(
      /refusing to start: 2 sealed secret \(signing key, monitor API key\) record\(s\) are wrapped by KEK file:/,
    );
    const r = await vaultCli(['rotate', '--to', 'env']);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('2 record(s) re-wrapped');
    const envKekId = `env:${keyCheckValue(envKey)}`;
    expect(await db.sealedSecret.count({ where: { kekId: { not: envKekId } } })).toBe(0);
    // Only the env KEK now: both secrets still open.
    setVault(
      Vault.fromEnv({
        env: { DATA_DIR: tempDir('interop-envonly-'), KEK_PROVIDER: 'env', KEK_BASE64: envKey.toString('base64') },
      }),
    );
    forgetInstanceKey();
    expect(String(await openSecret('monitor-api-key', owner))).toBe('api-key-canary');
    expect((await instanceKey()).publicKey).toMatch(/^ssh-ed25519 /);
    const status = await vaultCli(['status']);
    expect(status.output).toMatch(new RegExp(`${envKekId.replace(/[+/]/g, '.')}\\s+2 record\\(s\\)`));
  });
});
