import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, guardedLookup, instanceAllowsPrivateEndpoints, refusalReason } from './address-guard';
import type { LookupAll } from './address-guard';
import { AddressRefusedError, TransportError } from './errors';
import { HttpClient } from './http';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    // IPv4-compatible (::a.b.c.d) and IPv4-translated literals count as the IPv4 address inside.
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['::169.254.169.254', 'link-local'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['::8.8.8.8', 'public'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2001:db8::1', 'public'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });
});

describe('refusalReason', () => {
  it('always refuses link-local and metadata addresses, even when private addresses are allowed', () => {
    for (const ip of ['169.254.169.254', 'fe80::1', 'fd00:ec2::254']) {
      expect(refusalReason(ip, { allowPrivateAddresses: true })).toMatch(/never contacted/);
    }
  });

  it('refuses loopback and private unless allowed', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '::1']) {
      expect(refusalReason(ip, { allowPrivateAddresses: false })).toMatch(/ALLOW_PRIVATE_ENDPOINTS/);
      expect(refusalReason(ip, { allowPrivateAddresses: true })).toBeUndefined();
    }
  });

  it('lets public addresses through', () => {
    expect(refusalReason('8.8.8.8', { allowPrivateAddresses: false })).toBeUndefined();
  });
});

describe('instanceAllowsPrivateEndpoints', () => {
  it('is true only for ALLOW_PRIVATE_ENDPOINTS=true', () => {
    expect(instanceAllowsPrivateEndpoints({ ALLOW_PRIVATE_ENDPOINTS: 'true' })).toBe(true);
    expect(instanceAllowsPrivateEndpoints({ ALLOW_PRIVATE_ENDPOINTS: 'TRUE ' })).toBe(true);
    expect(instanceAllowsPrivateEndpoints({ ALLOW_PRIVATE_ENDPOINTS: '1' })).toBe(false);
    expect(instanceAllowsPrivateEndpoints({})).toBe(false);
  });
});

describe('guardedLookup', () => {
  const fakeDns =
    (table: Record<string, Array<{ address: string; family: number }>>): LookupAll =>
    (host, cb) => {
      const a = table[host];
      if (!a) {
        const e: NodeJS.ErrnoException = new Error('not found');
        e.code = 'ENOTFOUND';
        return cb(e, []);
      }
      cb(null, a);
    };

  it('refuses a name that resolves to a metadata address, after resolution', async () => {
    const lookup = guardedLookup(
      { allowPrivateAddresses: true },
      fakeDns({ 'metadata.test': [{ address: '169.254.169.254', family: 4 }] }),
    );
    const err = await new Promise<Error | null>((resolve) => lookup('metadata.test', {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(AddressRefusedError);
    expect(err?.message).toMatch(/metadata\.test \(169\.254\.169\.254\)/);
  });

  it('refuses a name when any of its addresses is forbidden (no picking the harmless one)', async () => {
    const lookup = guardedLookup(
      { allowPrivateAddresses: false },
      fakeDns({
        'mixed.test': [
          { address: '8.8.8.8', family: 4 },
          { address: '10.0.0.5', family: 4 },
        ],
      }),
    );
    const err = await new Promise<Error | null>((resolve) => lookup('mixed.test', { all: true }, (e) => resolve(e)));
    expect(err).toBeInstanceOf(AddressRefusedError);
  });

  it('returns the addresses in the shape net.connect asks for', async () => {
    const lookup = guardedLookup(
      { allowPrivateAddresses: false },
      fakeDns({ 'ok.test': [{ address: '8.8.4.4', family: 4 }] }),
    );
    const single = await new Promise<unknown[]>((resolve) => lookup('ok.test', {}, (...args) => resolve(args)));
    expect(single).toEqual([null, '8.8.4.4', 4]);
    const all = await new Promise<unknown[]>((resolve) => lookup('ok.test', { all: true }, (...args) => resolve(args)));
    expect(all).toEqual([null, [{ address: '8.8.4.4', family: 4 }]]);
  });
});

describe('HttpClient with the guard', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses loopback literals by default and allows them when the cloud allows private addresses', async () => {
    const strict = new HttpClient({ env: {} });
    await expect(
      strict.request({ service: 'identity', method: 'GET', url: `http://127.0.0.1:${port}/` }),
    ).rejects.toMatchObject({ failure: 'address-refused' });
    await strict.close();
    const before = hits;
    const lab = new HttpClient({ env: {}, allowPrivateAddresses: true });
    await expect(
      lab.request({ service: 'identity', method: 'GET', url: `http://127.0.0.1:${port}/` }),
    ).resolves.toMatchObject({ status: 200 });
    await lab.close();
    expect(hits).toBe(before + 1);
  });

  it('honours ALLOW_PRIVATE_ENDPOINTS=true as the instance-wide switch', async () => {
    const client = new HttpClient({ env: { ALLOW_PRIVATE_ENDPOINTS: 'true' } });
    await expect(
      client.request({ service: 'identity', method: 'GET', url: `http://127.0.0.1:${port}/` }),
    ).resolves.toMatchObject({ status: 200 });
    await client.close();
  });

  it('catches a host name that resolves to loopback (the check happens after DNS)', async () => {
    const client = new HttpClient({ env: {}, resolve: (_h, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) });
    const before = hits;
    const err = await client
      .request({ service: 'key-manager', method: 'GET', url: `http://innocent.example:${port}/` })
      .catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).failure).toBe('address-refused');
    expect((err as Error).message).toMatch(/innocent\.example \(127\.0\.0\.1\)/);
    expect(hits).toBe(before);
  });

  it('refuses 169.254.169.254 without opening a connection, and records the refusal as evidence', async () => {
    const evidence: unknown[] = [];
    const client = new HttpClient({ allowPrivateAddresses: true, onExchange: (e) => evidence.push(e) });
    const err = await client
      .request({ service: 'key-manager', method: 'GET', url: 'http://169.254.169.254/latest/meta-data/' })
      .catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(AddressRefusedError);
    expect(evidence).toEqual([
      expect.objectContaining({
        status: null,
        error: expect.stringMatching(/Refused to connect to 169\.254\.169\.254/),
      }),
    ]);
  });
});
