import { apiRoute } from '@/lib/next/route';
import { readJsonBody } from '@/lib/api/body';
import { getAttestation, updateAttestation } from '@/lib/attestations';

export const GET = apiRoute<{ id: string }>((ctx, _req, { id }) => getAttestation(ctx, id));

/** Saves answers of a draft (or a revision returned for changes): only the fields sent change. */
export const PATCH = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  const body = await readJsonBody(req);
  const statement =
    body && typeof body === 'object' && 'statement' in body ? (body as { statement: unknown }).statement : body;
  await updateAttestation(ctx, id, statement);
  return getAttestation(ctx, id);
});
