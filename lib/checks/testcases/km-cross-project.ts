// km-cross-project: a member of another project must not read our secret: not its metadata,
// not its payload, and not through the CVE-2022-3100 bypass (`GET {secret}/payload?target.
// secret.read=read` let any authenticated user read any secret in affected Barbican releases).
// Runs only when a credential of a second project is configured.

import { describeError } from '../../openstack';
import { abort, abortFromError, fail, isForbidden, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import type { CheckOutcome } from '../types';
import { deleteAndReport } from './shared';

const ID = 'km-cross-project';

export const kmCrossProject: CheckDefinition = {
  id: ID,
  title: 'Secrets are isolated between projects (incl. CVE-2022-3100)',
  clause: 'scs-0116-v1 "Introduction": authorization policies are applied on every request to the Key Manager',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  persona: 'otherProject',
  expectations: { 'full-check-set': 'PASS', 'cve-2022-3100': 'FAIL' },
  async run(ctx) {
    if (!ctx.hasPersona('otherProject')) {
      return abort('No credential of a second project is configured for this cloud, so this check could not run.', {
        configured: false,
      });
    }
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    const main = await ctx.session();
    let other;
    try {
      other = await ctx.personaSession('otherProject');
    } catch (err) {
      return abortFromError(err, 'authenticate the second-project credential', ctx.http.redactor);
    }
    if (other.token.project?.id === main.token.project?.id) {
      return abort(
        'The second-project credential is scoped to the project under test; configure a member of another project.',
      );
    }
    const client = km.client;
    const name = ctx.objectName('isolation');
    const payload = ctx.randomBytes(24).toString('hex');
    let created;
    try {
      created = await ctx.createTracked('secret', name, ID, () =>
        client.createSecret({ name, payload, payloadContentType: 'text/plain' }),
      );
    } catch (err) {
      if (isForbidden(err))
        return fail("A member may not store a secret (HTTP 403); map the creator role to member in Barbican's policy.");
      return abortFromError(err, 'store the secret to probe', ctx.http.redactor);
    }
    const probes: Record<string, number | null> = {};
    let outcome: CheckOutcome | undefined;
    try {
      const base = `v1/secrets/${created.uuid}`;
      const attempts: Array<[string, string, string]> = [
        ['metadata', base, 'application/json'],
        ['payload', `${base}/payload`, 'text/plain'],
        ['cve-2022-3100', `${base}/payload?target.secret.read=read`, 'text/plain'],
      ];
      for (const [label, path, accept] of attempts) {
        const res = await client.call('GET', path, { session: other, accept, secretResponse: label !== 'metadata' });
        probes[label] = res.status;
        if (res.status >= 500) {
          outcome = abortFromError(
            new Error(`HTTP ${res.status} for the ${label} probe`),
            'probe cross-project access',
          );
          break;
        }
      }
      if (!outcome) {
        const leaked = Object.entries(probes)
          .filter(([, s]) => s !== null && s >= 200 && s < 300)
          .map(([l]) => l);
        // The secret's ACL explains what the owner granted; it is context, not part of the verdict.
        let acl: unknown;
        try {
          acl = await client.getSecretAcl(created.uuid);
        } catch (err) {
          acl = { unavailable: describeError(err) };
        }
        const details = { probes, acl, otherProject: other.token.project?.id };
        if (leaked.includes('cve-2022-3100') && !leaked.includes('payload')) {
          outcome = fail(
            "A member of another project read the secret's payload through ?target.secret.read=read (CVE-2022-3100); update Barbican to a fixed release.",
            details,
          );
        } else if (leaked.length > 0) {
          outcome = fail(
            `A member of another project could read the secret's ${leaked.join(' and ')}; fix Barbican's policy so secrets stay within their project.`,
            details,
          );
        } else {
          outcome = pass(
            `A member of another project was refused the secret's metadata, payload and the CVE-2022-3100 path (HTTP ${Object.values(probes).join('/')}).`,
            details,
          );
        }
      }
    } catch (err) {
      outcome = abortFromError(err, 'probe cross-project access', ctx.http.redactor);
    } finally {
      const e = await deleteAndReport(ctx, 'secret', created.uuid, client);
      if (e && outcome?.verdict === 'PASS') outcome = abortFromError(e, 'delete the probed secret', ctx.http.redactor);
    }
    return outcome;
  },
};
