import { describe, expect, it } from 'vitest';
import { hasChanges, problemsSentence, submissionChanges, submissionProblems } from './changes';
import type { Statement } from './statement';

const complete: Statement = {
  implementation: 'barbican',
  implementationVersion: '2024.1',
  secretStore: 'pkcs11',
  kekLocation: 'hsm',
  kekPlaintextOnHost: 'no',
  keysEncrypted: 'yes',
  kekStoredApart: 'yes',
  rbac: 'secure_rbac',
  protectionDescription: 'The Master-KEK lives in a Luna HSM cluster; Barbican only holds a handle to it.',
  validFrom: '2025-01-01',
  contactName: 'Ops',
  contactEmail: 'ops@example.com',
};

describe('submissionProblems', () => {
  it('names each question by its label, in the order of the form, and the file apart', () => {
    const p = submissionProblems({ ...complete, kekPlaintextOnHost: undefined, keysEncrypted: 'no' }, 0);
    expect(p.map((x) => x.field)).toEqual(['kekPlaintextOnHost', 'keysEncrypted', 'file']);
    expect(p[0].label).toBe('Is the Master-KEK ever in plain text on the key-manager host?');
    expect(p[1].message).toMatch(/MUST/);
    expect(problemsSentence(p)).toBe('2 answers need attention and no evidence file is attached.');
  });
  it('is empty for a complete statement with a file; the sentence counts answers only', () => {
    expect(submissionProblems(complete, 1)).toEqual([]);
    expect(problemsSentence(submissionProblems({ ...complete, contactName: undefined }, 1))).toBe(
      '1 answer needs attention.',
    );
    expect(problemsSentence(submissionProblems(complete, 0))).toBe('no evidence file is attached yet.');
  });
});

describe('submissionChanges', () => {
  const a = { name: 'kek.pdf', sha256: 'a'.repeat(64), size: 1, mime: 'application/pdf' };
  const b = { name: 'hsm.png', sha256: 'b'.repeat(64), size: 2, mime: 'image/png' };
  it('lists changed answers with their labels and the files added, removed and renamed', () => {
    const c = submissionChanges(
      { statement: { ...complete, kekLocation: 'config_file' }, files: [a, b] },
      { statement: complete, files: [{ ...a, name: 'kek-v2.pdf' }] },
    );
    expect(c.answers).toEqual([
      {
        field: 'kekLocation',
        label: 'Where is the Master-KEK kept?',
        before: 'In a configuration file on the key-manager host',
        after: 'In a hardware security module (HSM)',
      },
    ]);
    expect(c.filesRemoved.map((f) => f.name)).toEqual(['hsm.png']);
    expect(c.filesAdded).toEqual([]);
    expect(c.filesRenamed).toEqual([{ before: 'kek.pdf', after: 'kek-v2.pdf', sha256: a.sha256 }]);
    expect(hasChanges(c)).toBe(true);
    expect(
      hasChanges(submissionChanges({ statement: complete, files: [a] }, { statement: complete, files: [a] })),
    ).toBe(false);
  });
});
