import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, expiryOf, validityDays } from './config';
import { dueReminder, reminderKey } from './reminders';
import { manualVerdict, type DecisionRow } from './result';

const approvedAt = new Date('2026-01-10T12:00:00Z');
const approved = (over: Partial<DecisionRow> = {}): DecisionRow => ({
  id: 'a1',
  revision: 1,
  state: 'approved',
  decidedAt: approvedAt,
  expiresAt: expiryOf(approvedAt, 91),
  ...over,
});

afterEach(() => {
  delete process.env.ATTESTATION_VALIDITY_DAYS;
});

describe('expiry: one quarter = 91 days of 24 h from the approval instant', () => {
  it('defaults to 91 days, configurable, refuses nonsense', () => {
    expect(validityDays()).toBe(91);
    expect(expiryOf(approvedAt).toISOString()).toBe('2026-04-11T12:00:00.000Z');
    process.env.ATTESTATION_VALIDITY_DAYS = '30';
    expect(expiryOf(approvedAt).toISOString()).toBe('2026-02-09T12:00:00.000Z');
    process.env.ATTESTATION_VALIDITY_DAYS = 'quarter';
    expect(() => validityDays()).toThrow(/whole number/);
  });
});

describe('manual testcase key-manager-docs-check', () => {
  const exp = expiryOf(approvedAt, 91);
  it('MISS without decisions', () => {
    expect(manualVerdict([], approvedAt).verdict).toBe('MISS');
  });
  it('PASS from the approval instant up to 1 ms before expiry, MISS at and after expiry', () => {
    expect(manualVerdict([approved()], approvedAt).verdict).toBe('PASS');
    expect(manualVerdict([approved()], new Date(exp.getTime() - 1)).verdict).toBe('PASS');
    expect(manualVerdict([approved()], exp).verdict).toBe('MISS');
    expect(manualVerdict([approved()], new Date(exp.getTime() + DAY_MS)).reason).toMatch(/expired/);
  });
  it('a decision in the future of `now` does not count yet', () => {
    expect(manualVerdict([approved()], new Date(approvedAt.getTime() - 1)).verdict).toBe('MISS');
  });
  it('FAIL when the latest decision is a rejection, PASS again after a later approval', () => {
    const rejected: DecisionRow = {
      id: 'a2',
      revision: 2,
      state: 'rejected',
      decidedAt: new Date(approvedAt.getTime() + DAY_MS),
      expiresAt: null,
    };
    expect(manualVerdict([approved(), rejected], new Date(approvedAt.getTime() + 2 * DAY_MS))).toMatchObject({
      verdict: 'FAIL',
      revision: 2,
    });
    const later = approved({
      id: 'a3',
      revision: 3,
      decidedAt: new Date(approvedAt.getTime() + 3 * DAY_MS),
      expiresAt: expiryOf(new Date(approvedAt.getTime() + 3 * DAY_MS), 91),
    });
    expect(manualVerdict([approved(), rejected, later], new Date(approvedAt.getTime() + 4 * DAY_MS))).toMatchObject({
      verdict: 'PASS',
      revision: 3,
    });
  });
  it('the newest approval decides; an older one does not extend it', () => {
    const newer = approved({
      id: 'a2',
      revision: 2,
      decidedAt: new Date(approvedAt.getTime() + 10 * DAY_MS),
      expiresAt: new Date(approvedAt.getTime() + 11 * DAY_MS),
    });
    expect(manualVerdict([approved(), newer], new Date(approvedAt.getTime() + 12 * DAY_MS)).verdict).toBe('MISS');
  });
});

describe('reminder windows', () => {
  const exp = new Date('2026-04-11T12:00:00Z');
  const at = (ms: number) => new Date(exp.getTime() - ms);
  it('14 days: from exactly 14 d before expiry until 1 d before', () => {
    expect(dueReminder(exp, at(14 * DAY_MS + 1))).toBeNull();
    expect(dueReminder(exp, at(14 * DAY_MS))).toBe(14);
    expect(dueReminder(exp, at(DAY_MS + 1))).toBe(14);
  });
  it('1 day: from exactly 1 d before expiry until expiry; none afterwards', () => {
    expect(dueReminder(exp, at(DAY_MS))).toBe(1);
    expect(dueReminder(exp, at(1))).toBe(1);
    expect(dueReminder(exp, exp)).toBeNull();
    expect(dueReminder(exp, new Date(exp.getTime() + 1))).toBeNull();
  });
  it('one dedupe key per revision and kind', () => {
    expect(reminderKey('x', 14)).toBe('attestation:x:expiry-14d');
    expect(reminderKey('x', 1)).not.toBe(reminderKey('x', 14));
  });
});
