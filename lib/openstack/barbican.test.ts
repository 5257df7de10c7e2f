import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BarbicanClient, combineVersionUrl, keyManagerEndpoint, uuidFromRef } from './barbican';
import { ForeignLinkError, ProtocolError } from './errors';
import { HttpClient } from './http';
import type { KeystoneSession } from './keystone';

describe('keyManagerEndpoint', () => {
  it('keeps a versionless URL as the root', () => {
    expect(keyManagerEndpoint('https://km.example:9311/')).toEqual({
      catalogUrl: 'https://km.example:9311/',
      root: 'https://km.example:9311',
      v1: 'https://km.example:9311/v1',
      catalogVersionSuffix: null,
    });
  });

  it('strips a /v1 suffix and remembers it, also behind a path prefix', () => {
    expect(keyManagerEndpoint('https://api.example/key-manager/v1')).toMatchObject({
      root: 'https://api.example/key-manager',
      v1: 'https://api.example/key-manager/v1',
      catalogVersionSuffix: 'v1',
    });
  });
});

describe('uuidFromRef', () => {
  it('takes the UUID from the end of the ref, whatever host the ref names', () => {
    expect(uuidFromRef('http://elsewhere:9311/v1/secrets/48C2CEF1-68f2-4756-96ee-d5d1c7bd32e9', 'secrets')).toBe(
      '48c2cef1-68f2-4756-96ee-d5d1c7bd32e9',
    );
    expect(uuidFromRef('https://km/v1/orders/d1a1ecc7-ca52-4cfc-9065-fde76495d451/', 'orders')).toBe(
      'd1a1ecc7-ca52-4cfc-9065-fde76495d451',
    );
  });

  it('rejects refs of another kind or without a UUID (nothing is deleted by a guess)', () => {
    expect(() => uuidFromRef('https://km/v1/orders/d1a1ecc7-ca52-4cfc-9065-fde76495d451', 'secrets')).toThrow(
      ProtocolError,
    );
    expect(() => uuidFromRef('https://km/v1/secrets/../../etc', 'secrets')).toThrow(ProtocolError);
    expect(() => uuidFromRef(undefined, 'secrets')).toThrow(/no secrets reference/);
  });
});

describe('BarbicanClient requests', () => {
  it('sends the microversion header when configured, the token, and retries a 401 exactly once', async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"code": 401}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const client = new HttpClient({ allowPrivateAddresses: true });
    let reauths = 0;
    const session = {
      authHeaders: () => ({ 'x-auth-token': `token-${reauths}` }),
      reauthenticate: async () => {
        reauths++;
      },
    } as unknown as KeystoneSession;
    const barbican = new BarbicanClient(client, session, keyManagerEndpoint(`http://127.0.0.1:${port}`), '1.1');
    await expect(barbican.listSecrets()).rejects.toMatchObject({ status: 401 });
    await client.close();
    await new Promise<void>((r) => server.close(() => r()));
    expect(reauths).toBe(1);
    expect(seen).toHaveLength(2);
    expect(seen.map((h) => h['x-auth-token'])).toEqual(['token-0', 'token-1']);
    expect(seen[0]!['openstack-api-version']).toBe('key-manager 1.1');
  });
});

/** A loopback server answering each request with `answer(path)`; returns its URL and the paths it saw. */
async function serve(answer: (path: string, origin: string) => { status: number; body: string; type?: string }) {
  const seen: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const a = answer(req.url ?? '', origin);
    res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const session = {
  authHeaders: () => ({ 'x-auth-token': 't' }),
  reauthenticate: async () => {},
} as unknown as KeystoneSession;

describe('lists, page by page through next links (as openstacksdk pages)', () => {
  const secret = (origin: string, n: number) => ({
    name: `s${n}`,
    secret_ref: `${origin}/v1/secrets/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  });

  it('sends no page size with limit: null and follows next links on the catalog origin to the end', async () => {
    const s = await serve((path, origin) => {
      const offset = Number(new URL(path, origin).searchParams.get('offset') ?? 0);
      const page = [0, 1].map((i) => secret(origin, offset + i)).filter((_, i) => offset + i < 5);
      const next = offset + 2 < 5 ? `${origin}/v1/secrets?limit=2&offset=${offset + 2}` : undefined;
      return { status: 200, body: JSON.stringify({ secrets: page, total: 5, ...(next ? { next } : {}) }) };
    });
    const h = new HttpClient({ allowPrivateAddresses: true });
    const list = await new BarbicanClient(h, session, keyManagerEndpoint(s.origin)).listAllSecrets({ limit: null });
    await h.close();
    await s.close();
    expect(list.map((x) => x.name)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(s.seen).toEqual(['/v1/secrets', '/v1/secrets?limit=2&offset=2', '/v1/secrets?limit=2&offset=4']);
  });

  it('a next link to another host (host_href) is not followed: ForeignLinkError naming both origins', async () => {
    const other = await serve(() => ({ status: 200, body: '{"secrets": []}' }));
    const s = await serve((_path, origin) => ({
      status: 200,
      body: JSON.stringify({ secrets: [secret(origin, 1)], total: 2, next: `${other.origin}/v1/secrets?offset=1` }),
    }));
    const h = new HttpClient({ allowPrivateAddresses: true });
    const err = await new BarbicanClient(h, session, keyManagerEndpoint(s.origin))
      .listAllSecrets({ limit: null })
      .catch((e: unknown) => e);
    await h.close();
    await Promise.all([s.close(), other.close()]);
    expect(err).toBeInstanceOf(ForeignLinkError);
    expect((err as Error).message).toContain(`continues at ${other.origin}, not at the catalog's ${s.origin}`);
    expect(other.seen).toEqual([]);
  });
});

describe('standardDiscovery (keystoneauth for openstacksdk, version 1)', () => {
  const v1 = (href: string, status = 'stable') =>
    JSON.stringify({ versions: { values: [{ id: 'v1', status, links: [{ rel: 'self', href }] }] } });

  async function discover(catalogPath: string, answer: Parameters<typeof serve>[0]) {
    const s = await serve(answer);
    const h = new HttpClient({ allowPrivateAddresses: true });
    try {
      const d = await new BarbicanClient(
        h,
        session,
        keyManagerEndpoint(`${s.origin}${catalogPath}`),
      ).standardDiscovery();
      return { d, origin: s.origin, seen: s.seen };
    } finally {
      await h.close();
      await s.close();
    }
  }

  it("Barbican's own document: v1 at the self link", async () => {
    const { d, origin, seen } = await discover('', (_p, o) => ({ status: 300, body: v1(`${o}/v1/`) }));
    expect(d).toEqual({ usable: true, serviceUrl: `${origin}/v1`, via: 'document' });
    expect(seen).toEqual(['/']);
  });

  it('a catalog URL ending in /v1 needs no document (nothing is requested)', async () => {
    const { d, origin, seen } = await discover('/v1', () => ({ status: 500, body: 'no' }));
    expect(d).toEqual({ usable: true, serviceUrl: `${origin}/v1`, via: 'catalog-url' });
    expect(seen).toEqual([]);
  });

  it.each([
    ['HTTP 500', { status: 500, body: '{}' }, /answered HTTP 500/],
    ['HTTP 404', { status: 404, body: '{}' }, /answered HTTP 404/],
    ['HTML', { status: 200, body: '<html></html>', type: 'text/html' }, /not JSON/],
    ['no version data', { status: 300, body: '{"hello": 1}' }, /without version data/],
    [
      'only v2',
      { status: 300, body: v1('/v1/').replace('"v1"', '"v2"') },
      /no usable version 1 \(listed: v2 \(stable\)/,
    ],
    ['experimental v1', { status: 300, body: v1('/v1/', 'experimental') }, /no usable version 1/],
    [
      'v1 without a self link',
      { status: 300, body: '{"versions": {"values": [{"id": "v1", "status": "stable"}]}}' },
      /no self link/,
    ],
  ])('%s: unusable, with the reason', async (_name, answer, reason) => {
    const { d } = await discover('', () => answer);
    expect(d.usable).toBe(false);
    expect(d.usable === false && d.reason).toMatch(reason);
  });

  it('a deprecated v1 and a relative self link are fine, as for keystoneauth', async () => {
    const { d, origin } = await discover('', () => ({ status: 300, body: v1('/v1/', 'deprecated') }));
    expect(d).toMatchObject({ usable: true, serviceUrl: `${origin}/v1` });
  });

  it('a self link on another host keeps the catalog host (keystoneauth _combine_relative_url)', async () => {
    const { d, origin } = await discover('', () => ({ status: 300, body: v1('http://elsewhere.invalid:9311/v1/') }));
    expect(d).toMatchObject({ usable: true, serviceUrl: `${origin}/v1` });
  });

  it('combineVersionUrl keeps a path prefix for a foreign link and takes a same-host link as it is', () => {
    expect(combineVersionUrl('https://api.example/key-manager', 'https://other/v1/')).toBe(
      'https://api.example/key-manager/v1',
    );
    expect(combineVersionUrl('https://api.example/key-manager', 'https://api.example/key-manager/v1/')).toBe(
      'https://api.example/key-manager/v1',
    );
    expect(combineVersionUrl('https://api.example/km/v1', 'https://other/v1')).toBe('https://api.example/km/v1');
  });
});
