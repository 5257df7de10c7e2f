import { apiRoute } from '@/lib/next/route';
import { readJsonBody } from '@/lib/api/body';
import { createAttestation, listCloudAttestations } from '@/lib/attestations';

export const GET = apiRoute<{ slug: string }>((ctx, _req, { slug }) => listCloudAttestations(ctx, slug));

/** Starts a new revision (optionally with first answers); 409 while one is open. */
export const POST = apiRoute<{ slug: string }>(
  async (ctx, req, { slug }) => {
    const body = await readJsonBody(req, { optional: true });
    const statement =
      body && typeof body === 'object' && 'statement' in body ? (body as { statement: unknown }).statement : undefined;
    return createAttestation(ctx, slug, statement);
  },
  { status: 201 },
);
