// km-quota: Barbican quotas of the project. A quota of 0 for secrets means members cannot use
// the key manager at all, whatever the policy says.

import { abortFromError, fail, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';

const RELEVANT = ['secrets', 'orders', 'containers'] as const;

export const kmQuota: CheckDefinition = {
  id: 'km-quota',
  title: 'Key manager quotas allow use',
  clause: 'scs-0116-v1 "Key Manager Policies": members can create and use secrets',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'zero-quota': 'FAIL' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    let quotas: Record<string, number>;
    try {
      quotas = await km.client.quotas();
    } catch (err) {
      return abortFromError(err, "read the project's key-manager quotas", ctx.http.redactor);
    }
    const zero = RELEVANT.filter((k) => quotas[k] === 0);
    const show = RELEVANT.map(
      (k) => `${k} ${quotas[k] === undefined ? 'not reported' : quotas[k] === -1 ? 'unlimited' : quotas[k]}`,
    ).join(', ');
    if (zero.length > 0) {
      return fail(
        `The project's key-manager quota is 0 for ${zero.join(' and ')}, so members cannot use ${zero.includes('secrets') ? 'the key manager' : 'those resources'}; set it to -1 (unlimited) or a positive number.`,
        { quotas },
      );
    }
    return pass(`Key-manager quotas allow members to use the service (${show}).`, { quotas });
  },
};
