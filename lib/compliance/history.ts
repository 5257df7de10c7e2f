// History as pictures: one cell per UTC day and testcase, and the compliance of a version per day.
// A day's cell shows the worst verdict of the results checked that day (a FAIL at noon is not hidden
// by a PASS at two); a day without results carries the latest earlier result while it is valid at the
// end of that day, else MISSING. The manual testcase's cell is its verdict at the end of the day.
// Consecutive days with the same verdict form a segment: the keyboard stops once per segment.

import type { DecisionRow } from '../attestations/result';
import { manualVerdict } from '../attestations/result';
import type { DayAggregate } from './data';
import { STANDARDS, type StandardVersion, type TestcaseSpec } from './standard';
import {
  decide,
  isValidAt,
  type AutomatedInput,
  type ComplianceStatus,
  type TestcaseState,
  type TestcaseVerdict,
} from './verdict';

const DAY = 86_400_000;

export interface DayCell {
  day: string;
  verdict: TestcaseVerdict;
  /** Results checked that day; 0 when carried or missing. */
  runs: number;
  counts?: { pass: number; fail: number; abort: number };
  carried: boolean;
  note: string;
}

export interface Segment<V extends string = string> {
  from: string;
  to: string;
  days: number;
  verdict: V;
}

export interface Strip {
  testcase: string;
  title: string;
  requirement: TestcaseSpec['requirement'];
  cells: DayCell[];
  segments: Segment[];
}

export interface ComplianceDay {
  day: string;
  status: ComplianceStatus;
}

export interface History {
  from: string;
  to: string;
  days: string[];
  strips: Strip[];
  compliance: Array<{
    standard: string;
    name: string;
    days: ComplianceDay[];
    segments: Segment<ComplianceStatus>[];
    share: Record<ComplianceStatus, number>;
  }>;
}

export const PERIODS = { '30d': 30, '90d': 90, '6m': 183, '12m': 365, '18m': 548 } as const;
export type Period = keyof typeof PERIODS;
export const DEFAULT_PERIOD: Period = '18m';

export function parsePeriod(v: string | undefined | null): Period {
  return v && v in PERIODS ? (v as Period) : DEFAULT_PERIOD;
}

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The UTC days of a period ending today (inclusive), oldest first. */
export function periodDays(now: Date, period: Period): { from: Date; to: Date; days: string[] } {
  const n = PERIODS[period];
  const end = startOfDay(now);
  const from = new Date(end.getTime() - (n - 1) * DAY);
  const days = Array.from({ length: n }, (_, i) => new Date(from.getTime() + i * DAY).toISOString().slice(0, 10));
  return { from, to: new Date(end.getTime() + DAY), days };
}

export function segmentsOf<V extends string>(items: Array<{ day: string; verdict: V }>): Segment<V>[] {
  const out: Segment<V>[] = [];
  for (const it of items) {
    const last = out[out.length - 1];
    if (last && last.verdict === it.verdict) {
      last.to = it.day;
      last.days++;
    } else out.push({ from: it.day, to: it.day, days: 1, verdict: it.verdict });
  }
  return out;
}

export function automatedStrip(
  spec: TestcaseSpec,
  days: string[],
  aggregates: DayAggregate[],
  before: AutomatedInput | undefined,
  now: Date,
): Strip {
  const byDay = new Map(aggregates.filter((a) => a.testcase === spec.id).map((a) => [a.day, a]));
  let carried: AutomatedInput | undefined = before;
  const cells: DayCell[] = [];
  for (const day of days) {
    const start = new Date(`${day}T00:00:00Z`);
    const endOfDay = new Date(Math.min(start.getTime() + DAY - 1, now.getTime()));
    const a = byDay.get(day);
    if (a) {
      const worst =
        (['FAIL', 'ABORT', 'PASS'] as const).find((v) => a[v.toLowerCase() as 'pass' | 'fail' | 'abort'] > 0) ?? a.last;
      const runs = a.pass + a.fail + a.abort;
      cells.push({
        day,
        verdict: worst,
        runs,
        counts: { pass: a.pass, fail: a.fail, abort: a.abort },
        carried: false,
        note: `${runs} result${runs === 1 ? '' : 's'}: ${a.pass} PASS, ${a.fail} FAIL, ${a.abort} ABORT${a.lastMessage ? ` — last: ${a.lastMessage}` : ''}`,
      });
      carried = { verdict: a.last, checkedAt: new Date(a.lastAt), message: a.lastMessage };
    } else if (carried && isValidAt(carried.checkedAt, spec.lifetime, endOfDay)) {
      cells.push({
        day,
        verdict: carried.verdict,
        runs: 0,
        carried: true,
        note: `no run; the result of ${carried.checkedAt.toISOString().slice(0, 10)} is still valid`,
      });
    } else {
      cells.push({
        day,
        verdict: 'MISSING',
        runs: 0,
        carried: false,
        note: carried ? 'no valid result (expired)' : 'no result',
      });
    }
  }
  return { testcase: spec.id, title: spec.title, requirement: spec.requirement, cells, segments: segmentsOf(cells) };
}

export function manualStrip(spec: TestcaseSpec, days: string[], decisions: DecisionRow[], now: Date): Strip {
  const cells: DayCell[] = days.map((day) => {
    const endOfDay = new Date(Math.min(new Date(`${day}T00:00:00Z`).getTime() + DAY - 1, now.getTime()));
    const m = manualVerdict(decisions, endOfDay);
    return { day, verdict: m.verdict, runs: 0, carried: false, note: m.reason };
  });
  return { testcase: spec.id, title: spec.title, requirement: spec.requirement, cells, segments: segmentsOf(cells) };
}

/** A version's status per day, from the strips' cells (informational testcases do not count). */
export function complianceDays(standard: StandardVersion, strips: Strip[], days: string[]): ComplianceDay[] {
  const byId = new Map(strips.map((s) => [s.testcase, s]));
  return days.map((day, i) => {
    const states: TestcaseState[] = standard.testcases
      .filter((t) => t.requirement !== 'informational')
      .map((t) => {
        const cell = byId.get(t.id)?.cells[i];
        return {
          id: t.id,
          title: t.title,
          requirement: t.requirement,
          verdict: cell?.verdict ?? 'MISSING',
          checkedAt: null,
          expiresAt: null,
          expired: false,
          message: '',
        };
      });
    return { day, status: decide(standard, states).status };
  });
}

export function buildHistory(
  now: Date,
  period: Period,
  aggregates: DayAggregate[],
  before: Record<string, AutomatedInput>,
  decisions: DecisionRow[],
  standards: readonly StandardVersion[] = STANDARDS,
): History {
  const { from, to, days } = periodDays(now, period);
  const specs = new Map<string, TestcaseSpec>();
  for (const s of standards)
    for (const t of s.testcases) if (t.requirement !== 'informational' && !specs.has(t.id)) specs.set(t.id, t);
  // Requirements as the first (certifiable) version states them.
  const strips = [...specs.values()].map((spec) =>
    spec.kind === 'manual'
      ? manualStrip(spec, days, decisions, now)
      : automatedStrip(spec, days, aggregates, before[spec.id], now),
  );
  const compliance = standards.map((s) => {
    const cd = complianceDays(s, strips, days);
    const share = { PASS: 0, FAIL: 0, MISSING: 0, INCONCLUSIVE: 0 } as Record<ComplianceStatus, number>;
    for (const d of cd) share[d.status]++;
    return {
      standard: s.id,
      name: s.short,
      days: cd,
      segments: segmentsOf(cd.map((d) => ({ day: d.day, verdict: d.status }))),
      share,
    };
  });
  return {
    from: from.toISOString().slice(0, 10),
    to: new Date(to.getTime() - DAY).toISOString().slice(0, 10),
    days,
    strips,
    compliance,
  };
}
