import { describe, expect, it } from 'vitest';
import {
  completeStatementSchema,
  draftStatementSchema,
  isValidDate,
  normalizeStatement,
  statementOf,
  CLAUSES,
  FIELDS,
  QUESTIONS,
} from './statement';

const complete = {
  implementation: 'barbican',
  implementationVersion: '2024.1',
  secretStore: 'pkcs11',
  kekLocation: 'hsm',
  kekPlaintextOnHost: 'no',
  keysEncrypted: 'yes',
  kekStoredApart: 'yes',
  rbac: 'creator_mapped',
  protectionDescription:
    'The Master-KEK is generated inside a Luna HSM and never leaves it; Barbican only holds a handle.',
  validFrom: '2026-10-01',
  contactName: 'Ops Team',
  contactEmail: 'Ops@Example.com',
};

describe('statement schema', () => {
  it('accepts an empty draft and a partial one; an empty field counts as unanswered', () => {
    expect(draftStatementSchema.parse({})).toEqual({});
    expect(normalizeStatement(draftStatementSchema.parse({ implementation: 'barbican', contactName: '  ' }))).toEqual({
      implementation: 'barbican',
    });
  });

  it('refuses values outside the choices, malformed dates and emails, control characters', () => {
    const r = draftStatementSchema.safeParse({
      secretStore: 'rot13',
      validFrom: '2026-02-30',
      contactEmail: 'nope',
      contactName: 'a\u0000b',
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['secretStore', 'validFrom', 'contactEmail', 'contactName']));
  });

  it('keeps HTML and script as plain text (rendering makes it inert)', () => {
    const s = draftStatementSchema.parse({ protectionDescription: '<script>alert(1)</script>\n<b>x</b>' });
    expect(s.protectionDescription).toBe('<script>alert(1)</script>\n<b>x</b>');
  });

  it('a complete statement passes and the email is lower-cased', () => {
    const s = completeStatementSchema.parse(complete);
    expect(s.contactEmail).toBe('ops@example.com');
  });

  it('a submission needs every answer', () => {
    const r = completeStatementSchema.safeParse({ implementation: 'barbican' });
    expect(r.success).toBe(false);
    const paths = new Set(r.error!.issues.map((i) => i.path[0]));
    for (const f of [
      'implementationVersion',
      'secretStore',
      'kekLocation',
      'kekPlaintextOnHost',
      'keysEncrypted',
      'kekStoredApart',
      'rbac',
      'protectionDescription',
      'validFrom',
      'contactName',
      'contactEmail',
    ]) {
      expect(paths.has(f), f).toBe(true);
    }
  });

  it('"other" needs its name; the MUST clauses must be affirmed', () => {
    const r = completeStatementSchema.safeParse({
      ...complete,
      implementation: 'other',
      secretStore: 'other',
      keysEncrypted: 'no',
      kekStoredApart: 'no',
      rbac: 'neither',
    });
    const byPath = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]));
    expect(byPath.otherProduct).toMatch(/product/);
    expect(byPath.secretStoreOther).toMatch(/secret store/);
    expect(byPath.keysEncrypted).toMatch(/MUST/);
    expect(byPath.kekStoredApart).toMatch(/MUST/);
    expect(byPath.rbac).toMatch(/MUST/);
  });

  it('a too short description is refused at submission', () => {
    expect(completeStatementSchema.safeParse({ ...complete, protectionDescription: 'HSM.' }).success).toBe(false);
  });

  it('normalizes to the known fields in a fixed order and reads stored JSON tolerantly', () => {
    const n = normalizeStatement(draftStatementSchema.parse({ ...complete, extra: 'dropped' }));
    expect(Object.keys(n)).toEqual(FIELDS.filter((f) => f in n));
    expect(n).not.toHaveProperty('extra');
    expect(statementOf(null)).toEqual({});
    expect(statementOf({ secretStore: 'bogus' })).toEqual({});
  });

  it('every question has a label and the clause texts quote the standard', () => {
    for (const f of FIELDS) expect(QUESTIONS[f]).toBeTruthy();
    expect(CLAUSES.rbac).toContain('creator role');
    expect(CLAUSES.kekPlaintextOnHost).toContain('SHOULD NOT');
  });

  it('dates are real calendar dates', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('2024-2-1')).toBe(false);
  });
});
