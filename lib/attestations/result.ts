/**
 * The manual testcase key-manager-docs-check of scs-0116 v1, from the attestation decisions of
 * a cloud (pure; `now` comes from lib/clock):
 *   - the latest decision (by decision time, decided no later than now) is an approval and
 *     approvedAt <= now < expiresAt            -> PASS
 *   - the latest decision is a rejection       -> FAIL (until a later approval)
 *   - no decision, or the latest approval has expired (now >= expiresAt) -> MISS
 * Requests for changes are not decisions: they leave the verdict as it was.
 */
export const MANUAL_TESTCASE = 'key-manager-docs-check';

export type ManualVerdict = 'PASS' | 'FAIL' | 'MISS';

export interface DecisionRow {
  id: string;
  revision: number;
  state: 'approved' | 'rejected';
  decidedAt: Date;
  expiresAt: Date | null;
}

export interface ManualResult {
  testcase: typeof MANUAL_TESTCASE;
  verdict: ManualVerdict;
  reason: string;
  attestationId?: string;
  revision?: number;
  decidedAt?: Date;
  expiresAt?: Date;
}

function day(d: Date): string {
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function manualVerdict(decisions: DecisionRow[], now: Date): ManualResult {
  const past = decisions.filter((d) => d.decidedAt.getTime() <= now.getTime());
  past.sort((a, b) => b.decidedAt.getTime() - a.decidedAt.getTime() || b.revision - a.revision);
  const latest = past[0];
  const base = { testcase: MANUAL_TESTCASE } as const;
  if (!latest) return { ...base, verdict: 'MISS', reason: 'No attestation has been decided for this cloud.' };
  const ref = {
    attestationId: latest.id,
    revision: latest.revision,
    decidedAt: latest.decidedAt,
    ...(latest.expiresAt ? { expiresAt: latest.expiresAt } : {}),
  };
  if (latest.state === 'rejected') {
    return {
      ...base,
      ...ref,
      verdict: 'FAIL',
      reason: `Revision ${latest.revision} was rejected on ${day(latest.decidedAt)}.`,
    };
  }
  if (!latest.expiresAt || now.getTime() >= latest.expiresAt.getTime()) {
    return {
      ...base,
      ...ref,
      verdict: 'MISS',
      reason: `The approval of revision ${latest.revision} expired on ${latest.expiresAt ? day(latest.expiresAt) : '—'}; a new attestation must be approved.`,
    };
  }
  return {
    ...base,
    ...ref,
    verdict: 'PASS',
    reason: `Revision ${latest.revision} was approved on ${day(latest.decidedAt)} and holds until ${day(latest.expiresAt)}.`,
  };
}
