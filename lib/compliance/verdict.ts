// The verdict rules of a standard version, pure (time comes in as `now`):
//   FAIL          a mandatory testcase (or the manual one) FAILs
//   MISSING       else a mandatory or the manual result is missing or expired
//   INCONCLUSIVE  else any testcase of the version ended ABORT
//   PASS          else
// Recommended testcases never decide: their FAIL or MISSING is a warning (a missing key manager is
// a warning in SCS). Informational km-* results are shown beside, never counted.
// A result checked at t is valid while now < expiresAt(t, lifetime) (SCS's add_period); the manual
// result carries its approval's expiry (approvedAt + one quarter, lib/attestations).

import { expiresAt } from '../runs/lifetime';
import type { ResultLifetime } from '../checks/types';
import { STANDARDS, type StandardId, type StandardVersion, type TestcaseSpec } from './standard';

export type ResultVerdict = 'PASS' | 'FAIL' | 'ABORT';
export type TestcaseVerdict = ResultVerdict | 'MISSING';
export type ComplianceStatus = 'PASS' | 'FAIL' | 'MISSING' | 'INCONCLUSIVE';

export interface AutomatedInput {
  verdict: ResultVerdict;
  checkedAt: Date;
  message?: string;
}

export interface ManualInput {
  verdict: 'PASS' | 'FAIL' | 'MISSING';
  reason: string;
  decidedAt?: Date;
  expiresAt?: Date;
}

export interface TestcaseState {
  id: string;
  title: string;
  requirement: TestcaseSpec['requirement'];
  verdict: TestcaseVerdict;
  checkedAt: Date | null;
  expiresAt: Date | null;
  /** A result exists but its lifetime is over. */
  expired: boolean;
  message: string;
}

export interface Evaluation {
  standard: StandardId;
  status: ComplianceStatus;
  /** Why the status is what it is (empty for PASS). */
  reasons: string[];
  warnings: string[];
  testcases: TestcaseState[];
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
  const base = { id: spec.id, title: spec.title, requirement: spec.requirement };
  if (!r)
    return { ...base, verdict: 'MISSING', checkedAt: null, expiresAt: null, expired: false, message: 'No result yet.' };
  const until = validUntil(r.checkedAt, spec.lifetime);
  if (!isValidAt(r.checkedAt, spec.lifetime, now)) {
    return {
      ...base,
      verdict: 'MISSING',
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
  const base = { id: spec.id, title: spec.title, requirement: spec.requirement };
  if (!m)
    return {
      ...base,
      verdict: 'MISSING',
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
    expired: m.verdict === 'MISSING' && !!m.expiresAt,
    message: m.reason,
  };
}

/** Decides the status of one version from the testcases' states. */
export function decide(standard: StandardVersion, states: TestcaseState[]): Omit<Evaluation, 'testcases'> {
  const counted = states.filter((s) => s.requirement !== 'informational');
  const binding = counted.filter((s) => s.requirement === 'mandatory' || s.requirement === 'manual');
  const reasons: string[] = [];
  const warnings: string[] = [];
  const say = (s: TestcaseState) => `${s.id} is ${s.verdict}${s.message ? `: ${s.message}` : ''}`;
  for (const s of counted)
    if (s.requirement === 'recommended' && (s.verdict === 'FAIL' || s.verdict === 'MISSING'))
      warnings.push(`${say(s)} (recommended)`);
  let status: ComplianceStatus;
  const failed = binding.filter((s) => s.verdict === 'FAIL');
  const missing = binding.filter((s) => s.verdict === 'MISSING');
  const aborted = counted.filter((s) => s.verdict === 'ABORT');
  if (failed.length) {
    status = 'FAIL';
    reasons.push(...failed.map(say));
  } else if (missing.length) {
    status = 'MISSING';
    reasons.push(...missing.map(say));
  } else if (aborted.length) {
    status = 'INCONCLUSIVE';
    reasons.push(...aborted.map(say));
  } else status = 'PASS';
  return { standard: standard.id, status, reasons, warnings };
}

/** A cloud's evaluation for one version: latest automated result per testcase, the manual result, now. */
export function evaluate(
  standard: StandardVersion,
  automated: Record<string, AutomatedInput | undefined>,
  manual: ManualInput | undefined,
  now: Date,
): Evaluation {
  const testcases = standard.testcases.map((spec) =>
    spec.kind === 'manual' ? manualState(spec, manual) : automatedState(spec, automated[spec.id], now),
  );
  return { ...decide(standard, testcases), testcases };
}

export function evaluateAll(
  automated: Record<string, AutomatedInput | undefined>,
  manual: ManualInput | undefined,
  now: Date,
): Evaluation[] {
  return STANDARDS.map((s) => evaluate(s, automated, manual, now));
}
