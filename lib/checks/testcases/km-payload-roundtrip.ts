// km-payload-roundtrip: a random binary payload is stored and read back unchanged, which shows
// that the backend really encrypts and decrypts (a listing alone does not).

import { abortFromError, fail, isForbidden, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import { deleteAndReport } from './shared';

const PAYLOAD_BYTES = 32;

export const kmPayloadRoundtrip: CheckDefinition = {
  id: 'km-payload-roundtrip',
  title: 'Secret payload round trip',
  clause: 'scs-0116-v1 "Key Manager Standard": keys MUST be stored encrypted (and be retrievable by their owner)',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'corrupt-payloads': 'FAIL', 'policy-denies-member': 'FAIL' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    const client = km.client;
    const bytes = ctx.randomBytes(PAYLOAD_BYTES);
    const name = ctx.objectName('payload');
    let created;
    try {
      created = await ctx.createTracked('secret', name, 'km-payload-roundtrip', () =>
        client.createSecret({
          name,
          payload: bytes.toString('base64'),
          payloadContentType: 'application/octet-stream',
          payloadContentEncoding: 'base64',
          secretType: 'opaque',
        }),
      );
    } catch (err) {
      if (isForbidden(err))
        return fail("A member may not store a secret (HTTP 403); map the creator role to member in Barbican's policy.");
      return abortFromError(err, 'store a secret', ctx.http.redactor);
    }
    let readBack: Buffer | undefined;
    let readError: unknown;
    let deleteError: unknown;
    try {
      readBack = await client.getPayload(created.uuid, 'application/octet-stream');
    } catch (err) {
      readError = err;
    } finally {
      deleteError = await deleteAndReport(ctx, 'secret', created.uuid, client);
    }
    const details: Record<string, unknown> = {
      secretUuid: created.uuid,
      bytesStored: PAYLOAD_BYTES,
      bytesRead: readBack?.length ?? null,
    };
    if (readError) {
      if (isForbidden(readError))
        return fail(
          'A member may not read back the payload of its own secret (HTTP 403); allow secret:decrypt for member.',
          details,
        );
      return abortFromError(readError, 'read the payload back', ctx.http.redactor);
    }
    if (!readBack || !readBack.equals(bytes)) {
      return fail(
        `The payload read back differs from the one stored (${readBack?.length ?? 0} bytes instead of ${PAYLOAD_BYTES} identical bytes); check the backend's encryption and decryption.`,
        details,
      );
    }
    if (deleteError) return abortFromError(deleteError, 'delete the test secret', ctx.http.redactor);
    return pass(`A random ${PAYLOAD_BYTES}-byte payload was stored, read back unchanged and deleted.`, details);
  },
};
