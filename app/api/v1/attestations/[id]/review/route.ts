import { apiRoute } from '@/lib/next/route';
import { readJsonBody } from '@/lib/api/body';
import { reviewAttestation } from '@/lib/attestations';

/** Reviewers: {"decision": "approve" | "request_changes" | "reject", "comment": "…"}. */
export const POST = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  return reviewAttestation(ctx, id, await readJsonBody(req));
});
