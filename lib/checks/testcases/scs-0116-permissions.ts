// scs-0116-permissions (mandatory): "Key manager (if present) is usable with member role."
//
// The official sequence (Tests/iaas/scs_0116_key_manager/key_manager.py,
// compute_scs_0116_permissions, through openstacksdk), step for step:
//   pre-flight: token must carry member and neither admin nor manager, else ABORT;
//   no key-manager service in the catalog -> PASS (the testcase does not apply);
//   a key-manager service that standard clients cannot use from the region and interface under
//   test -> ABORT: no endpoint there (openstacksdk: EndpointNotFound), or version discovery that
//   yields no usable v1 (openstacksdk: NotSupported);
//   list every secret (all pages, through Barbican's next links) and delete those whose name is
//   exactly the fixed test name (leftovers of earlier runs);
//   create an opaque text/plain secret with that name;
//   list again and find it; delete it by the UUID parsed from its secret_ref.
// A 403 anywhere, or a created secret that cannot be found, is a FAIL; anything else that stops
// the sequence (transport errors, timeouts, 5xx, other statuses, a next link to another host) is
// an ABORT.
//
// The secret keeps the official fixed name (not our run prefix) so that this testcase and the
// official one clean up after each other; the sweep covers that name too.

import { describeError, isStatus, type BarbicanClient } from '../../openstack';
import { OFFICIAL_TEST_SECRET_NAME } from '../context';
import { abort, abortFromError, fail, isForbidden, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import type { CheckOutcome } from '../types';
import type { CheckContext } from '../context';
import { PREFLIGHT_ABORTS, deleteAndReport, describeAbsence, randomTextPayload } from './shared';

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
  expectations: {
    member: 'PASS',
    'application-credential': 'PASS',
    ...PREFLIGHT_ABORTS,
    'policy-denies-member': 'FAIL',
    'no-key-manager': 'PASS',
    'other-region-only': 'ABORT',
    'internal-only': 'ABORT',
    'admin-interface-only': 'ABORT',
    'disabled-endpoint': 'ABORT',
    'no-endpoints': 'ABORT',
    'case-variant-secret': 'PASS',
    proxy: 'PASS',
    'discovery-fails': 'ABORT',
    'discovery-no-v1': 'ABORT',
    'versioned-url-discovery-fails': 'PASS',
    'foreign-next-link': 'ABORT',
    'foreign-host-href-one-page': 'PASS',
    'alias-next-link': {
      verdict: 'ABORT',
      official: 'PASS',
      because:
        'openstacksdk follows a next link to any host with its token, and passes when that host answers; we never send a token to a host the catalog does not name',
    },
    'slow-create': 'PASS',
    'late-create': 'ABORT',
    'created-secret-hidden': {
      verdict: 'FAIL',
      official: 'ABORT',
      because:
        'upstream means FAIL (RuntimeError "not discoverable"), but its finally block then indexes the empty list and the IndexError turns the verdict into ABORT',
    },
    'full-check-set': 'PASS',
  },
  async run(ctx) {
    const km = await ctx.keyManager();
    const where = ctx.region ? `region ${ctx.region}` : 'the catalog';
    if (!km.present) {
      if (km.absence.cause === 'not-in-catalog') {
        return pass('The catalog lists no key-manager service, so the testcase does not apply.', {
          applicable: false,
        });
      }
      return abort(
        `The catalog lists a key-manager service, but ${describeAbsence(km.absence, ctx.iface, ctx.region)}: standard clients (openstacksdk) find no ${ctx.iface} key-manager endpoint in ${where} and stop there, so the testcase could not run; register (and enable) a ${ctx.iface} key-manager endpoint in ${ctx.region ?? 'the region'}.`,
        { applicable: true, region: ctx.region ?? null, interface: ctx.iface, absence: km.absence },
      );
    }
    let discovery;
    try {
      discovery = await km.client.standardDiscovery();
    } catch (err) {
      return abortFromError(err, 'run version discovery', ctx.http.redactor);
    }
    if (!discovery.usable) {
      return abort(
        `Standard clients cannot use this key manager: ${discovery.reason}, so openstacksdk refuses the service ("exists but does not have any supported versions") and the testcase could not run; serve a version document that lists v1 as stable at ${km.endpoint.root}/, or register the versioned URL ${km.endpoint.root}/v1 in the catalog.`,
        { discoveryUrl: discovery.url, catalogUrl: km.endpoint.catalogUrl },
      );
    }
    return usableWithMemberRole(ctx, km.client.atServiceUrl(discovery.serviceUrl), discovery.serviceUrl);
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

/** The secrets named exactly like the test secret, from a full listing as openstacksdk pages it. */
async function findByExactName(client: BarbicanClient, name: string) {
  // No name filter: Barbican's is an SQL LIKE (case-insensitive on SQLite and MySQL), which would
  // also find "SCS-Member-Role-Test-Secret" of someone else. The official script filters locally too.
  return (await client.listAllSecrets({ limit: null })).filter((s) => s.name === name);
}

async function usableWithMemberRole(
  ctx: CheckContext,
  client: BarbicanClient,
  serviceUrl: string,
): Promise<CheckOutcome> {
  const name = OFFICIAL_TEST_SECRET_NAME;
  const details: Record<string, unknown> = { secretName: name, serviceUrl, earlierSecretsDeleted: 0 };

  try {
    for (const secret of await findByExactName(client, name)) {
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
    found = (await findByExactName(client, name)).some((s) => s.uuid === created.uuid);
  } catch (err) {
    findError = err;
  } finally {
    deleteError = await deleteAndReport(ctx, 'secret', created.uuid, client);
  }
  if (deleteError) details.deleteError = ctx.http.redactor.text(describeError(deleteError));

  if (findError) return judge(findError, 'find the created secret in the secret list', ctx, details);
  if (found && deleteError) return judge(deleteError, 'delete the secret', ctx, details);
  if (!found) {
    return fail(
      `The secret created as member was not in the member's secret list (looked for the name "${name}"); ${POLICY_HINT}, including listing (secrets:get).`,
      details,
    );
  }
  return pass('A member created a secret, found it in the secret list and deleted it by UUID.', details);
}
