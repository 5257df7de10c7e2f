// Issue 12 item 11: webhook signing secrets are sealed by the vault (an envelope bound to the
// webhook and to its purpose), never stored in plain text, and deliveries are signed in the
// Standard Webhooks format. Seen failing before the fix: Webhook.secret was a plain-text column,
// and a delivery carried only X-SCS-Signature (hex HMAC of "<timestamp>.<body>"), which no Standard
// Webhooks verifier accepts. A real HTTP receiver on loopback that verifies as the specification
// says; an env-KEK vault; no database.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../lib/vault';
import { setVault } from '../../lib/credentials/vault';
import { attemptWebhook, type Message } from '../../lib/notify/deliver';
import { newWebhookSecret, openWebhookSecret, sealWebhookSecret } from '../../lib/notify/secrets';

const webhookId = '6f2b3c1e-1d7a-4b8e-9a51-3c0f5d2e8b71';
const otherId = '0b9e7c55-2a44-4f0e-8d1c-6a7b8c9d0e1f';
let server: http.Server;
let url = '';
const seen: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
const saved = process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES;

/** A receiver's verification, written from https://www.standardwebhooks.com (not from our code). */
function verify(headers: http.IncomingHttpHeaders, body: string, secret: string, now = Date.now()): boolean {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return false;
  if (!/^\d+$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const want = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return sigs.split(' ').some((entry) => {
    const [version, sig] = entry.split(',', 2);
    const got = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && got.length === want.length && timingSafeEqual(got, want);
  });
}

beforeAll(async () => {
  setVault(Vault.fromEnv({ env: { KEK_PROVIDER: 'env', KEK_BASE64: randomBytes(32).toString('base64') } }));
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
});
afterAll(async () => {
  setVault(undefined);
  if (saved === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES;
  else process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = saved;
  await new Promise<void>((r) => server.close(() => r()));
});

describe('webhook signing secrets', () => {
  it('have no plain-text column: the Webhook model stores only the sealed envelope', () => {
    const schema = fs.readFileSync(path.join(process.cwd(), 'prisma/schema.prisma'), 'utf8');
    const model = /model Webhook \{([\s\S]*?)\n\}/.exec(schema)![1]!;
    const fields = model
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('//') && !l.startsWith('@@'))
      .map((l) => l.split(/\s+/));
    expect(fields.filter(([, type]) => /^String\??$/.test(type!)).map(([name]) => name)).toEqual([
      'id',
      'organizationId',
      'url',
      'secretKekId',
      'createdById',
    ]);
    expect(fields.map(([name]) => name)).toEqual(
      expect.arrayContaining(['secretCiphertext', 'secretNonce', 'secretTag', 'secretWrappedKey']),
    );
  });

  it('are sealed: no trace of the secret in what is stored, and it opens only for its own webhook', async () => {
    const secret = newWebhookSecret();
    const sealed = await sealWebhookSecret(webhookId, secret);
    const stored = JSON.stringify(Object.values(sealed).map((v) => (typeof v === 'object' ? Buffer.from(v) : v)));
    const bytes = Buffer.concat(Object.values(sealed).filter((v) => typeof v === 'object') as Uint8Array[]);
    for (const needle of [secret, secret.slice(6), Buffer.from(secret.slice(6), 'base64').toString('hex')]) {
      expect(stored).not.toContain(needle);
      expect(bytes.includes(Buffer.from(needle))).toBe(false);
    }
    expect(bytes.includes(Buffer.from(secret.slice(6), 'base64'))).toBe(false);
    expect(await openWebhookSecret({ id: webhookId, ...sealed })).toBe(secret);
    await expect(openWebhookSecret({ id: otherId, ...sealed })).rejects.toMatchObject({ code: 'tampered' });
    // Nor as anything else: the same id under another purpose (a credential of a cloud) does not open.
    const { getVault } = await import('../../lib/credentials/vault');
    const envelope = {
      ciphertext: Buffer.from(sealed.secretCiphertext),
      nonce: Buffer.from(sealed.secretNonce),
      tag: Buffer.from(sealed.secretTag),
      wrappedKey: Buffer.from(sealed.secretWrappedKey),
      kekId: sealed.secretKekId,
      formatVersion: sealed.secretFormatVersion,
    };
    await expect(getVault().open(envelope, { cloudId: webhookId, credentialId: webhookId })).rejects.toMatchObject({
      code: 'tampered',
    });
  });

  it('sign deliveries as Standard Webhooks: a verifier from the specification accepts them, a wrong key does not', async () => {
    const secret = newWebhookSecret();
    const message: Message = {
      id: '1b1c2d3e-0000-4000-8000-000000000001',
      kind: 'attestationReviewed',
      subject: 'Key-manager attestation for Cloud approved',
      body: 'Revision 1 was approved.',
      runId: null,
      fromStatus: null,
      toStatus: null,
      data: null,
      createdAt: new Date(),
      organization: { slug: 'org', name: 'Org' },
      cloud: { slug: 'cloud', name: 'Cloud' },
    };
    const deliveryId = '7c7d7e7f-0000-4000-8000-000000000002';
    expect(await attemptWebhook(message, { id: deliveryId, url, secret }, new Date())).toMatchObject({ ok: true });
    const [req] = seen.splice(0);
    expect(req!.headers['webhook-id']).toBe(deliveryId);
    expect(req!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(req!.headers, req!.body, secret)).toBe(true);
    expect(verify(req!.headers, req!.body, newWebhookSecret())).toBe(false);
    expect(verify(req!.headers, `${req!.body} `, secret)).toBe(false);
    expect(verify(req!.headers, req!.body, secret, Date.now() + 10 * 60_000)).toBe(false);
    // The secret itself travels nowhere.
    expect(JSON.stringify(req!.headers) + req!.body).not.toContain(secret.slice(6));
    expect(JSON.parse(req!.body)).toMatchObject({ event: 'attestation-reviewed', deliveryId });
  });
});
