import { apiRoute } from '@/lib/next/route';
import { mapPublicClouds, publicCloud, statusJson } from '@/lib/compliance/public';
import { publicOrigin } from '@/lib/compliance/public-origin';

export const dynamic = 'force-dynamic';

// Public (no token): the status of every publicly listed cloud, or of one with ?cloud=slug.
export const GET = apiRoute(
  async (_ctx, req) => {
    const base = publicOrigin(req);
    const slug = new URL(req.url).searchParams.get('cloud');
    const body = slug
      ? statusJson(await publicCloud(slug), base)
      : { items: await mapPublicClouds((c) => statusJson(c, base)) };
    return Response.json(body, { headers: { 'Cache-Control': 'public, max-age=60' } });
  },
  { actor: 'optional' },
);
