import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, submissionDigest, submissionDocument, type DigestInput } from './digest';

const base: DigestInput = {
  attestationId: '11111111-1111-4111-8111-111111111111',
  cloudSlug: 'gx-scs',
  revision: 2,
  standard: 'scs-0116-v1',
  statement: { implementation: 'barbican', secretStore: 'pkcs11' },
  files: [
    { name: 'b.png', sha256: 'b'.repeat(64), size: 10, mime: 'image/png' },
    { name: 'a.pdf', sha256: 'a'.repeat(64), size: 20, mime: 'application/pdf' },
  ],
};

describe('canonical JSON', () => {
  it('sorts keys at every level, has no whitespace, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 'é' }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"y":"é","z":1}]},"b":1}',
    );
  });
  it('refuses what JSON cannot say', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });
});

describe('submission digest', () => {
  it('is SHA-256 over the canonical document with files sorted by hash', () => {
    const doc = submissionDocument(base);
    expect(doc.indexOf('a.pdf')).toBeLessThan(doc.indexOf('b.png'));
    expect(submissionDigest(base)).toBe(crypto.createHash('sha256').update(doc, 'utf8').digest('hex'));
    expect(submissionDigest(base)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('does not depend on key or file order', () => {
    const shuffled = {
      ...base,
      statement: { secretStore: 'pkcs11' as const, implementation: 'barbican' as const },
      files: [...base.files].reverse(),
    };
    expect(submissionDigest(shuffled)).toBe(submissionDigest(base));
  });
  it('changes with any answer, any file hash, the revision', () => {
    const d = submissionDigest(base);
    expect(submissionDigest({ ...base, statement: { ...base.statement, secretStore: 'vault' as const } })).not.toBe(d);
    expect(
      submissionDigest({ ...base, files: [{ ...base.files[0], sha256: 'c'.repeat(64) }, base.files[1]] }),
    ).not.toBe(d);
    expect(submissionDigest({ ...base, revision: 3 })).not.toBe(d);
  });
  it('sha256Hex matches node:crypto for bytes', () => {
    expect(sha256Hex(new Uint8Array([1, 2, 3]))).toBe(
      crypto
        .createHash('sha256')
        .update(Buffer.from([1, 2, 3]))
        .digest('hex'),
    );
  });
});
