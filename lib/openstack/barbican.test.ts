import { describe, expect, it } from 'vitest';
import { keyManagerEndpoint, uuidFromRef } from './barbican';
import { ProtocolError } from './errors';

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
    expect(keyManagerEndpoint('https://api.example/key-manager/v1')).toMatchObject({ root: 'https://api.example/key-manager', v1: 'https://api.example/key-manager/v1', catalogVersionSuffix: 'v1' });
  });
});

describe('uuidFromRef', () => {
  it('takes the UUID from the end of the ref, whatever host the ref names', () => {
    expect(uuidFromRef('http://elsewhere:9311/v1/secrets/48C2CEF1-68f2-4756-96ee-d5d1c7bd32e9', 'secrets')).toBe('48c2cef1-68f2-4756-96ee-d5d1c7bd32e9');
    expect(uuidFromRef('https://km/v1/orders/d1a1ecc7-ca52-4cfc-9065-fde76495d451/', 'orders')).toBe('d1a1ecc7-ca52-4cfc-9065-fde76495d451');
  });

  it('rejects refs of another kind or without a UUID (nothing is deleted by a guess)', () => {
    expect(() => uuidFromRef('https://km/v1/orders/d1a1ecc7-ca52-4cfc-9065-fde76495d451', 'secrets')).toThrow(ProtocolError);
    expect(() => uuidFromRef('https://km/v1/secrets/../../etc', 'secrets')).toThrow(ProtocolError);
    expect(() => uuidFromRef(undefined, 'secrets')).toThrow(/no secrets reference/);
  });
});
