// Issue 12 item 4: ALLOW_PRIVATE_ENDPOINTS=true (the clouds' switch, for labs) must not open
// webhooks to loopback and private addresses: WEBHOOK_ALLOW_PRIVATE_ADDRESSES is the webhooks' one
// switch, and the refusal names it. Seen failing before the fix: with ALLOW_PRIVATE_ENDPOINTS=true
// a webhook to 127.0.0.1 was delivered, and a refusal told the operator to set ALLOW_PRIVATE_ENDPOINTS.
// Real HTTP receivers on loopback; no database.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attemptWebhook, webhookAddressRefusal, type Message } from '../../lib/notify/deliver';

let server: http.Server;
let port = 0;
let received = 0;
const saved = { ...process.env };

const message: Message = {
  id: '00000000-0000-4000-8000-00000000000a',
  kind: 'statusChange',
  subject: 'cloud: status PASS -> FAIL',
  body: 'now FAIL',
  runId: null,
  fromStatus: 'PASS',
  toStatus: 'FAIL',
  data: null,
  createdAt: new Date(),
  organization: { slug: 'org', name: 'Org' },
  cloud: { slug: 'cloud', name: 'Cloud' },
};
const send = (url: string) =>
  attemptWebhook(message, { id: '00000000-0000-4000-8000-00000000000b', url, secret: 'whsec_AAAA' }, new Date());

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received++;
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
beforeEach(() => {
  process.env = { ...saved, ALLOW_PRIVATE_ENDPOINTS: 'true' };
  delete process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES;
  received = 0;
});
afterAll(async () => {
  process.env = saved;
  await new Promise<void>((r) => server.close(() => r()));
});

describe('webhooks and ALLOW_PRIVATE_ENDPOINTS', () => {
  it('a loopback receiver gets nothing while only ALLOW_PRIVATE_ENDPOINTS=true is set', async () => {
    for (const url of [
      `http://127.0.0.1:${port}/h`,
      `http://localhost:${port}/h`,
      `http://[::ffff:127.0.0.1]:${port}/h`,
    ]) {
      const r = await send(url);
      expect(r.ok, url).toBe(false);
      expect(r.error, url).toMatch(/refused unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true is set/);
      expect(r.error, url).not.toMatch(/ALLOW_PRIVATE_ENDPOINTS|allow_private_addresses/);
    }
    expect(received).toBe(0);
  });

  it('the webhook switch opens loopback, and nothing opens the metadata address', async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
    expect(await send(`http://127.0.0.1:${port}/h`)).toMatchObject({ ok: true, statusCode: 204 });
    expect(received).toBe(1);
    const metadata = await send('http://169.254.169.254/latest/meta-data/');
    expect(metadata.ok).toBe(false);
    expect(metadata.error).toMatch(/never contacted/);
  });

  it('adding a webhook to a private address literal is refused up front, naming the right switch', () => {
    const env = { ALLOW_PRIVATE_ENDPOINTS: 'true' };
    for (const url of ['http://10.1.2.3/h', 'http://[::1]:8080/h', 'https://localhost/h', 'http://192.168.0.7/h']) {
      expect(webhookAddressRefusal(url, env), url).toMatch(/WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true/);
    }
    expect(webhookAddressRefusal('http://10.1.2.3/h', { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' })).toBeUndefined();
    expect(webhookAddressRefusal('http://169.254.169.254/', { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' })).toMatch(
      /never contacted/,
    );
    expect(webhookAddressRefusal('https://hooks.example.com/scs', env)).toBeUndefined();
  });
});
