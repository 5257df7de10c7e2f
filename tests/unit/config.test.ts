import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '@/lib/config';

describe('lib/config.ts: every environment variable, parsed once', () => {
  test('defaults for an empty environment (a fresh machine needs nothing)', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: 'data',
      DB_POOL_SIZE: 10,
      SESSION_MAX_AGE_HOURS: 8,
      SIGNIN_LIMIT: 10,
      TRUST_PROXY: false,
      ALLOW_PRIVATE_ENDPOINTS: false,
      WORKERS: 'on',
      KEK_PROVIDER: 'file',
    });
    // An empty value counts as unset.
    expect(parseConfig({ PORT: '', DATABASE_URL: ' ' }).PORT).toBe(3000);
  });

  test('bad values stop with the variable named (not NaN somewhere later)', () => {
    const bad = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ PORT: 'eighty' })).toMatch(/PORT must be a whole number \(got "eighty"\)/);
    expect(bad({ DB_POOL_SIZE: '0' })).toMatch(/DB_POOL_SIZE must be at least 1/);
    expect(bad({ TRUST_PROXY: 'yes please' })).toMatch(/TRUST_PROXY must be true or false/);
    expect(bad({ DATABASE_URL: 'mysql://x' })).toMatch(
      /DATABASE_URL must be a URL \(postgres:\/\/ or postgresql:\/\/\)/,
    );
    expect(bad({ KEK_PROVIDER: 'hsm' })).toMatch(/KEK_PROVIDER must be file, env or barbican/);
    // Several at once: all of them.
    expect(bad({ PORT: 'x', SIGNIN_LIMIT: '-1' })).toMatch(/PORT.*SIGNIN_LIMIT/);
  });

  test('README documents every variable', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });
});
