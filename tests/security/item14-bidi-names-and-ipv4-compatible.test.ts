// Issue 12 item 14: U+202E and other bidirectional controls were accepted in evidence file names;
// `::a.b.c.d` IPv4-compatible IPv6 literals were classified public.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkFileName } from '../../lib/attestations/files';
import { classifyAddress } from '../../lib/openstack/address-guard';
import { HttpClient } from '../../lib/openstack/http';

let server: http.Server;
let port = 0;
let hits = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    res.end('internal service');
  });
  await new Promise<void>((r) => server.listen(0, '::', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('item 14: bidirectional controls in file names; IPv4-compatible IPv6 literals', () => {
  test.each(['\u202e', '\u202d', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'])(
    'a file name with U+%s is refused',
    (c) => {
      expect(() => checkFileName(`report${c}fdp.txt`)).toThrow(/bidirectional/);
    },
  );

  test.each([
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::10.1.2.3', 'private'],
    ['::192.168.0.1', 'private'],
    ['::169.254.169.254', 'link-local'],
  ])('%s is classified by its IPv4 address (%s)', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  test('an IPv4-compatible loopback literal is refused by the HTTP layer when private addresses are not allowed', async () => {
    const client = new HttpClient({ env: {} });
    try {
      const err = await client
        .request({ service: 'identity', method: 'GET', url: `http://[::127.0.0.1]:${port}/` })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ failure: 'address-refused' });
      expect(hits).toBe(0);
    } finally {
      await client.close();
    }
  });
});
