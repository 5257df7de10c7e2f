import { apiRoute } from '@/lib/next/route';
import { addKeyApi, listKeysApi } from '@/lib/interop/api';

export const dynamic = 'force-dynamic';

/** The organization's report-signing keys (OpenSSH public keys), and registering one. */
export const GET = apiRoute<{ slug: string }>(async (ctx, _req, { slug }) => listKeysApi(ctx, slug), {
  action: 'key.list',
});
export const POST = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => addKeyApi(ctx, slug, req), {
  status: 201,
  action: 'key.create',
});
