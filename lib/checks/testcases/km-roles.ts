// km-roles: the roles of the credential under test, recorded with every run. The official
// testcases only mean something for a plain member; this check says so in words when the
// credential is not one (the testcases themselves ABORT in that case).

import { abortFromError, fail, pass } from '../outcome';
import { judgeRoles } from '../preflight';
import type { CheckDefinition } from '../definition';

export const kmRoles: CheckDefinition = {
  id: 'km-roles',
  title: 'Roles of the credential under test',
  clause: 'SCS-0004 regulation 2: the official test suite runs without admin privileges',
  target: 'informational',
  lifetime: 'week',
  preflight: false,
  expectations: {
    member: 'PASS',
    'application-credential': 'PASS',
    reader: 'FAIL',
    admin: 'FAIL',
    manager: 'FAIL',
    'wrong-password': 'ABORT',
    'no-project': 'ABORT',
    'full-check-set': 'PASS',
  },
  async run(ctx) {
    let session;
    try {
      session = await ctx.session();
    } catch (err) {
      return abortFromError(err, 'authenticate', ctx.http.redactor);
    }
    const t = session.token;
    const details = { roles: t.roles, project: t.project, user: t.user, methods: t.methods, expiresAt: t.expiresAt };
    const problem = judgeRoles(t.roles);
    if (problem) return fail(problem.message, details);
    return pass(
      `The credential's token carries ${t.roles.join(', ')}: a plain member, as the official testcases need.`,
      details,
    );
  },
};
