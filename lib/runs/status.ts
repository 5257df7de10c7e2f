// A cloud's status, from the verdicts of the official testcases: the worst of them in SCS's order
// (FAIL, then MISSING, then ABORT, else PASS). A notification goes out when the overall status or
// any official testcase's verdict changes, never merely because another run confirmed it.

import { OFFICIAL_TESTCASE_IDS } from '../checks';
import type { Verdict } from '../checks/types';

export type CloudStatus = 'PASS' | 'FAIL' | 'ABORT' | 'MISSING';
export type StatusDetail = Record<string, Verdict>;

export function overallStatus(detail: StatusDetail): CloudStatus {
  const verdicts: Array<Verdict | undefined> = OFFICIAL_TESTCASE_IDS.map((id) => detail[id]);
  if (verdicts.includes('FAIL')) return 'FAIL';
  if (verdicts.includes(undefined)) return 'MISSING';
  if (verdicts.includes('ABORT')) return 'ABORT';
  return 'PASS';
}

/** The status after a run: the previous detail with this run's official verdicts laid over it. */
export function nextStatus(
  previous: StatusDetail | null,
  results: Array<{ testcase: string; verdict: Verdict }>,
): { status: CloudStatus; detail: StatusDetail } {
  const detail: StatusDetail = { ...(previous ?? {}) };
  for (const r of results)
    if ((OFFICIAL_TESTCASE_IDS as readonly string[]).includes(r.testcase)) detail[r.testcase] = r.verdict;
  return { status: overallStatus(detail), detail };
}

/** Which official testcases changed verdict; empty when nothing a person should hear about changed. */
export function statusChanges(
  previous: StatusDetail | null,
  next: StatusDetail,
): Array<{ testcase: string; from: Verdict | null; to: Verdict }> {
  const out: Array<{ testcase: string; from: Verdict | null; to: Verdict }> = [];
  for (const id of OFFICIAL_TESTCASE_IDS) {
    const to = next[id];
    const from = previous?.[id] ?? null;
    if (to && to !== from) out.push({ testcase: id, from, to });
  }
  return out;
}
