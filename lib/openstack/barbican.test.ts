import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BarbicanClient, keyManagerEndpoint, uuidFromRef } from './barbican';
import { ProtocolError } from './errors';
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
