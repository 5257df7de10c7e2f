// km-reader-cannot-write: a user with only the reader role must not be able to store secrets.
// Mapping creator to member must not accidentally grant write access to readers. Runs only when
// a reader credential is configured.

import { abort, abortFromError, fail, isForbidden, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import { deleteAndReport, randomTextPayload } from './shared';

const ID = 'km-reader-cannot-write';

export const kmReaderCannotWrite: CheckDefinition = {
  id: ID,
  title: 'A reader cannot create secrets',
  clause: 'scs-0116-v1 "Key Manager Policies": member equivalent to creator, and no more (reader stays read-only)',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  persona: 'reader',
  expectations: { 'full-check-set': 'PASS', 'reader-can-write': 'FAIL' },
  async run(ctx) {
    if (!ctx.hasPersona('reader'))
      return abort('No reader credential is configured for this cloud, so this check could not run.', {
        configured: false,
      });
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    let reader;
    try {
      reader = await ctx.personaSession('reader');
    } catch (err) {
      return abortFromError(err, 'authenticate the reader credential', ctx.http.redactor);
    }
    const roles = reader.token.roles;
    if (roles.some((r) => r === 'member' || r === 'admin' || r === 'manager' || r === 'creator')) {
      return abort(
        `The configured reader credential carries more than reader (roles: ${roles.join(', ')}); give it only the reader role.`,
        { roles },
      );
    }
    const name = ctx.objectName('reader-write');
    const asReader = km.client.withSession(reader);
    let created;
    try {
      created = await ctx.createTracked('secret', name, ID, () =>
        asReader.createSecret({ name, payload: randomTextPayload(ctx), payloadContentType: 'text/plain' }),
      );
    } catch (err) {
      if (isForbidden(err))
        return pass('Barbican refused secret creation by a reader-only user (HTTP 403).', { roles, status: 403 });
      return abortFromError(err, 'attempt a secret creation as reader', ctx.http.redactor);
    }
    const details: Record<string, unknown> = { roles, secretUuid: created.uuid };
    try {
      return fail(
        "A user with only the reader role could create a secret; restrict secret creation (secrets:post) to member/creator in Barbican's policy.",
        details,
      );
    } finally {
      // Deleted with the member credential: the reader may well be unable to delete.
      const e = await deleteAndReport(ctx, 'secret', created.uuid, km.client);
      if (e) details.deleteError = ctx.http.redactor.text(String((e as Error).message ?? e));
    }
  },
};
