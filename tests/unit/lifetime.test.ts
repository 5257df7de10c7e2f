// Result lifetimes (lib/compliance/lifetime.ts) against upstream's own add_period (Tests/scs_cert_lib.py
// of shared/scs-upstream), run by Debian's Python on the same instants: month and year ends, leap
// days, week boundaries, the last millisecond before midnight and midnight itself, for every period
// add_period knows. A few hand-checked rows hold the rules even where the upstream copy is absent.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { expiresAt } from '@/lib/compliance/lifetime';
import type { ResultLifetime } from '@/lib/checks/types';
import { upstream, UPSTREAM_SKIP_NOTE } from '../support/upstream';

const PERIODS: ResultLifetime[] = ['day', 'week', 'month', 'quarter', 'year'];

function instants(): string[] {
  const out = new Set<string>();
  const days = [
    '2024-02-28',
    '2024-02-29',
    '2024-03-01',
    '2025-02-28',
    '2025-03-31',
    '2025-06-30',
    '2025-09-30',
    '2025-10-01',
    '2025-11-30',
    '2025-12-31',
    '2026-01-01',
    '2026-03-29', // a Sunday (Europe's clock change: UTC has none)
    '2026-03-30', // a Monday
    '2026-09-27',
    '2026-10-31',
    '2026-11-01',
    '2026-12-28',
    '2027-12-31',
  ];
  for (const d of days)
    for (const t of ['00:00:00.000', '00:00:00.001', '12:34:56.789', '23:59:59.999']) out.add(`${d}T${t}Z`);
  // every weekday of two weeks at three times of day
  for (let i = 0; i < 14; i++) {
    const d = new Date(Date.UTC(2026, 5, 1 + i)).toISOString().slice(0, 10);
    for (const t of ['00:00:00.000', '09:00:00.000', '23:59:59.999']) out.add(`${d}T${t}Z`);
  }
  // the first and the last instant of every month of a year
  for (let m = 0; m < 12; m++) {
    out.add(new Date(Date.UTC(2026, m, 1)).toISOString());
    out.add(new Date(Date.UTC(2026, m + 1, 1) - 1).toISOString());
  }
  return [...out].sort();
}

/** upstream add_period on naive datetimes (UTC wall time), answers as ISO strings with milliseconds. */
function upstreamAnswers(testsDir: string, rows: Array<[string, ResultLifetime]>): string[] {
  const script = `
import json, sys
from datetime import datetime
sys.path.insert(0, sys.argv[1])
from scs_cert_lib import add_period
out = []
for instant, period in json.load(sys.stdin):
    dt = datetime.strptime(instant, '%Y-%m-%dT%H:%M:%S.%fZ')
    out.append(add_period(dt, period).strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (add_period(dt, period).microsecond // 1000))
print(json.dumps(out))
`;
  const stdout = execFileSync('/usr/bin/python3', ['-c', script, testsDir], {
    input: JSON.stringify(rows),
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as string[];
}

describe('result lifetimes', () => {
  test('hand-checked rows', () => {
    const e = (t: string, p: ResultLifetime) => expiresAt(new Date(t), p).toISOString();
    // day: valid through tomorrow, expires at the midnight after that
    expect(e('2026-03-04T10:00:00.000Z', 'day')).toBe('2026-03-06T00:00:00.000Z');
    expect(e('2026-03-04T23:59:59.999Z', 'day')).toBe('2026-03-06T00:00:00.000Z');
    // week: Wednesday -> the Monday after next
    expect(e('2026-03-04T10:00:00.000Z', 'week')).toBe('2026-03-16T00:00:00.000Z');
    // a Sunday -> the Monday eight days later; a Monday -> the Monday two weeks later
    expect(e('2026-03-29T23:00:00.000Z', 'week')).toBe('2026-04-06T00:00:00.000Z');
    expect(e('2026-03-30T00:00:00.000Z', 'week')).toBe('2026-04-13T00:00:00.000Z');
    expect(e('2025-11-15T00:00:00.000Z', 'month')).toBe('2026-01-01T00:00:00.000Z');
    expect(e('2025-12-31T23:59:59.999Z', 'month')).toBe('2026-02-01T00:00:00.000Z');
    expect(e('2025-10-01T00:00:00.000Z', 'quarter')).toBe('2026-04-01T00:00:00.000Z');
    expect(e('2025-12-31T00:00:00.000Z', 'year')).toBe('2027-02-01T00:00:00.000Z');
  });

  const up = upstream();
  test.skipIf(!up)(
    `equal to upstream add_period on every instant and period${up ? '' : ` (${UPSTREAM_SKIP_NOTE})`}`,
    () => {
      const rows = instants().flatMap((t) => PERIODS.map((p) => [t, p] as [string, ResultLifetime]));
      const theirs = upstreamAnswers(up!.tests, rows);
      const differences = rows
        .map(([t, p], i) => ({
          instant: t,
          period: p,
          ours: expiresAt(new Date(t), p).toISOString(),
          theirs: theirs[i],
        }))
        .filter((r) => r.ours !== r.theirs);
      expect(rows.length).toBeGreaterThan(500);
      expect(differences).toEqual([]);
    },
  );
});
