// scs-0116-permissions (mandatory): "Key manager (if present) is usable with member role."
//
// The official sequence (Tests/iaas/scs_0116_key_manager/key_manager.py,
// compute_scs_0116_permissions), step for step:
//   pre-flight: token must carry member and neither admin nor manager, else ABORT;
//   no key-manager endpoint -> PASS (the testcase does not apply);
//   delete leftovers of earlier runs, found by the fixed secret name;
//   create an opaque text/plain secret with that name;
//   find it by name in the list; delete it by the UUID parsed from its secret_ref.
// A 403 anywhere, or a created secret that cannot be found, is a FAIL; anything else that stops
// the sequence (transport errors, timeouts, 5xx, other statuses) is an ABORT.
//
// The secret keeps the official fixed name (not our run prefix) so that this testcase and the
// official one clean up after each other; the sweep covers that name too.

import { describeError, isStatus, type BarbicanClient } from '../../openstack';
import { OFFICIAL_TEST_SECRET_NAME } from '../context';
import { abortFromError, fail, isForbidden, pass } from '../outcome';
import type { CheckDefinition, CheckOutcome } from '../types';
import type { CheckContext } from '../context';
import { deleteAndReport, listRegions, randomTextPayload } from './shared';

const POLICY_HINT =
  'adjust Barbican\'s policy so that the member role is equivalent to creator ("creator": "role:member"), as scs-0116 requires';

export const scs0116Permissions: CheckDefinition = {
  id: 'scs-0116-permissions',
  title: 'Key manager (if present) is usable with member role',
  clause:
    'scs-0116-v1 "Key Manager Policies": member MUST be equivalent to the Key Manager\'s creator role (w1 automated test scs-0116-permissions)',
  target: 'mandatory',
  lifetime: 'week',
  preflight: true,
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) {
      const elsewhere = km.otherRegions.length > 0 ? ` (it exists in ${listRegions(km.otherRegions)})` : '';
      return pass(
        `No key-manager endpoint in ${ctx.region ? `region ${ctx.region}` : 'the catalog'}${elsewhere}, so the testcase does not apply.`,
        { applicable: false },
      );
    }
    return usableWithMemberRole(ctx, km.client);
  },
};

function judge(err: unknown, step: string, ctx: CheckContext, details: Record<string, unknown>): CheckOutcome {
  if (isForbidden(err)) {
    return fail(`Barbican refused to ${step} for a member of the project (HTTP 403); ${POLICY_HINT}.`, {
      ...details,
      step,
      status: 403,
      error: ctx.http.redactor.text(err.message),
    });
  }
  const outcome = abortFromError(err, step, ctx.http.redactor);
  return { ...outcome, details: { ...details, ...outcome.details, step } };
}

async function usableWithMemberRole(ctx: CheckContext, client: BarbicanClient): Promise<CheckOutcome> {
  const name = OFFICIAL_TEST_SECRET_NAME;
  const details: Record<string, unknown> = { secretName: name, earlierSecretsDeleted: 0 };

  try {
    const earlier = await client.listAllSecrets({ name });
    for (const secret of earlier) {
      try {
        await client.deleteSecret(secret.uuid);
      } catch (err) {
        // Someone else deleted it in the meantime: gone is what we wanted.
        if (!isStatus(err, 404)) throw err;
      }
      details.earlierSecretsDeleted = (details.earlierSecretsDeleted as number) + 1;
    }
  } catch (err) {
    return judge(err, 'list and delete test secrets of earlier runs', ctx, details);
  }

  let created: { uuid: string };
  try {
    created = await ctx.createTracked('secret', name, scs0116Permissions.id, () =>
      client.createSecret({
        name,
        payload: randomTextPayload(ctx),
        payloadContentType: 'text/plain',
        secretType: 'opaque',
      }),
    );
  } catch (err) {
    return judge(err, 'create a secret', ctx, details);
  }
  details.secretUuid = created.uuid;

  let found = false;
  let findError: unknown;
  let deleteError: unknown;
  try {
    const listed = await client.listAllSecrets({ name });
    found = listed.some((s) => s.uuid === created.uuid);
  } catch (err) {
    findError = err;
  } finally {
    deleteError = await deleteAndReport(ctx, 'secret', created.uuid, client);
  }
  if (deleteError) details.deleteError = ctx.http.redactor.text(describeError(deleteError));

  if (findError) return judge(findError, 'find the created secret by name', ctx, details);
  if (found && deleteError) return judge(deleteError, 'delete the secret', ctx, details);
  if (!found) {
    return fail(
      `The secret created as member was not in the member's secret list (name filter "${name}"); ${POLICY_HINT}, including listing (secrets:get).`,
      details,
    );
  }
  return pass('A member created a secret, found it by name and deleted it by UUID.', details);
}
