// History as pictures: one cell per UTC day and testcase, and each profile's status per day.
// A day's cell shows the worst verdict of the results checked that day (a FAIL at noon is not hidden
// by a PASS at two); a day without results carries the latest earlier result while it is valid at the
// end of that day, else MISS. The manual testcase's cell is its verdict at the end of the day.
// Honest about what is not known: a day before the cloud existed has no status, and a testcase's
// days before its first result have no verdict (null: "no data", not counted in shares). A profile's
// status on a day it existed is decided from that day's cells by the same rules as now (a testcase
// without data counts as MISS there), with the official versions the timeline named that day.
// Consecutive days with the same verdict form a segment: the keyboard stops once per segment.

import type { DecisionRow } from '../attestations/result';
import { manualVerdict } from '../attestations/result';
import type { DayAggregate } from './data';
import {
  dashboardProfiles,
  DRAFT_PROFILE,
  HEADLINE_PROFILE,
  officialProfiles,
  type Profile,
  type TestcaseSpec,
} from './profiles';
import {
  decide,
  isValidAt,
  officialVerdict,
  STATUSES,
  type AutomatedInput,
  type Status,
  type TestcaseVerdict,
} from './verdict';

const DAY = 86_400_000;

export interface DayCell {
  day: string;
  /** null: no data (before the cloud existed, or before the testcase's first result). */
  verdict: TestcaseVerdict | null;
  /** Results checked that day; 0 when carried, missing or without data. */
  runs: number;
  counts?: { pass: number; fail: number; abort: number };
  carried: boolean;
  note: string;
}

export interface Segment<V extends string = string> {
  from: string;
  to: string;
  days: number;
  /** null: no data. */
  verdict: V | null;
}

export interface Strip {
  testcase: string;
  title: string;
  requirement: TestcaseSpec['requirement'];
  kind: TestcaseSpec['kind'];
  cells: DayCell[];
  segments: Segment[];
}

export interface ComplianceDay {
  day: string;
  /** null: the cloud did not exist yet. */
  status: Status | null;
  /** The official row: the version whose result it is. */
  version?: string;
}

export interface ComplianceRow {
  /** `scs-0116-v1`, `scs-compatible-iaas` (the official verdict over that day's versions), `scs-0116-draft`. */
  standard: string;
  name: string;
  days: ComplianceDay[];
  segments: Segment<Status>[];
  /** Days per status, counting only days with data. */
  share: Record<Status, number>;
  daysWithData: number;
}

export interface History {
  from: string;
  to: string;
  days: string[];
  /** The first day with data: the cloud's creation, or an earlier first result (null: none in the period). */
  since: string | null;
  strips: Strip[];
  compliance: ComplianceRow[];
}

export const PERIODS = { '30d': 30, '90d': 90, '6m': 183, '12m': 365, '18m': 548 } as const;
export type Period = keyof typeof PERIODS;
export const DEFAULT_PERIOD: Period = '18m';
export const OFFICIAL_ROW = 'scs-compatible-iaas';

export function parsePeriod(v: string | undefined | null): Period {
  return v && v in PERIODS ? (v as Period) : DEFAULT_PERIOD;
}

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The UTC days of a period ending today (inclusive), oldest first. */
export function periodDays(now: Date, period: Period): { from: Date; to: Date; days: string[] } {
  const n = PERIODS[period];
  const end = startOfDay(now);
  const from = new Date(end.getTime() - (n - 1) * DAY);
  const days = Array.from({ length: n }, (_, i) => new Date(from.getTime() + i * DAY).toISOString().slice(0, 10));
  return { from, to: new Date(end.getTime() + DAY), days };
}

export function segmentsOf<V extends string>(items: Array<{ day: string; verdict: V | null }>): Segment<V>[] {
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

const endOf = (day: string, now: Date) =>
  new Date(Math.min(new Date(`${day}T00:00:00Z`).getTime() + DAY - 1, now.getTime()));

function stripOf(spec: TestcaseSpec, cells: DayCell[]): Strip {
  return {
    testcase: spec.id,
    title: spec.title,
    requirement: spec.requirement,
    kind: spec.kind,
    cells,
    segments: segmentsOf(cells),
  };
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
    } else if (!carried) {
      cells.push({ day, verdict: null, runs: 0, carried: false, note: 'no data: before the first result' });
    } else if (isValidAt(carried.checkedAt, spec.lifetime, endOf(day, now))) {
      cells.push({
        day,
        verdict: carried.verdict,
        runs: 0,
        carried: true,
        note: `no run; the result of ${dayOf(carried.checkedAt)} is still valid`,
      });
    } else {
      cells.push({ day, verdict: 'MISS', runs: 0, carried: false, note: 'no valid result (expired)' });
    }
  }
  return stripOf(spec, cells);
}

export function manualStrip(spec: TestcaseSpec, days: string[], decisions: DecisionRow[], now: Date): Strip {
  const first = decisions.reduce<number | null>(
    (m, d) => (m === null || d.decidedAt.getTime() < m ? d.decidedAt.getTime() : m),
    null,
  );
  const cells: DayCell[] = days.map((day) => {
    const end = endOf(day, now);
    if (first === null || first > end.getTime())
      return { day, verdict: null, runs: 0, carried: false, note: 'no data: before the first decision' };
    const m = manualVerdict(decisions, end);
    return { day, verdict: m.verdict, runs: 0, carried: false, note: m.reason };
  });
  return stripOf(spec, cells);
}

/** A profile's status on day i from the strips' cells (no data counts as MISS on a day the cloud existed). */
function statusOn(profile: Profile, byId: Map<string, Strip>, i: number): Status {
  return decide(
    profile.testcases
      .filter((t) => t.requirement !== 'informational')
      .map((t) => ({
        id: t.id,
        requirement: t.requirement,
        verdict: byId.get(t.id)?.cells[i]?.verdict ?? 'MISS',
        message: '',
      })),
  ).status;
}

function row(standard: string, name: string, days: ComplianceDay[]): ComplianceRow {
  const share = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let daysWithData = 0;
  for (const d of days)
    if (d.status) {
      share[d.status]++;
      daysWithData++;
    }
  return {
    standard,
    name,
    days,
    segments: segmentsOf(days.map((d) => ({ day: d.day, verdict: d.status }))),
    share,
    daysWithData,
  };
}

/**
 * The history of one cloud. `createdAt`: when the cloud was registered; a result or decision before
 * that (imported history) moves the first day with data earlier.
 */
export function buildHistory(
  now: Date,
  period: Period,
  aggregates: DayAggregate[],
  before: Record<string, AutomatedInput>,
  decisions: DecisionRow[],
  createdAt: Date,
): History {
  const { from, to, days } = periodDays(now, period);
  const headline = dashboardProfiles().find((p) => p.id === HEADLINE_PROFILE)!;
  const draft = dashboardProfiles().find((p) => p.id === DRAFT_PROFILE)!;
  const specs = new Map<string, TestcaseSpec>();
  for (const p of [headline, ...officialProfiles(now), draft])
    for (const t of p.testcases) if (t.requirement !== 'informational' && !specs.has(t.id)) specs.set(t.id, t);
  const strips = [...specs.values()].map((spec) =>
    spec.kind === 'manual'
      ? manualStrip(spec, days, decisions, now)
      : automatedStrip(spec, days, aggregates, before[spec.id], now),
  );
  // The first day with data: the cloud's creation, or anything recorded earlier.
  let since = dayOf(createdAt);
  if (Object.keys(before).length > 0) since = days[0] < since ? days[0] : since;
  for (const a of aggregates) if (a.day < since) since = a.day;
  for (const d of decisions) if (dayOf(d.decidedAt) < since) since = dayOf(d.decidedAt);
  const byId = new Map(strips.map((s) => [s.testcase, s]));
  const existed = days.map((day) => day >= since);
  const ours = (p: Profile) =>
    row(
      p.id,
      p.short,
      days.map((day, i) => ({ day, status: existed[i] ? statusOn(p, byId, i) : null })),
    );
  const official = row(
    OFFICIAL_ROW,
    'SCS official',
    days.map((day, i) => {
      if (!existed[i]) return { day, status: null };
      const evaluations = officialProfiles(endOf(day, now)).map((p) => ({
        standard: p.id,
        kind: p.kind,
        validity: p.validity,
        status: statusOn(p, byId, i),
      }));
      const v = officialVerdict(evaluations);
      return v ? { day, status: v.status, version: v.version } : { day, status: null };
    }),
  );
  return {
    from: dayOf(from),
    to: dayOf(new Date(to.getTime() - DAY)),
    days,
    since: since <= days[days.length - 1] ? since : null,
    strips,
    compliance: [ours(headline), official, ours(draft)],
  };
}
