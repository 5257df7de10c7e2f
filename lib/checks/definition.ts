// What a check declares: one testcase file in testcases/ exports one definition (the registry is
// that folder). Apart from types.ts so that the run's vocabulary does not depend on the context and
// the situations, which use it.

import type { CheckContext } from './context';
import type { Expectations } from './situations';
import type { CheckOutcome, CheckTarget, PersonaName, ResultLifetime } from './types';

export interface CheckDefinition {
  id: string;
  title: string;
  /** The clause of scs-0116 (or its supplement) the check serves. */
  clause: string;
  target: CheckTarget;
  lifetime: ResultLifetime;
  /**
   * Honour the official pre-flight: ABORT unless the token carries `member` and neither `admin`
   * nor `manager` (openstack_test.py run_preflight_checks / ensure_unprivileged).
   */
  preflight: boolean;
  /** Runs by default only when this persona is configured. */
  persona?: PersonaName;
  /**
   * What the check concludes in the situations that concern it (lib/checks/situations.ts): the
   * verdict tables that verdicts.test.ts (simulator) and test:lab (real lab, official suite beside
   * ours) assert. Every check has at least one PASS and one other verdict here.
   */
  expectations: Expectations;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}
