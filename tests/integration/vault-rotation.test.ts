import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseUrl, makeCloud, makeOrg, tempDir } from './support/fixtures';
import { Vault, keyCheckValue } from '../../lib/vault';

/**
 * Rotation on real PostgreSQL: 1,000 credentials wrapped by a file KEK are re-wrapped to an env
 * KEK by `npm run vault -- rotate` in a child process, which is SIGKILLed halfway; a second run
 * resumes, and every credential still decrypts, with only the new KEK available.
 */
const N = 1000;
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = tempDir('vault-rot-');
const envKey = crypto.randomBytes(32);
const envKekId = `env:${keyCheckValue(envKey)}`;
const baseEnv = { DATA_DIR: dataDir, KEK_BASE64: envKey.toString('base64') };

function vaultCli(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/vault.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl(), KEK_PROVIDER: 'file', ...baseEnv, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

let db: typeof import('../../lib/db').db;
let cloudId = '';
const secrets = new Map<string, string>();

beforeAll(async () => {
  databaseUrl();
  db = (await import('../../lib/db')).db;
  // Rotation works on every record in the database (credentials and webhook signing secrets);
  // records other test files left behind (under their own KEKs) would make the counts below wrong,
  // so this file starts from none.
  await db.credential.deleteMany({});
  await db.sealedSecret.deleteMany({});
  await db.webhook.deleteMany({});
  // One cloud besides the bulk ones: its slug (cloud-…) is not under "rot-", which the counts below select.
  const org = await makeOrg();
  cloudId = (await makeCloud(org.id)).id;
  // 1,000 records need 1,000 clouds (one primary credential per cloud and persona): make them in bulk.
  const cloudRows = Array.from({ length: N }, (_, i) => ({
    id: crypto.randomUUID(),
    slug: `rot-${i}`,
    name: `rot ${i}`,
    organizationId: org.id,
  }));
  await db.cloud.createMany({ data: cloudRows });
  const fileVault = Vault.fromEnv({ env: { DATA_DIR: dataDir, KEK_PROVIDER: 'file' } });
  const rows = [];
  for (const c of cloudRows) {
    const id = crypto.randomUUID();
    const secret = `rot-secret-${crypto.randomBytes(8).toString('hex')}`;
    secrets.set(id, secret);
    const e = await fileVault.sealJson(
      { auth: { type: 'password', password: secret } },
      { cloudId: c.id, credentialId: id },
    );
    rows.push({
      id,
      cloudId: c.id,
      authType: 'password' as const,
      principal: 'u',
      authUrl: 'https://k/v3',
      region: 'RegionOne',
      fingerprint: 'abcd',
      setByLabel: 'test',
      ciphertext: new Uint8Array(e.ciphertext),
      nonce: new Uint8Array(e.nonce),
      tag: new Uint8Array(e.tag),
      wrappedKey: new Uint8Array(e.wrappedKey),
      kekId: e.kekId,
      formatVersion: e.formatVersion,
    });
  }
  await db.credential.createMany({ data: rows });
}, 120_000);

afterAll(async () => {
  await db?.credential.deleteMany({ where: { cloud: { slug: { startsWith: 'rot-' } } } });
});

const countUnder = async (kekId: string) =>
  db.credential.count({ where: { kekId, cloud: { slug: { startsWith: 'rot-' } } } });

describe('vault rotation', () => {
  test('rotates 1,000 credentials, survives SIGKILL halfway, resumes, and every credential decrypts', async () => {
    expect(cloudId).not.toBe('');
    expect(await countUnder(envKekId)).toBe(0);

    // 1. Start a throttled rotation and SIGKILL it once a few hundred records have moved.
    const first = vaultCli(['rotate', '--to', 'env', '--batch-size', '25', '--pause-ms', '40']);
    let moved = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      moved = await countUnder(envKekId);
      if (moved >= 300) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = await countUnder(envKekId);
    expect(afterKill).toBeGreaterThanOrEqual(300);
    expect(afterKill).toBeLessThan(N);
    // Each batch commits as a whole: a kill never leaves half a batch.
    expect(afterKill % 25).toBe(0);

    // 2. Resume: only what is left is re-wrapped.
    const t0 = Date.now();
    const second = await vaultCli(['rotate', '--to', 'env']).done;
    const resumeMs = Date.now() - t0;
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain(`${N - afterKill} record(s) re-wrapped under ${envKekId}`);
    expect(await countUnder(envKekId)).toBe(N);

    // 3. Every credential decrypts with only the env KEK (the file KEK directory is not available).
    const envOnly = Vault.fromEnv({ env: { ...baseEnv, DATA_DIR: tempDir('vault-empty-'), KEK_PROVIDER: 'env' } });
    const rows = await db.credential.findMany({ where: { cloud: { slug: { startsWith: 'rot-' } } } });
    expect(rows).toHaveLength(N);
    for (const r of rows) {
      const opened = await envOnly.openJson<{ auth: { password: string } }>(
        {
          ciphertext: Buffer.from(r.ciphertext),
          nonce: Buffer.from(r.nonce),
          tag: Buffer.from(r.tag),
          wrappedKey: Buffer.from(r.wrappedKey),
          kekId: r.kekId,
          formatVersion: r.formatVersion,
        },
        { cloudId: r.cloudId, credentialId: r.id },
      );
      expect(opened.auth.password).toBe(secrets.get(r.id));
    }

    // 4. A full, unthrottled rotation of all 1,000 to a new file KEK, timed.
    const t1 = Date.now();
    const full = await vaultCli(['rotate', '--to', 'file', '--new-key']).done;
    const fullMs = Date.now() - t1;
    expect(full.code, full.output).toBe(0);
    expect(full.output).toMatch(new RegExp(`${N} record\\(s\\) re-wrapped under file:`));
    const status = await vaultCli(['status']).done;
    expect(status.output).toMatch(new RegExp(`file:\\S+\\s+${N} record\\(s\\)\\s+\\(active\\) loadable`));
    console.log(
      `[vault-rotation] killed after ${afterKill}/${N}; resume of ${N - afterKill} took ${resumeMs} ms (incl. process start); full rotation of ${N} took ${fullMs} ms (incl. process start)`,
    );
  }, 180_000);

  test('assertVaultReady refuses, naming the KEK id, when a record references a KEK it cannot load', async () => {
    const { assertVaultReady } = await import('../../lib/credentials/vault');
    const row = await db.credential.findFirstOrThrow({ where: { cloud: { slug: { startsWith: 'rot-' } } } });
    // A process configured with only an unrelated env KEK cannot load the file KEK the records use.
    const stranger = Vault.fromEnv({
      env: {
        DATA_DIR: tempDir('vault-stranger-'),
        KEK_PROVIDER: 'env',
        KEK_BASE64: crypto.randomBytes(32).toString('base64'),
      },
    });
    await expect(assertVaultReady(stranger)).rejects.toThrow(
      new RegExp(`refusing to start: \\d+ credential record\\(s\\) are wrapped by KEK ${row.kekId}`),
    );
    // The right configuration passes and reports the counts.
    const right = Vault.fromEnv({ env: { DATA_DIR: dataDir, KEK_PROVIDER: 'file' }, create: false });
    const report = await assertVaultReady(right);
    expect(report.kekIds[row.kekId]).toBeGreaterThanOrEqual(N);
  });
});
