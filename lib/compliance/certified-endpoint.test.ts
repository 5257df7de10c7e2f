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
  test('without a pin every run counts', () => {
    expect(runCounts(null, { authUrl: 'https://anything.test', region: 'X' })).toEqual({ counts: true, reason: null });
    expect(runCounts(null, { authUrl: null, region: null }).counts).toBe(true);
  });
  test('the pinned endpoint counts, however it is spelt', () => {
    expect(runCounts(pin, { authUrl: 'https://KEYSTONE.example.com:5000/v3/', region: 'RegionOne' }).counts).toBe(true);
  });
  test('another host, region or an unrecorded endpoint does not, and says why', () => {
    const other = runCounts(pin, { authUrl: 'https://fake.test/v3', region: 'RegionOne' });
    expect(other.counts).toBe(false);
    expect(other.reason).toContain('https://fake.test (region RegionOne)');
    expect(other.reason).toContain('certified endpoint https://keystone.example.com:5000 (region RegionOne)');
    expect(runCounts(pin, { authUrl: 'https://keystone.example.com:5000', region: 'RegionTwo' }).counts).toBe(false);
    const unknown = runCounts(pin, { authUrl: null, region: null });
    expect(unknown.counts).toBe(false);
    expect(unknown.reason).toContain('not recorded');
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
