// The official harness's pre-flight (openstack_test.py run_preflight_checks with
// key_manager.ensure_unprivileged): before any testcase runs, the credential must authenticate,
// must not carry `admin` or `manager` ("user privileges too high") and must carry `member`.
// Otherwise every testcase, presence included, is reported as ABORT.

import type { RunContext } from './context';
import { abort, abortFromError } from './outcome';
import type { CheckOutcome } from './types';

export const ELEVATED_ROLES = ['admin', 'manager'] as const;

export function judgeRoles(roles: string[]): CheckOutcome | null {
  const elevated = roles.filter((r) => (ELEVATED_ROLES as readonly string[]).includes(r));
  if (elevated.length > 0) {
    return abort(
      `User privileges too high: the token carries ${elevated.join(' and ')} (roles: ${roles.join(', ')}); run the testcases with a credential that has only the member role.`,
      { roles, elevated, stage: 'preflight' },
    );
  }
  if (!roles.includes('member')) {
    return abort(
      `The credential lacks the member role (roles: ${roles.join(', ') || 'none'}); the testcases need a member of the project.`,
      { roles, stage: 'preflight' },
    );
  }
  return null;
}

/**
 * null when the testcases may run; otherwise the ABORT outcome every gated check reports, marked
 * `details.preflight` (km-check then ends as openstack_test.py does: a CRITICAL line and exit 1).
 */
export async function preflight(ctx: RunContext): Promise<CheckOutcome | null> {
  let outcome: CheckOutcome | null;
  try {
    outcome = judgeRoles((await ctx.session()).token.roles);
  } catch (err) {
    outcome = abortFromError(err, 'authenticate', ctx.http.redactor);
  }
  return outcome && { ...outcome, details: { ...outcome.details, preflight: true } };
}
