// km-container: create a generic container that references a secret, read it back, delete
// both. Containers group the pieces of certificates and key pairs (e.g. for Octavia TLS).

import { uuidFromRef } from '../../openstack';
import { abortFromError, fail, isForbidden, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import type { CheckOutcome } from '../types';
import { deleteAndReport, randomTextPayload } from './shared';

const ID = 'km-container';

export const kmContainer: CheckDefinition = {
  id: ID,
  title: 'Container create, read and delete',
  clause: 'scs-0116-v1 "Key Manager Standard": the Key Manager API (containers)',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'policy-denies-member': 'FAIL' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    const client = km.client;
    const secretName = ctx.objectName('container-secret');
    const containerName = ctx.objectName('container');
    const details: Record<string, unknown> = {};
    let secret;
    try {
      secret = await ctx.createTracked('secret', secretName, ID, () =>
        client.createSecret({ name: secretName, payload: randomTextPayload(ctx), payloadContentType: 'text/plain' }),
      );
    } catch (err) {
      if (isForbidden(err))
        return fail("A member may not store a secret (HTTP 403); map the creator role to member in Barbican's policy.");
      return abortFromError(err, 'store the secret for the container', ctx.http.redactor);
    }
    details.secretUuid = secret.uuid;
    let outcome: CheckOutcome | undefined;
    let containerUuid: string | undefined;
    try {
      const container = await ctx.createTracked('container', containerName, ID, () =>
        client.createContainer({ name: containerName, secrets: [{ name: 'payload', uuid: secret.uuid }] }),
      );
      containerUuid = container.uuid;
      details.containerUuid = containerUuid;
      const read = await client.getContainer(container.uuid);
      const refs = read.secretRefs.map((r) => ({ name: r.name, uuid: safeUuid(r.ref) }));
      details.secretRefs = refs;
      outcome = refs.some((r) => r.name === 'payload' && r.uuid === secret.uuid)
        ? pass(
            'A generic container referencing a secret was created, read back with its reference and deleted.',
            details,
          )
        : fail(
            "The container read back does not reference the secret it was created with; check Barbican's container storage.",
            details,
          );
    } catch (err) {
      outcome = isForbidden(err)
        ? fail(
            "A member may not create or read containers (HTTP 403); allow members to use containers in Barbican's policy.",
            details,
          )
        : abortFromError(err, 'create and read a container', ctx.http.redactor);
    } finally {
      const errors: unknown[] = [];
      if (containerUuid) errors.push(await deleteAndReport(ctx, 'container', containerUuid, client));
      errors.push(await deleteAndReport(ctx, 'secret', secret.uuid, client));
      const firstError = errors.find(Boolean);
      if (firstError && outcome?.verdict === 'PASS')
        outcome = abortFromError(firstError, 'delete the container and its secret', ctx.http.redactor);
    }
    return outcome;
  },
};

function safeUuid(ref: string): string | null {
  try {
    return uuidFromRef(ref, 'secrets');
  } catch {
    return null;
  }
}
