// The verdict rules of a profile, pure (time comes in as `now`). One scale everywhere:
//   a testcase row is PASS, FAIL, ABORT or MISS (no valid result: none yet, or expired);
//   a profile is
//     FAIL  a deciding (mandatory) testcase FAILs
//     MISS  else a deciding result is missing or expired
//     DNF   else a deciding testcase ended ABORT ("did not finish"; never counted as FAIL)
//     PASS  else, provided the profile has a result at all (a profile without deciding testcases,
//           the informational draft, is MISS until one of its testcases has a result)
// as upstream's scs_cert_lib.evaluate orders them (-1, None, 0, else 1) over the `main` target.
// Recommended testcases never decide: their FAIL, MISS or ABORT is a warning. Preview and
// informational (km-*) rows are shown beside, never counted.
// A result checked at t is valid while t <= now < expiresAt(t, lifetime) (upstream add_period); the
// manual result carries its approval's expiry (approvedAt + one quarter, lib/attestations).

import { expiresAt } from './lifetime';
import type { ResultLifetime } from '../checks/types';
import type { Validity } from './scope';
import { profilesAt, type Profile, type TestcaseSpec } from './profiles';

export type ResultVerdict = 'PASS' | 'FAIL' | 'ABORT';
export type TestcaseVerdict = ResultVerdict | 'MISS';
export type Status = 'PASS' | 'FAIL' | 'MISS' | 'DNF';
export const STATUSES: Status[] = ['FAIL', 'MISS', 'DNF', 'PASS'];

export interface AutomatedInput {
  verdict: ResultVerdict;
  checkedAt: Date;
  message?: string;
}

export interface ManualInput {
  verdict: 'PASS' | 'FAIL' | 'MISS';
  reason: string;
  decidedAt?: Date;
  expiresAt?: Date;
}

export interface TestcaseState {
  id: string;
  title: string;
  requirement: TestcaseSpec['requirement'];
  kind: TestcaseSpec['kind'];
  verdict: TestcaseVerdict;
  checkedAt: Date | null;
  expiresAt: Date | null;
  /** A result exists but its lifetime is over. */
  expired: boolean;
  message: string;
}

export interface Evaluation {
  /** The profile's id (`scs-compatible-iaas/v5.1`, `scs-0116-v1`, `scs-0116-draft`). */
  standard: string;
  kind: Profile['kind'];
  short: string;
  validity: Validity;
  informational: boolean;
  status: Status;
  /** Why the status is what it is (empty for PASS). */
  reasons: string[];
  warnings: string[];
  testcases: TestcaseState[];
}

/** The official SCS verdict over the versions of the day, as the monitor picks it (see officialVerdict). */
export interface OfficialVerdict {
  status: Status;
  /** The version whose result it is. */
  version: string;
  validity: Validity;
}

export function validUntil(checkedAt: Date, lifetime: ResultLifetime): Date {
  return expiresAt(checkedAt, lifetime);
}

/** Valid while now < expiry: the last millisecond before expiry still counts, the expiry itself does not. */
export function isValidAt(checkedAt: Date, lifetime: ResultLifetime, now: Date): boolean {
  return checkedAt.getTime() <= now.getTime() && now.getTime() < validUntil(checkedAt, lifetime).getTime();
}

function fmt(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function automatedState(spec: TestcaseSpec, r: AutomatedInput | undefined, now: Date): TestcaseState {
  const base = { id: spec.id, title: spec.title, requirement: spec.requirement, kind: spec.kind };
  if (!r)
    return { ...base, verdict: 'MISS', checkedAt: null, expiresAt: null, expired: false, message: 'No result yet.' };
  const until = validUntil(r.checkedAt, spec.lifetime);
  if (!isValidAt(r.checkedAt, spec.lifetime, now)) {
    return {
      ...base,
      verdict: 'MISS',
      checkedAt: r.checkedAt,
      expiresAt: until,
      expired: true,
      message: `The latest result (${r.verdict}, ${fmt(r.checkedAt)}) expired on ${fmt(until)}.`,
    };
  }
  return {
    ...base,
    verdict: r.verdict,
    checkedAt: r.checkedAt,
    expiresAt: until,
    expired: false,
    message: r.message ?? '',
  };
}

export function manualState(spec: TestcaseSpec, m: ManualInput | undefined): TestcaseState {
  const base = { id: spec.id, title: spec.title, requirement: spec.requirement, kind: spec.kind };
  if (!m)
    return {
      ...base,
      verdict: 'MISS',
      checkedAt: null,
      expiresAt: null,
      expired: false,
      message: 'No attestation has been decided for this cloud.',
    };
  return {
    ...base,
    verdict: m.verdict,
    checkedAt: m.decidedAt ?? null,
    expiresAt: m.expiresAt ?? null,
    expired: m.verdict === 'MISS' && !!m.expiresAt,
    message: m.reason,
  };
}

type Decided = Pick<Evaluation, 'status' | 'reasons' | 'warnings'>;

/** Decides the status of one profile from its testcases' states (the rules at the top of this file). */
export function decide(states: Array<Pick<TestcaseState, 'id' | 'requirement' | 'verdict' | 'message'>>): Decided {
  const deciding = states.filter((s) => s.requirement === 'mandatory');
  const counted = states.filter((s) => s.requirement === 'mandatory' || s.requirement === 'recommended');
  const say = (s: (typeof states)[number]) => `${s.id} is ${s.verdict}${s.message ? `: ${s.message}` : ''}`;
  const warnings = counted
    .filter((s) => s.requirement === 'recommended' && s.verdict !== 'PASS')
    .map((s) => `${say(s)} (recommended)`);
  const having = (v: TestcaseVerdict) => deciding.filter((s) => s.verdict === v);
  for (const [verdict, status] of [
    ['FAIL', 'FAIL'],
    ['MISS', 'MISS'],
    ['ABORT', 'DNF'],
  ] as const) {
    const hit = having(verdict);
    if (hit.length) return { status, reasons: hit.map(say), warnings };
  }
  if (deciding.length === 0 && !counted.some((s) => s.verdict !== 'MISS'))
    return { status: 'MISS', reasons: ['No result of any of its testcases yet.'], warnings };
  return { status: 'PASS', reasons: [], warnings };
}

/** A cloud's evaluation for one profile: latest automated result per testcase, the manual result, now. */
export function evaluate(
  profile: Profile,
  automated: Record<string, AutomatedInput | undefined>,
  manual: ManualInput | undefined,
  now: Date,
): Evaluation {
  const testcases = profile.testcases.map((spec) =>
    spec.kind === 'manual' ? manualState(spec, manual) : automatedState(spec, automated[spec.id], now),
  );
  return {
    standard: profile.id,
    kind: profile.kind,
    short: profile.short,
    validity: profile.validity,
    informational: profile.informational,
    ...decide(testcases),
    testcases,
  };
}

/** Every profile of the day `now` falls on, evaluated. */
export function evaluateAll(
  automated: Record<string, AutomatedInput | undefined>,
  manual: ManualInput | undefined,
  now: Date,
): Evaluation[] {
  return profilesAt(now).map((p) => evaluate(p, automated, manual, now));
}

/**
 * The official verdict as the SCS compliance monitor picks it (monitor.py _evaluate_scope): over the
 * official versions of the day that are not drafts, in the scope file's order, the first whose result
 * is not FAIL wins; if every one FAILs, the last one's FAIL. Null when no such version includes the
 * key-manager module.
 */
export function officialVerdict(evaluations: Array<Pick<Evaluation, 'standard' | 'kind' | 'validity' | 'status'>>) {
  let last: OfficialVerdict | null = null;
  for (const e of evaluations) {
    if (e.kind !== 'official' || e.validity === 'draft') continue;
    last = { status: e.status, version: e.standard, validity: e.validity };
    if (e.status !== 'FAIL') break;
  }
  return last;
}
