import { apiRoute, jsonBody } from '@/lib/next/route';
import { getAttestation, updateAttestation } from '@/lib/attestations';
import { assertSameOrigin } from '@/lib/attestations/http';

export const GET = apiRoute<{ id: string }>((ctx, _req, { id }) => getAttestation(ctx, id));

/** Saves answers of a draft (or a revision returned for changes): only the fields sent change. */
export const PATCH = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  assertSameOrigin(req);
  const body = await jsonBody(req);
  const statement =
    body && typeof body === 'object' && 'statement' in body ? (body as { statement: unknown }).statement : body;
  await updateAttestation(ctx, id, statement);
  return getAttestation(ctx, id);
});
