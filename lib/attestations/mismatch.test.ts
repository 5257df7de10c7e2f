import { describe, expect, it } from 'vitest';
import { fieldSeverities, findMismatches, type AutomatedResult } from './mismatch';
import type { Statement } from './statement';

const at = new Date('2026-11-20T10:00:00Z');
const hsm: Statement = {
  implementation: 'barbican',
  secretStore: 'pkcs11',
  kekLocation: 'hsm',
  kekPlaintextOnHost: 'no',
  rbac: 'creator_mapped',
};

function result(
  testcase: string,
  verdict: AutomatedResult['verdict'],
  details: Record<string, unknown> | null = {},
  message = `${testcase} said so`,
): AutomatedResult {
  return { testcase, verdict, details, message, checkedAt: at };
}
const backend = (plugin: string, name = 'Default store') =>
  result('km-backend', plugin === 'simple_crypto' ? 'FAIL' : 'PASS', {
    backend: plugin,
    globalDefault: { name, cryptoPlugin: plugin, globalDefault: true },
  });

describe('mismatch rules', () => {
  it("statement says HSM but Barbican's global default store is simple_crypto", () => {
    const f = findMismatches(hsm, { 'km-backend': backend('simple_crypto', 'Software Only') });
    expect(f[0]).toMatchObject({
      rule: 'backend-simple-crypto',
      severity: 'mismatch',
      fields: ['secretStore', 'kekLocation'],
      testcase: 'km-backend',
    });
    expect(f[0].message).toContain('simple_crypto');
    expect(f[0].message).toContain('"Software Only"');
    expect(fieldSeverities(f)).toMatchObject({ secretStore: 'mismatch', kekLocation: 'mismatch' });
  });

  it('statement says external KMS (store left open) against simple_crypto: only the location is flagged', () => {
    const f = findMismatches({ kekLocation: 'external_kms' }, { 'km-backend': backend('simple_crypto') });
    expect(f.filter((x) => x.severity === 'mismatch').map((x) => x.fields)).toEqual([['kekLocation']]);
  });

  it('simple_crypto with "never in plain text" and a config-file location is a warning, not a mismatch', () => {
    const f = findMismatches(
      { secretStore: 'simple_crypto', kekLocation: 'config_file', kekPlaintextOnHost: 'no' },
      { 'km-backend': backend('simple_crypto') },
    );
    expect(f.some((x) => x.severity === 'mismatch')).toBe(false);
    expect(f.map((x) => x.rule)).toEqual(
      expect.arrayContaining(['backend-simple-crypto-plaintext', 'kek-config-file-not-plaintext']),
    );
  });

  it('a different protected backend than stated is a mismatch', () => {
    const f = findMismatches({ ...hsm, secretStore: 'vault' }, { 'km-backend': backend('p11_crypto') });
    expect(f[0]).toMatchObject({ rule: 'backend-store-differs', severity: 'mismatch', fields: ['secretStore'] });
  });

  it('the stated backend agreeing with Barbican gives no finding', () => {
    expect(
      findMismatches(hsm, {
        'km-backend': backend('p11_crypto'),
        'scs-0116-permissions': result('scs-0116-permissions', 'PASS'),
        'scs-0116-presence': result('scs-0116-presence', 'PASS'),
      }),
    ).toEqual([]);
  });

  it('statement says creator is mapped but scs-0116-permissions fails', () => {
    const f = findMismatches(hsm, {
      'km-backend': backend('p11_crypto'),
      'scs-0116-permissions': result(
        'scs-0116-permissions',
        'FAIL',
        {},
        'Barbican refused to create a secret (HTTP 403).',
      ),
    });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'rbac-permissions-fail', severity: 'mismatch', fields: ['rbac'] });
    expect(f[0].message).toContain('HTTP 403');
  });

  it('secure RBAC claimed, permissions ABORTed: info only', () => {
    const f = findMismatches(
      { rbac: 'secure_rbac' },
      { 'scs-0116-permissions': result('scs-0116-permissions', 'ABORT') },
    );
    expect(f).toEqual([expect.objectContaining({ rule: 'rbac-permissions-abort', severity: 'info' })]);
  });

  it('a key manager described while presence fails', () => {
    const f = findMismatches(
      { implementation: 'barbican' },
      { 'scs-0116-presence': result('scs-0116-presence', 'FAIL') },
    );
    expect(f[0]).toMatchObject({ rule: 'presence-fail', severity: 'mismatch', fields: ['implementation'] });
  });

  it('another product named while Barbican answers the secret-stores API', () => {
    const f = findMismatches(
      { implementation: 'other', otherProduct: 'Thales CipherTrust' },
      { 'km-backend': backend('kmip_plugin') },
    );
    expect(f.map((x) => x.rule)).toContain('implementation-is-barbican');
  });

  it('no or undisclosed automated results are reported as info', () => {
    expect(findMismatches(hsm, {}).map((x) => [x.rule, x.severity])).toEqual([
      ['backend-no-result', 'info'],
      ['rbac-no-result', 'info'],
    ]);
    const undisclosed = findMismatches(
      { secretStore: 'pkcs11' },
      { 'km-backend': result('km-backend', 'PASS', { backend: 'unknown' }) },
    );
    expect(undisclosed).toEqual([expect.objectContaining({ rule: 'backend-undisclosed', severity: 'info' })]);
    expect(
      findMismatches(
        { secretStore: 'pkcs11' },
        { 'km-backend': result('km-backend', 'ABORT', { error: 'timeout' }) },
      )[0].message,
    ).toMatch(/could not run/);
  });

  it('statement-only rules: plain text admitted, simple_crypto elsewhere, HSM store in a config file', () => {
    expect(findMismatches({ kekPlaintextOnHost: 'yes' }, {}).map((x) => x.rule)).toEqual(['kek-plaintext']);
    expect(
      findMismatches(
        { secretStore: 'simple_crypto', kekLocation: 'hsm' },
        { 'km-backend': backend('simple_crypto') },
      ).map((x) => x.rule),
    ).toEqual(expect.arrayContaining(['backend-simple-crypto', 'simple-crypto-location']));
    expect(
      findMismatches({ secretStore: 'kmip', kekLocation: 'config_file' }, { 'km-backend': backend('kmip_plugin') }).map(
        (x) => x.rule,
      ),
    ).toEqual(['protected-store-config-file']);
  });

  it('mismatches come first and field highlights take the worst severity', () => {
    const f = findMismatches({ ...hsm, kekPlaintextOnHost: 'yes' }, { 'km-backend': backend('simple_crypto') });
    expect(f[0].severity).toBe('mismatch');
    expect(
      fieldSeverities([
        { rule: 'a', severity: 'info', fields: ['rbac'], message: '' },
        { rule: 'b', severity: 'mismatch', fields: ['rbac'], message: '' },
        { rule: 'c', severity: 'warning', fields: ['rbac'], message: '' },
      ]),
    ).toEqual({ rbac: 'mismatch' });
  });
});
