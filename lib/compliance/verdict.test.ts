// The verdict rules as a table: for every combination that matters of the two automated testcases
// and the manual one, the official SCS verdict (scs-compatible-iaas v5.1: only scs-0116-permissions
// in `main` decides), this dashboard's full profile scs-0116-v1 and the informational draft.
// Then validity boundaries, the monitor's choice among versions, presentation and honest history.
import { describe, expect, test } from 'vitest';
import { dashboardProfiles, getProfile, officialProfiles } from './profiles';
import {
  decide,
  evaluate,
  evaluateAll,
  isValidAt,
  officialVerdict,
  validUntil,
  type AutomatedInput,
  type ManualInput,
  type Status,
} from './verdict';
import { LOOK, NO_DATA } from './presentation';
import { buildHistory, periodDays, segmentsOf } from './history';
import { certificateState, oneYearAfter } from './certificates';
import type { DayAggregate } from './data';

// Wednesday 2026-07-01 10:00 UTC: v5.1 effective, next a draft (timeline entry 2026-06-11).
const NOW = new Date('2026-07-01T10:00:00Z');
const v1 = getProfile('scs-0116-v1', NOW)!;
const draft = getProfile('scs-0116-draft', NOW)!;
const v51 = getProfile('scs-compatible-iaas/v5.1', NOW)!;
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
  expiresAt: new Date('2026-09-01T00:00:00Z'),
};
const rejected: ManualInput = { verdict: 'FAIL', reason: 'rejected' };
const none: ManualInput = { verdict: 'MISS', reason: 'none' };

type In = AutomatedInput['verdict'] | '-';
const inputs = (permissions: In, presence: In) => ({
  ...(permissions === '-' ? {} : { 'scs-0116-permissions': r(permissions) }),
  ...(presence === '-' ? {} : { 'scs-0116-presence': r(presence) }),
});

// permissions, presence, manual -> official v5.1, scs-0116-v1, draft, warnings of scs-0116-v1
const TABLE: Array<[In, In, ManualInput, Status, Status, Status, number]> = [
  ['PASS', 'PASS', approved, 'PASS', 'PASS', 'PASS', 0],
  ['PASS', 'FAIL', approved, 'PASS', 'PASS', 'PASS', 1], // no key manager in the catalog: a warning
  ['PASS', 'ABORT', approved, 'PASS', 'PASS', 'PASS', 1], // a recommended ABORT warns, never decides
  ['PASS', '-', approved, 'PASS', 'PASS', 'PASS', 1],
  ['FAIL', 'PASS', approved, 'FAIL', 'FAIL', 'PASS', 0],
  ['FAIL', '-', none, 'FAIL', 'FAIL', 'PASS', 1], // FAIL wins over missing
  ['ABORT', 'PASS', approved, 'DNF', 'DNF', 'PASS', 0], // did not finish: never FAIL
  ['ABORT', 'FAIL', approved, 'DNF', 'DNF', 'PASS', 1],
  ['-', 'PASS', approved, 'MISS', 'MISS', 'PASS', 0],
  ['PASS', 'PASS', none, 'PASS', 'MISS', 'PASS', 0], // the attestation decides ours, not the official one
  ['PASS', 'PASS', rejected, 'PASS', 'FAIL', 'PASS', 0],
  ['ABORT', 'PASS', none, 'DNF', 'MISS', 'PASS', 0], // MISS before DNF, as upstream orders them
  ['ABORT', 'PASS', rejected, 'DNF', 'FAIL', 'PASS', 0],
  ['-', '-', none, 'MISS', 'MISS', 'MISS', 1], // the draft is never PASS without results
  ['-', '-', approved, 'MISS', 'MISS', 'PASS', 1],
];

describe('verdict table', () => {
  test.each(TABLE)('permissions %s, presence %s, manual %o', (perm, pres, manual, official, ours, drafted, warns) => {
    const a = inputs(perm, pres);
    expect(evaluate(v51, a, manual, NOW).status, 'official v5.1').toBe(official);
    const e = evaluate(v1, a, manual, NOW);
    expect(e.status, 'scs-0116-v1').toBe(ours);
    expect(e.warnings, 'warnings of scs-0116-v1').toHaveLength(warns);
    expect(evaluate(draft, a, manual, NOW).status, 'draft').toBe(drafted);
  });

  test('reasons name the deciding testcases; PASS has none', () => {
    const e = evaluate(v1, inputs('FAIL', 'ABORT'), none, NOW);
    expect(e.reasons).toEqual(['scs-0116-permissions is FAIL: FAIL msg']);
    expect(e.warnings[0]).toContain('scs-0116-presence is ABORT');
    expect(evaluate(v1, inputs('PASS', 'PASS'), approved, NOW).reasons).toEqual([]);
    expect(evaluate(v1, inputs('-', 'PASS'), approved, NOW).reasons[0]).toContain('scs-0116-permissions is MISS');
  });

  test('the official profile is the scope file: only main decides, presence and the manual check are in no version', () => {
    expect(v51.testcases.map((t) => [t.id, t.requirement])).toEqual([['scs-0116-permissions', 'mandatory']]);
    expect(officialProfiles(NOW).map((p) => [p.id, p.validity])).toEqual([
      ['scs-compatible-iaas/next', 'draft'],
      ['scs-compatible-iaas/v5.1', 'effective'],
    ]);
    // Before 2025-09-09 there was no `next`; v4 and v3 include no key-manager module at all.
    expect(officialProfiles(new Date('2025-08-01T00:00:00Z')).map((p) => p.id)).toEqual(['scs-compatible-iaas/v5.1']);
    expect(dashboardProfiles().map((p) => p.id)).toEqual(['scs-0116-v1', 'scs-0116-draft']);
    expect(v1.testcases.filter((t) => t.requirement === 'mandatory').map((t) => t.id)).toEqual([
      'scs-0116-permissions',
      'key-manager-docs-check',
    ]);
  });

  test('informational km-* results are shown in every profile of ours but never decide', () => {
    const e = evaluate(v1, { ...inputs('PASS', 'PASS'), 'km-tls': r('FAIL') }, approved, NOW);
    expect(e.status).toBe('PASS');
    expect(e.testcases.find((t) => t.id === 'km-tls')).toMatchObject({ requirement: 'informational', verdict: 'FAIL' });
  });

  test('preview testcases are shown, never decide and never warn', () => {
    const d = decide([
      { id: 'a', requirement: 'mandatory', verdict: 'PASS', message: '' },
      { id: 'b', requirement: 'preview', verdict: 'FAIL', message: '' },
    ]);
    expect(d).toEqual({ status: 'PASS', reasons: [], warnings: [] });
  });

  test('the official verdict is the monitor choice: the first version that is not a draft and does not FAIL', () => {
    const e = (standard: string, validity: 'effective' | 'warn' | 'draft', status: Status) => ({
      standard,
      kind: 'official' as const,
      validity,
      status,
    });
    expect(officialVerdict([e('next', 'draft', 'PASS'), e('v5.1', 'effective', 'FAIL')])).toEqual({
      status: 'FAIL',
      version: 'v5.1',
      validity: 'effective',
    });
    expect(
      officialVerdict([e('v6', 'effective', 'FAIL'), e('v5.1', 'warn', 'DNF'), e('v4', 'warn', 'PASS')]),
    ).toMatchObject({ status: 'DNF', version: 'v5.1' });
    expect(officialVerdict([e('next', 'draft', 'PASS')])).toBeNull();
    const all = evaluateAll(inputs('PASS', 'FAIL'), none, NOW);
    expect(officialVerdict(all)).toEqual({
      status: 'PASS',
      version: 'scs-compatible-iaas/v5.1',
      validity: 'effective',
    });
  });
});

describe('validity boundaries', () => {
  // A result checked Wednesday 2026-03-04 10:00 with the default lifetime (week) expires at the
  // midnight of the Monday after t + 7 days: Monday 2026-03-16 00:00 UTC.
  const checked = new Date('2026-03-04T10:00:00Z');
  const expiry = new Date('2026-03-16T00:00:00Z');
  const both = (t: Date) => ({ 'scs-0116-permissions': r('PASS', t), 'scs-0116-presence': r('PASS', t) });
  test('expiry follows SCS add_period (week)', () => {
    expect(validUntil(checked, 'week')).toEqual(expiry);
  });
  test('valid the last millisecond before expiry, MISS from expiry on', () => {
    expect(isValidAt(checked, 'week', new Date(expiry.getTime() - 1))).toBe(true);
    expect(isValidAt(checked, 'week', expiry)).toBe(false);
    const lateApproval = { ...approved, expiresAt: new Date('2026-06-01T00:00:00Z') };
    const before = evaluate(v1, both(checked), lateApproval, new Date(expiry.getTime() - 1));
    const after = evaluate(v1, both(checked), lateApproval, expiry);
    expect(before.status).toBe('PASS');
    expect(after.status).toBe('MISS');
    expect(after.testcases[0]).toMatchObject({ verdict: 'MISS', expired: true });
    expect(after.testcases[0].message).toContain('expired');
  });
  test('an expired recommended result is only a warning', () => {
    const e = evaluate(
      v1,
      { 'scs-0116-permissions': r('PASS'), 'scs-0116-presence': r('PASS', new Date('2026-01-01T00:00:00Z')) },
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
  test('one word and colour per state of the scale, and a neutral "no data"', () => {
    for (const k of ['PASS', 'FAIL', 'MISS', 'DNF', 'ABORT', NO_DATA] as const) {
      expect(LOOK[k].label).toBeTruthy();
      expect(LOOK[k].fill).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(LOOK.DNF.label).toBe('DNF');
    expect(LOOK[NO_DATA].label).toBe('no data');
    expect(new Set(['PASS', 'FAIL', 'MISS', 'DNF', NO_DATA].map((k) => LOOK[k as keyof typeof LOOK].fill)).size).toBe(
      5,
    );
  });
});

const agg = (testcase: string, day: string, last: 'PASS' | 'FAIL' | 'ABORT', extra: Partial<DayAggregate> = {}) => ({
  testcase,
  day,
  pass: last === 'PASS' ? 1 : 0,
  fail: last === 'FAIL' ? 1 : 0,
  abort: last === 'ABORT' ? 1 : 0,
  last,
  lastAt: new Date(`${day}T08:00:00Z`),
  lastMessage: 'ok',
  ...extra,
});

describe('history', () => {
  const now = new Date('2026-03-31T12:00:00Z');
  test('one cell per day; results carry while valid, then MISS; segments group equal days', () => {
    const { days } = periodDays(now, '30d');
    expect(days).toHaveLength(30);
    expect(days[29]).toBe('2026-03-31');
    const h = buildHistory(
      now,
      '30d',
      [
        agg('scs-0116-permissions', '2026-03-02', 'PASS'),
        agg('scs-0116-permissions', '2026-03-20', 'PASS', {
          pass: 1,
          fail: 1,
          lastAt: new Date('2026-03-20T14:00:00Z'),
        }),
      ],
      {},
      [],
      new Date('2025-01-01T00:00:00Z'),
    );
    const perm = h.strips.find((s) => s.testcase === 'scs-0116-permissions')!;
    expect(perm.cells).toHaveLength(30);
    expect(perm.cells[0]).toMatchObject({ day: '2026-03-02', verdict: 'PASS', runs: 1 });
    expect(perm.cells.find((c) => c.day === '2026-03-15')).toMatchObject({ verdict: 'PASS', carried: true });
    expect(perm.cells.find((c) => c.day === '2026-03-16')).toMatchObject({ verdict: 'MISS' });
    // A FAIL during the day is not hidden by a later PASS.
    expect(perm.cells.find((c) => c.day === '2026-03-20')).toMatchObject({ verdict: 'FAIL', runs: 2 });
    expect(perm.segments.map((s) => s.verdict)).toEqual(['PASS', 'MISS', 'FAIL', 'PASS', 'MISS']);
    // No manual approval ever: v1 is MISS every day except the day of the mandatory FAIL.
    const v1row = h.compliance.find((c) => c.standard === 'scs-0116-v1')!;
    expect(v1row.share).toEqual({ PASS: 0, FAIL: 1, MISS: 29, DNF: 0 });
    expect(v1row.daysWithData).toBe(30);
    const official = h.compliance.find((c) => c.standard === 'scs-compatible-iaas')!;
    expect(official.share).toEqual({ PASS: 14 + 9, FAIL: 1, MISS: 4 + 2, DNF: 0 });
    // the first days of presence: no result ever -> no data, not MISS
    const pres = h.strips.find((s) => s.testcase === 'scs-0116-presence')!;
    expect(pres.cells.every((c) => c.verdict === null)).toBe(true);
    expect(h.strips.find((s) => s.testcase === 'key-manager-docs-check')!.cells[0].verdict).toBeNull();
  });

  test('a cloud created today has no data before today, and shares count days with data only', () => {
    const created = new Date('2026-03-31T09:00:00Z');
    const h = buildHistory(
      now,
      '18m',
      [agg('scs-0116-permissions', '2026-03-31', 'PASS'), agg('scs-0116-presence', '2026-03-31', 'PASS')],
      {},
      [
        {
          id: 'a',
          revision: 1,
          state: 'approved',
          decidedAt: new Date('2026-03-31T10:00:00Z'),
          expiresAt: new Date('2026-07-01T00:00:00Z'),
        },
      ],
      created,
    );
    expect(h.days).toHaveLength(548);
    expect(h.since).toBe('2026-03-31');
    for (const row of h.compliance) {
      expect(
        row.days.slice(0, 547).every((d) => d.status === null),
        row.standard,
      ).toBe(true);
      expect(row.daysWithData, row.standard).toBe(1);
    }
    const v1row = h.compliance.find((c) => c.standard === 'scs-0116-v1')!;
    expect(v1row.days[547]).toEqual({ day: '2026-03-31', status: 'PASS' });
    expect(v1row.share).toEqual({ PASS: 1, FAIL: 0, MISS: 0, DNF: 0 });
    expect(v1row.segments.map((s) => [s.verdict, s.days])).toEqual([
      [null, 547],
      ['PASS', 1],
    ]);
    expect(h.compliance.find((c) => c.standard === 'scs-compatible-iaas')!.days[547]).toMatchObject({
      status: 'PASS',
      version: 'scs-compatible-iaas/v5.1',
    });
  });

  test('a result recorded before the cloud was registered (imported history) moves the first day with data', () => {
    const h = buildHistory(
      now,
      '30d',
      [agg('scs-0116-permissions', '2026-03-10', 'PASS')],
      {},
      [],
      new Date('2026-03-25T00:00:00Z'),
    );
    expect(h.since).toBe('2026-03-10');
    expect(h.compliance[0].days.find((d) => d.day === '2026-03-09')!.status).toBeNull();
    expect(h.compliance[0].days.find((d) => d.day === '2026-03-10')!.status).toBe('MISS');
  });

  test('segmentsOf', () => {
    expect(
      segmentsOf([
        { day: 'a', verdict: 'X' },
        { day: 'b', verdict: 'X' },
        { day: 'c', verdict: null },
      ]),
    ).toEqual([
      { from: 'a', to: 'b', days: 2, verdict: 'X' },
      { from: 'c', to: 'c', days: 1, verdict: null },
    ]);
  });
});
