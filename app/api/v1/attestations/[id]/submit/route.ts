import { apiRoute } from '@/lib/next/route';
import { readJsonBody } from '@/lib/api/body';
import { submitAttestation } from '@/lib/attestations';

/** Signs and submits: {"confirm": true, "signerName": "…"}; answers the signature record. */
export const POST = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  return submitAttestation(ctx, id, await readJsonBody(req), { userAgent: req.headers.get('user-agent') });
});
