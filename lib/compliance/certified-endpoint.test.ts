import { describe, expect, test } from 'vitest';
import { assertMatchesPin, normalizeAuthUrl, runCounts } from './certified-endpoint';
import { ValidationError } from '../errors';

describe('normalizeAuthUrl', () => {
  test.each([
    ['https://keystone.example.com:5000/v3', 'https://keystone.example.com:5000'],
    ['https://keystone.example.com:5000/v3/', 'https://keystone.example.com:5000'],
    ['https://Keystone.EXAMPLE.com:5000/V3', 'https://keystone.example.com:5000'],
    ['HTTPS://keystone.example.com:443/v3', 'https://keystone.example.com'],
    ['https://keystone.example.com/', 'https://keystone.example.com'],
    ['http://keystone.example.com:80/identity/v3', 'http://keystone.example.com/identity'],
    ['https://api.example.com/identity//v3.0', 'https://api.example.com/identity'],
    ['https://keystone.example.com/v2.0', 'https://keystone.example.com'],
    ['  https://keystone.example.com/v3?x=1#frag  ', 'https://keystone.example.com'],
    ['http://[2001:DB8::1]:5000/v3', 'http://[2001:db8::1]:5000'],
    ['http://127.0.0.1:25000/v3', 'http://127.0.0.1:25000'],
  ])('%s -> %s', (raw, want) => {
    expect(normalizeAuthUrl(raw)).toBe(want);
  });

  test('keeps what tells endpoints apart: scheme, host, port, path prefix', () => {
    const base = normalizeAuthUrl('https://keystone.example.com:5000/v3');
    for (const other of [
      'http://keystone.example.com:5000/v3',
      'https://keystone.example.org:5000/v3',
      'https://keystone.example.com:5001/v3',
      'https://keystone.example.com:5000/other/v3',
      'https://keystone.example.com.evil.test:5000/v3',
    ])
      expect(normalizeAuthUrl(other), other).not.toBe(base);
    // a port that is not the default stays: https on 80 is another endpoint than https on 443
    expect(normalizeAuthUrl('https://k.example:80/v3')).toBe('https://k.example:80');
  });
});

describe('runCounts: does this run count', () => {
  const pin = { authUrl: 'https://keystone.example.com:5000', region: 'RegionOne' };
  const ours = (authUrl: string | null, region: string | null) => ({ source: 'dashboard' as const, authUrl, region });
  test('without a pin every run of ours counts', () => {
    expect(runCounts(null, ours('https://anything.test', 'X'))).toEqual({ counts: true, reason: null, cause: null });
    expect(runCounts(null, ours(null, null)).counts).toBe(true);
  });
  test('the pinned endpoint counts, however it is spelt', () => {
    expect(runCounts(pin, ours('https://KEYSTONE.example.com:5000/v3/', 'RegionOne')).counts).toBe(true);
  });
  test('another host, region or an unrecorded endpoint does not, and says why', () => {
    const other = runCounts(pin, ours('https://fake.test/v3', 'RegionOne'));
    expect([other.counts, other.cause]).toEqual([false, 'endpoint']);
    expect(other.reason).toContain('https://fake.test (region RegionOne)');
    expect(other.reason).toContain('certified endpoint https://keystone.example.com:5000 (region RegionOne)');
    expect(runCounts(pin, ours('https://keystone.example.com:5000', 'RegionTwo')).counts).toBe(false);
    const unknown = runCounts(pin, ours(null, null));
    expect(unknown.counts).toBe(false);
    expect(unknown.reason).toContain('not recorded');
  });
  // Imported reports: a CSP registers its keys itself, so only the certification body's approval of
  // the signing key lets a report vouch for a cloud.
  const key = (approvedAt: Date | null, name: string | null = 'zuul') => ({
    name,
    fingerprint: 'SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    approvedAt,
  });
  const imported = (
    signedBy: ReturnType<typeof key> | null,
    authUrl: string | null = null,
    region: string | null = null,
  ) => ({
    source: 'official_runner' as const,
    authUrl,
    region,
    signedBy,
  });
  test('an imported report signed with an approved key counts as our own runs do', () => {
    expect(runCounts(null, imported(key(new Date('2030-01-01T00:00:00Z'))))).toEqual({
      counts: true,
      reason: null,
      cause: null,
    });
    expect(runCounts(pin, imported(key(new Date()), 'https://keystone.example.com:5000/v3', 'RegionOne')).counts).toBe(
      true,
    );
    // ... and the pin still applies to it.
    expect(runCounts(pin, imported(key(new Date()), 'https://always-pass.test', 'RegionOne')).cause).toBe('endpoint');
  });
  test('an unapproved key: kept and shown, does not count, even naming the pinned endpoint; the reason names the key', () => {
    for (const p of [null, pin]) {
      const c = runCounts(p, imported(key(null), 'https://keystone.example.com:5000', 'RegionOne'));
      expect([c.counts, c.cause]).toEqual([false, 'signing-key']);
      expect(c.reason).toBe(
        'Imported from a report signed with key "zuul" (SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG), which the certification body has not approved; kept and shown, but it does not count toward verdicts or certificates.',
      );
    }
  });
  test('a removed key or no key on record does not count either', () => {
    const removed = runCounts(null, imported(key(null, null)));
    expect([removed.counts, removed.cause]).toEqual([false, 'signing-key']);
    expect(removed.reason).toMatch(
      /^Imported from a report signed with key SHA256:\S+, which has been removed since; kept and shown/,
    );
    const none = runCounts(null, imported(null));
    expect([none.counts, none.cause]).toEqual([false, 'signing-key']);
    expect(runCounts(null, { source: 'official_runner', authUrl: null, region: null }).counts).toBe(false);
  });
  test('both failing: the reason names the signing key first', () => {
    const c = runCounts(pin, imported(key(null), 'https://always-pass.test', 'RegionOne'));
    expect(c.cause).toBe('signing-key');
  });
  test('our own runs are not asked about keys', () => {
    expect(runCounts(null, { ...ours(null, null), signedBy: key(null) }).counts).toBe(true);
  });
  test('a credential for another endpoint is refused with 422 naming the pinned one', () => {
    const p = { ...pin, pinnedAt: null, pinnedBy: null };
    expect(() =>
      assertMatchesPin(p, { authUrl: 'https://keystone.example.com:5000/v3', region: 'RegionOne' }),
    ).not.toThrow();
    try {
      assertMatchesPin(p, { authUrl: 'https://fake.test/v3', region: 'RegionOne' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).status).toBe(422);
      expect((err as ValidationError).fields?.auth_url).toContain(
        'https://keystone.example.com:5000 (region RegionOne)',
      );
    }
    expect(() => assertMatchesPin(p, { authUrl: 'https://keystone.example.com:5000', region: 'Other' })).toThrow(
      /region RegionOne/,
    );
  });
});
