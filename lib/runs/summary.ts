// What the top of a run page says: the verdict of this run for each version of the standard, the
// counts, how long it took, and the testcases that did not pass, failures first. The verdict is the
// standard's own rule (lib/compliance: evaluate) applied to this run's results alone, at the moment
// the run ended; the manual testcase (the attestation) is not part of a run and is left out, so
// the cloud's status, which combines both, stays on the cloud page.

import { CHECKS } from '../checks/registry';
import { profilesAt } from '../compliance/profiles';
import { evaluate, type Evaluation } from '../compliance/verdict';
import type { ResultView, RunView } from './service';

export interface RunSummary {
  /** One evaluation per profile of the day the run ended (official versions, ours); null until the run finished. */
  verdicts: Evaluation[] | null;
  counts: { PASS: number; FAIL: number; ABORT: number };
  durationMs: number | null;
  /** FAIL first, then ABORT; registry order within each. */
  notPassing: Array<Pick<ResultView, 'testcase' | 'verdict' | 'message'> & { title: string }>;
}

const ORDER = new Map(CHECKS.map((c, i) => [c.id, i]));
const TITLE = new Map(CHECKS.map((c) => [c.id, c.title]));
const RANK = { FAIL: 0, ABORT: 1, PASS: 2 } as const;

export function checkTitle(testcase: string): string {
  return TITLE.get(testcase) ?? testcase;
}

/** Results with failures first, then ABORTs, then passes; the registry's order within each. */
export function failuresFirst<T extends { testcase: string; verdict: string }>(results: T[]): T[] {
  const rank = (v: string) => RANK[v as keyof typeof RANK] ?? 3;
  return [...results].sort(
    (a, b) => rank(a.verdict) - rank(b.verdict) || (ORDER.get(a.testcase) ?? 999) - (ORDER.get(b.testcase) ?? 999),
  );
}

export function summarizeRun(run: Pick<RunView, 'status' | 'startedAt' | 'finishedAt' | 'results'>): RunSummary {
  const counts = { PASS: 0, FAIL: 0, ABORT: 0 };
  for (const r of run.results) counts[r.verdict]++;
  const durationMs =
    run.startedAt && run.finishedAt ? Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()) : null;
  const notPassing = failuresFirst(run.results.filter((r) => r.verdict !== 'PASS')).map((r) => ({
    testcase: r.testcase,
    verdict: r.verdict,
    message: r.message,
    title: checkTitle(r.testcase),
  }));
  if (run.status !== 'finished' || !run.finishedAt) return { verdicts: null, counts, durationMs, notPassing };
  const at = run.finishedAt;
  const automated = Object.fromEntries(
    run.results.map((r) => [r.testcase, { verdict: r.verdict, checkedAt: r.checkedAt, message: r.message }]),
  );
  const verdicts = profilesAt(at).map((p) =>
    evaluate({ ...p, testcases: p.testcases.filter((t) => t.kind !== 'manual') }, automated, undefined, at),
  );
  return { verdicts, counts, durationMs, notPassing };
}
