import { apiRoute } from '@/lib/next/route';
import { apiDeleteCredential, apiGetCredential, apiPutCredential } from '@/lib/api/credentials';

const persona = (req: Request) => new URL(req.url).searchParams.get('persona');

/** The write-only view of a cloud's credential (?persona=reader|other-project|all). */
export const GET = apiRoute<{ slug: string }>((ctx, req, { slug }) => apiGetCredential(ctx, slug, persona(req)));

/**
 * Set or replace: {clouds_yaml, secure_yaml?, cloud, allow_private_addresses?}, {openrc, password?} or explicit
 * fields.
 */
export const PUT = apiRoute<{ slug: string }>((ctx, req, { slug }) => apiPutCredential(ctx, slug, persona(req), req));

export const DELETE = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => {
  await apiDeleteCredential(ctx, slug, persona(req));
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
});
