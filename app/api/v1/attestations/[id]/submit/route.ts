import { apiRoute, jsonBody } from '@/lib/next/route';
import { submitAttestation } from '@/lib/attestations';
import { assertSameOrigin } from '@/lib/attestations/http';

/** Signs and submits: {"confirm": true, "signerName": "…"}; answers the signature record. */
export const POST = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  assertSameOrigin(req);
  return submitAttestation(ctx, id, await jsonBody(req), { userAgent: req.headers.get('user-agent') });
});
