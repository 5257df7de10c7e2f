import { apiRoute, jsonBody } from '@/lib/next/route';
import { createAttestation, listCloudAttestations } from '@/lib/attestations';
import { assertSameOrigin } from '@/lib/attestations/http';

export const GET = apiRoute<{ slug: string }>((ctx, _req, { slug }) => listCloudAttestations(ctx, slug));

/** Starts a new revision (optionally with first answers); 409 while one is open. */
export const POST = apiRoute<{ slug: string }>(
  async (ctx, req, { slug }) => {
    assertSameOrigin(req);
    const hasBody = (req.headers.get('content-length') ?? '0') !== '0' || req.headers.has('transfer-encoding');
    const body = hasBody ? await jsonBody(req) : undefined;
    const statement =
      body && typeof body === 'object' && 'statement' in body ? (body as { statement: unknown }).statement : undefined;
    return createAttestation(ctx, slug, statement);
  },
  { status: 201 },
);
