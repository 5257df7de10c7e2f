// Issue 12 item 12: a redirect to the same host on another port was followed and the password body
// sent again. The HTTP layer to clouds follows redirects only to the same origin (scheme, host, port).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpClient } from '../../lib/openstack/http';

let other: http.Server;
let redirector: http.Server;
const otherSaw: string[] = [];
let redirectorUrl = '';

beforeAll(async () => {
  other = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      otherSaw.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const otherPort = (other.address() as AddressInfo).port;
  redirector = http.createServer((req, res) => {
    req.resume();
    if (req.url === '/same') res.writeHead(307, { location: '/landed' });
    else if (req.url === '/landed') res.writeHead(200, { 'content-type': 'application/json' });
    else res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/v3/auth/tokens` });
    res.end(req.url === '/landed' ? '{}' : undefined);
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => other.close(r));
  await new Promise((r) => redirector.close(r));
});

describe('item 12: redirects only to the same origin', () => {
  test('a 307 to the same host on another port is refused, and the password never reaches it', async () => {
    const client = new HttpClient({ allowPrivateAddresses: true });
    try {
      const err = await client
        .request({
          service: 'identity',
          method: 'POST',
          url: `${redirectorUrl}/v3/auth/tokens`,
          json: { auth: { identity: { password: { user: { password: 'canary-secret-password' } } } } },
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ failure: 'redirect-refused' });
      expect(otherSaw).toEqual([]);
    } finally {
      await client.close();
    }
  });

  test('a redirect within the same origin is still followed', async () => {
    const client = new HttpClient({ allowPrivateAddresses: true });
    try {
      const res = await client.request({ service: 'identity', method: 'GET', url: `${redirectorUrl}/same` });
      expect(res.status).toBe(200);
      expect(res.url).toBe(`${redirectorUrl}/landed`);
    } finally {
      await client.close();
    }
  });
});
