import { apiRoute } from '@/lib/next/route';
import { readJsonBody } from '@/lib/api/body';
import {
  assertMayPin,
  getCertifiedEndpoint,
  removeCertifiedEndpoint,
  setCertifiedEndpoint,
  type CertifiedEndpoint,
} from '@/lib/compliance/certified-endpoint';

export const dynamic = 'force-dynamic';

const body = (p: CertifiedEndpoint | null) => ({
  certifiedEndpoint: p
    ? { authUrl: p.authUrl, region: p.region, pinnedAt: p.pinnedAt?.toISOString() ?? null, pinnedBy: p.pinnedBy }
    : null,
});

/** The cloud's certified endpoint (null: not pinned, runs count whatever endpoint they name). */
export const GET = apiRoute<{ slug: string }>(async (ctx, _req, { slug }) =>
  body(await getCertifiedEndpoint(ctx, slug)),
);

/** Staff pin the certified endpoint: {authUrl, region}. Audited. */
export const PUT = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => {
  await assertMayPin(ctx, slug);
  return body(await setCertifiedEndpoint(ctx, slug, await readJsonBody(req)));
});

/** Staff remove the pin. Audited. */
export const DELETE = apiRoute<{ slug: string }>(async (ctx, _req, { slug }) => {
  await removeCertifiedEndpoint(ctx, slug);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
});
