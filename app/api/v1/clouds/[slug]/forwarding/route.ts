import { apiRoute } from '@/lib/next/route';
import { getForwardingApi, removeForwardingApi, setForwardingApi } from '@/lib/interop/api';

export const dynamic = 'force-dynamic';

/** Forwarding of the cloud's runs to an SCS compliance monitor: read (with its log), set, remove. */
export const GET = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => getForwardingApi(ctx, slug, req), {
  action: 'forwarding.read',
});
export const PUT = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => setForwardingApi(ctx, slug, req), {
  action: 'forwarding.manage',
});
export const DELETE = apiRoute<{ slug: string }>(async (ctx, _req, { slug }) => removeForwardingApi(ctx, slug), {
  action: 'forwarding.manage',
});
