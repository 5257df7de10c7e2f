import { describe, expect, it } from 'vitest';
import { failuresFirst, summarizeRun } from './summary';
import type { ResultView } from './service';

const at = new Date('2025-05-01T10:00:00Z');
const result = (testcase: string, verdict: ResultView['verdict'], message = ''): ResultView => ({
  testcase,
  verdict,
  message,
  durationMs: 10,
  checkedAt: at,
  details: null,
  evidence: null,
});

describe('summarizeRun', () => {
  const run = {
    status: 'finished' as const,
    startedAt: new Date('2025-05-01T09:59:00Z'),
    finishedAt: at,
    results: [
      result('scs-0116-presence', 'PASS'),
      result('km-tls', 'ABORT', 'no answer'),
      result('scs-0116-permissions', 'FAIL', 'member could not store a secret'),
      result('km-roles', 'PASS'),
    ],
  };

  it('decides each profile of the day from this run alone, without the manual testcase', () => {
    const s = summarizeRun(run);
    expect(s.verdicts?.map((v) => [v.standard, v.status])).toEqual([
      ['scs-compatible-iaas/v5.1', 'FAIL'],
      ['scs-0116-v1', 'FAIL'],
      ['scs-0116-draft', 'PASS'],
    ]);
    const byId = new Map(s.verdicts?.map((v) => [v.standard, v]));
    expect(byId.get('scs-0116-v1')?.reasons[0]).toContain('scs-0116-permissions is FAIL');
    expect(s.verdicts?.flatMap((v) => v.testcases.map((t) => t.id))).not.toContain('key-manager-docs-check');
    expect(byId.get('scs-0116-draft')?.warnings.join(' ')).toContain('scs-0116-permissions');
  });

  it('counts, times and lists what did not pass, failures first', () => {
    const s = summarizeRun(run);
    expect(s.counts).toEqual({ PASS: 2, FAIL: 1, ABORT: 1 });
    expect(s.durationMs).toBe(60_000);
    expect(s.notPassing.map((r) => [r.testcase, r.verdict])).toEqual([
      ['scs-0116-permissions', 'FAIL'],
      ['km-tls', 'ABORT'],
    ]);
  });

  it('has no verdict while the run is not finished, and a missing mandatory result is not a PASS', () => {
    expect(summarizeRun({ ...run, status: 'running', finishedAt: null }).verdicts).toBeNull();
    const partial = summarizeRun({ ...run, results: [result('scs-0116-presence', 'PASS')] });
    expect(partial.verdicts?.[0].status).not.toBe('PASS');
  });
});

describe('failuresFirst', () => {
  it('orders FAIL, ABORT, PASS and keeps the registry order within each', () => {
    const sorted = failuresFirst([
      result('km-roles', 'PASS'),
      result('km-tls', 'FAIL'),
      result('scs-0116-presence', 'PASS'),
      result('scs-0116-permissions', 'FAIL'),
      result('km-version', 'ABORT'),
    ]);
    expect(sorted.map((r) => r.testcase)).toEqual([
      'scs-0116-permissions',
      'km-tls',
      'km-version',
      'scs-0116-presence',
      'km-roles',
    ]);
  });
});
