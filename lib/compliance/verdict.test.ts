import { describe, expect, test } from 'vitest';
import { getStandard } from './standard';
import { evaluate, isValidAt, validUntil, type AutomatedInput, type ManualInput } from './verdict';
import { LOOK } from './presentation';
import { buildHistory, periodDays, segmentsOf } from './history';
import { certificateState, oneYearAfter } from './certificates';

const v1 = getStandard('scs-0116-v1')!;
const draft = getStandard('scs-0116-draft')!;
// Wednesday 2026-03-04 10:00 UTC
const NOW = new Date('2026-03-04T10:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const r = (verdict: AutomatedInput['verdict'], checkedAt = hoursAgo(1)): AutomatedInput => ({
  verdict,
  checkedAt,
  message: `${verdict} msg`,
});
const approved: ManualInput = {
  verdict: 'PASS',
  reason: 'approved',
  decidedAt: hoursAgo(24),
  expiresAt: new Date('2026-06-01T00:00:00Z'),
};
const rejected: ManualInput = { verdict: 'FAIL', reason: 'rejected' };
const noManual: ManualInput = { verdict: 'MISSING', reason: 'none' };

describe('scs-0116 v1 verdict rules', () => {
  test('PASS when the mandatory and manual results pass', () => {
    const e = evaluate(v1, { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('PASS') }, approved, NOW);
    expect(e.status).toBe('PASS');
    expect(e.reasons).toEqual([]);
    expect(e.warnings).toEqual([]);
  });
  test('FAIL when the mandatory testcase fails, even if others are missing or aborted', () => {
    const e = evaluate(v1, { 'scs-0116-permissions': r('FAIL'), 'scs-0116-presence': r('ABORT') }, noManual, NOW);
    expect(e.status).toBe('FAIL');
    expect(e.reasons[0]).toContain('scs-0116-permissions is FAIL');
  });
  test('FAIL when the manual attestation was rejected', () => {
    expect(
      evaluate(v1, { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('PASS') }, rejected, NOW).status,
    ).toBe('FAIL');
  });
  test('MISSING when the mandatory result is absent', () => {
    const e = evaluate(v1, { 'scs-0116-presence': r('PASS') }, approved, NOW);
    expect(e.status).toBe('MISSING');
    expect(e.reasons[0]).toContain('scs-0116-permissions is MISSING');
  });
  test('MISSING when the manual result is missing, even with an ABORT elsewhere', () => {
    expect(
      evaluate(v1, { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('ABORT') }, noManual, NOW).status,
    ).toBe('MISSING');
    expect(
      evaluate(v1, { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('PASS') }, undefined, NOW).status,
    ).toBe('MISSING');
  });
  test('INCONCLUSIVE when nothing required fails or is missing but a testcase ended ABORT', () => {
    expect(
      evaluate(v1, { 'scs-0116-permissions': r('ABORT'), 'scs-0116-presence': r('PASS') }, approved, NOW).status,
    ).toBe('INCONCLUSIVE');
    expect(
      evaluate(v1, { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('ABORT') }, approved, NOW).status,
    ).toBe('INCONCLUSIVE');
  });
  test('a recommended failure (no key manager) is a warning, not a failure', () => {
    const e = evaluate(v1, { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('FAIL') }, approved, NOW);
    expect(e.status).toBe('PASS');
    expect(e.warnings).toHaveLength(1);
    expect(e.warnings[0]).toContain('scs-0116-presence is FAIL');
    const missingRec = evaluate(v1, { 'scs-0116-permissions': r('PASS') }, approved, NOW);
    expect(missingRec.status).toBe('PASS');
    expect(missingRec.warnings[0]).toContain('scs-0116-presence is MISSING');
  });
  test('informational km-* results are shown but never decide', () => {
    const e = evaluate(
      v1,
      { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('PASS'), 'km-tls': r('FAIL') },
      approved,
      NOW,
    );
    expect(e.status).toBe('PASS');
    expect(e.testcases.find((t) => t.id === 'km-tls')?.requirement).toBe('informational');
  });
  test('the draft: everything a SHOULD, so failures are warnings', () => {
    const e = evaluate(draft, { 'scs-0116-permissions': r('FAIL'), 'scs-0116-presence': r('FAIL') }, noManual, NOW);
    expect(e.status).toBe('PASS');
    expect(e.warnings).toHaveLength(3);
    expect(evaluate(draft, { 'scs-0116-permissions': r('ABORT') }, noManual, NOW).status).toBe('INCONCLUSIVE');
  });
});

describe('validity boundaries', () => {
  // A result checked Wednesday 2026-03-04 10:00 with the default lifetime (week) expires at the
  // midnight of the Monday after t + 7 days: Monday 2026-03-16 00:00 UTC.
  const checked = new Date('2026-03-04T10:00:00Z');
  const expiry = new Date('2026-03-16T00:00:00Z');
  test('expiry follows SCS add_period (week)', () => {
    expect(validUntil(checked, 'week')).toEqual(expiry);
  });
  test('valid the last second (and millisecond) before expiry, MISSING from the first second at expiry', () => {
    expect(isValidAt(checked, 'week', new Date(expiry.getTime() - 1000))).toBe(true);
    expect(isValidAt(checked, 'week', new Date(expiry.getTime() - 1))).toBe(true);
    expect(isValidAt(checked, 'week', expiry)).toBe(false);
    expect(isValidAt(checked, 'week', new Date(expiry.getTime() + 1000))).toBe(false);
    const before = evaluate(
      v1,
      { 'scs-0116-permissions': r('PASS', checked), 'scs-0116-presence': r('PASS', checked) },
      approved,
      new Date(expiry.getTime() - 1000),
    );
    const after = evaluate(
      v1,
      { 'scs-0116-permissions': r('PASS', checked), 'scs-0116-presence': r('PASS', checked) },
      approved,
      new Date(expiry.getTime() + 1000),
    );
    expect(before.status).toBe('PASS');
    expect(after.status).toBe('MISSING');
    expect(after.testcases[0]).toMatchObject({ verdict: 'MISSING', expired: true });
    expect(after.testcases[0].message).toContain('expired');
  });
  test('an expired recommended result is only a warning', () => {
    const e = evaluate(
      v1,
      {
        'scs-0116-permissions': r('PASS', hoursAgo(1)),
        'scs-0116-presence': r('PASS', new Date('2026-01-01T00:00:00Z')),
      },
      approved,
      NOW,
    );
    expect(e.status).toBe('PASS');
    expect(e.warnings[0]).toContain('expired');
  });
  test('a result from the future is not valid yet', () => {
    expect(isValidAt(new Date(NOW.getTime() + 1000), 'week', NOW)).toBe(false);
  });
  test('certificates: valid one year, then expired; revoked wins', () => {
    const granted = new Date('2026-03-04T10:00:00Z');
    const until = oneYearAfter(granted);
    expect(until.toISOString()).toBe('2027-03-04T10:00:00.000Z');
    expect(certificateState({ validUntil: until, revokedAt: null }, new Date(until.getTime() - 1000))).toBe('valid');
    expect(certificateState({ validUntil: until, revokedAt: null }, until)).toBe('expired');
    expect(certificateState({ validUntil: until, revokedAt: granted }, NOW)).toBe('revoked');
    expect(certificateState(undefined, NOW)).toBe('none');
  });
});

describe('presentation', () => {
  test('every state has a text label and a colour; inconclusive is green with an asterisk', () => {
    for (const k of ['PASS', 'FAIL', 'MISSING', 'INCONCLUSIVE', 'ABORT'] as const) expect(LOOK[k].label).toBeTruthy();
    expect(LOOK.INCONCLUSIVE.label).toContain('*');
    expect(LOOK.FAIL.fill).toMatch(/^#b9/);
  });
});

describe('history', () => {
  test('one cell per day; results carry while valid, then MISSING; segments group equal days', () => {
    const now = new Date('2026-03-31T12:00:00Z');
    const { days } = periodDays(now, '30d');
    expect(days).toHaveLength(30);
    expect(days[29]).toBe('2026-03-31');
    const agg = [
      {
        testcase: 'scs-0116-permissions',
        day: '2026-03-02',
        pass: 1,
        fail: 0,
        abort: 0,
        last: 'PASS' as const,
        lastAt: new Date('2026-03-02T08:00:00Z'),
        lastMessage: 'ok',
      },
      {
        testcase: 'scs-0116-permissions',
        day: '2026-03-20',
        pass: 1,
        fail: 1,
        abort: 0,
        last: 'PASS' as const,
        lastAt: new Date('2026-03-20T14:00:00Z'),
        lastMessage: 'ok',
      },
    ];
    const h = buildHistory(now, '30d', agg, {}, [], [v1]);
    const perm = h.strips.find((s) => s.testcase === 'scs-0116-permissions')!;
    expect(perm.cells).toHaveLength(30);
    expect(perm.cells[0]).toMatchObject({ day: '2026-03-02', verdict: 'PASS', runs: 1 });
    // 2026-03-02 (Monday) + 7 days = 03-09 (Monday) -> expires at the Monday after: 03-16 00:00.
    expect(perm.cells.find((c) => c.day === '2026-03-15')).toMatchObject({ verdict: 'PASS', carried: true });
    expect(perm.cells.find((c) => c.day === '2026-03-16')).toMatchObject({ verdict: 'MISSING' });
    // A FAIL during the day is not hidden by a later PASS.
    expect(perm.cells.find((c) => c.day === '2026-03-20')).toMatchObject({ verdict: 'FAIL', runs: 2 });
    expect(perm.cells.find((c) => c.day === '2026-03-21')).toMatchObject({ verdict: 'PASS', carried: true });
    // 03-20 (Friday) + 7 days -> expires Monday 03-30 00:00.
    expect(perm.segments.map((s) => s.verdict)).toEqual(['PASS', 'MISSING', 'FAIL', 'PASS', 'MISSING']);
    expect(perm.segments.reduce((n, s) => n + s.days, 0)).toBe(30);
    // No manual approval: v1 is MISSING every day except the day of the mandatory FAIL.
    expect(h.compliance[0].share).toEqual({ PASS: 0, FAIL: 1, MISSING: 29, INCONCLUSIVE: 0 });
  });
  test('segmentsOf', () => {
    expect(
      segmentsOf([
        { day: 'a', verdict: 'X' },
        { day: 'b', verdict: 'X' },
        { day: 'c', verdict: 'Y' },
      ]),
    ).toEqual([
      { from: 'a', to: 'b', days: 2, verdict: 'X' },
      { from: 'c', to: 'c', days: 1, verdict: 'Y' },
    ]);
  });
});
