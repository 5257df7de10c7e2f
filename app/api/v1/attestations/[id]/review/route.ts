import { apiRoute, jsonBody } from '@/lib/next/route';
import { reviewAttestation } from '@/lib/attestations';
import { assertSameOrigin } from '@/lib/attestations/http';

/** Reviewers: {"decision": "approve" | "request_changes" | "reject", "comment": "…"}. */
export const POST = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  assertSameOrigin(req);
  return reviewAttestation(ctx, id, await jsonBody(req));
});
