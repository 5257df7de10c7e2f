import { describe, expect, test } from 'vitest';
import {
  CLIENT_ADDRESS_HEADER,
  FRONT_PROOF_HEADER,
  clientAddressOf,
  fromFront,
  resolveClientAddress,
} from '@/lib/auth/client-address';

describe('client address', () => {
  test('the socket address, with IPv4-mapped IPv6 unwrapped', () => {
    expect(resolveClientAddress('203.0.113.7', undefined, false)).toBe('203.0.113.7');
    expect(resolveClientAddress('::ffff:203.0.113.7', undefined, false)).toBe('203.0.113.7');
    expect(resolveClientAddress('2001:db8::1', undefined, false)).toBe('2001:db8::1');
    expect(resolveClientAddress(undefined, undefined, false)).toBeNull();
  });

  test('X-Forwarded-For is ignored unless the proxy is trusted (a client cannot forge its address)', () => {
    expect(resolveClientAddress('10.0.0.2', '198.51.100.9', false)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', ['198.51.100.9'], false)).toBe('10.0.0.2');
  });

  test('behind a trusted proxy: the entry the proxy appended (the last), trimmed; what the client sent before it is ignored', () => {
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.9', true)).toBe('198.51.100.9');
    expect(resolveClientAddress('10.0.0.2', ' 198.51.100.9 ', true)).toBe('198.51.100.9');
    expect(resolveClientAddress('10.0.0.2', ['6.6.6.6, 10.0.0.5', '198.51.100.9'], true)).toBe('198.51.100.9');
  });

  test('a trusted proxy without (or with an empty) X-Forwarded-For falls back to the socket', () => {
    expect(resolveClientAddress('::ffff:10.0.0.2', undefined, true)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', '', true)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', ' , ', true)).toBe('10.0.0.2');
  });

  test('handlers read it from the header the front sets, only with the front proof', () => {
    const before = process.env.SCS_FRONT_SECRET;
    process.env.SCS_FRONT_SECRET = 'per-boot-secret-for-this-test';
    try {
      expect(CLIENT_ADDRESS_HEADER).toBe('x-scs-client-address');
      const proven = new Headers({
        [CLIENT_ADDRESS_HEADER]: '203.0.113.7',
        [FRONT_PROOF_HEADER]: 'per-boot-secret-for-this-test',
      });
      expect(fromFront(proven)).toBe(true);
      expect(clientAddressOf(proven)).toBe('203.0.113.7');
      // A client stating the header itself (next dev, direct next start): ignored.
      expect(clientAddressOf(new Headers({ [CLIENT_ADDRESS_HEADER]: '203.0.113.7' }))).toBeNull();
      const wrong = new Headers({ [CLIENT_ADDRESS_HEADER]: '203.0.113.7', [FRONT_PROOF_HEADER]: 'guess' });
      expect(clientAddressOf(wrong)).toBeNull();
      expect(clientAddressOf(new Headers())).toBeNull();
      // Without a secret (no front process) nothing is proven, not even an empty proof.
      delete process.env.SCS_FRONT_SECRET;
      expect(fromFront(new Headers({ [FRONT_PROOF_HEADER]: '' }))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.SCS_FRONT_SECRET;
      else process.env.SCS_FRONT_SECRET = before;
    }
  });
});
